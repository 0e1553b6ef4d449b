/// What training a LoRA costs a user: 86 400 credits less a discount of at most 75 %, made of
/// three parts of at most 25 % each, every one growing with what it measures and never
/// shrinking:
///
/// - standing: `25 % × min(1, standing / 10 000 000)`;
/// - lifetime spend (exp, the points spent so far): `25 % × min(1, exp / 1 000 000)`;
/// - level (`floor(cbrt(exp))`): `25 % × min(1, level / 100)`, which rewards the first points
///   spent more than the later ones.
///
/// Parts are counted in basis points (1/100 of a percent, rounded down) and the price rounded up,
/// so the discount never exceeds what the formula says: the price is 21 600 at the least.
public struct TrainingPrice: Sendable, Equatable, Codable {
    /// The price before any discount.
    public static let base = 86_400
    /// Each part's cap, and the whole discount's, in basis points.
    public static let partCap = 2_500
    public static let discountCap = 7_500

    public var standingDiscount: Int
    public var spendDiscount: Int
    public var levelDiscount: Int

    public init(standing: Int, exp: Int, level: Int) {
        func part(_ value: Int, of full: Int) -> Int {
            value <= 0 ? 0 : value >= full ? Self.partCap : Int((Double(value) / Double(full) * Double(Self.partCap)).rounded(.down))
        }
        standingDiscount = part(standing, of: 10_000_000)
        spendDiscount = part(exp, of: 1_000_000)
        levelDiscount = part(level, of: 100)
    }

    /// The price of `balance`'s owner now.
    public init(_ balance: PointsBalance) {
        self.init(standing: balance.standing, exp: balance.exp, level: balance.level)
    }

    /// The whole discount in basis points, at most 7 500.
    public var discount: Int { min(Self.discountCap, standingDiscount + spendDiscount + levelDiscount) }

    /// What is charged.
    public var amount: Int { (Self.base * (10_000 - discount) + 9_999) / 10_000 }

    private enum CodingKeys: String, CodingKey {
        case standingDiscount = "standing_discount", spendDiscount = "spend_discount", levelDiscount = "level_discount"
    }

    private enum ReportKeys: String, CodingKey { case amount, base, discount }

    /// The parts, and what they make: the amount, the base and the whole discount (basis points).
    public func encode(to encoder: any Encoder) throws {
        var parts = encoder.container(keyedBy: CodingKeys.self)
        try parts.encode(standingDiscount, forKey: .standingDiscount)
        try parts.encode(spendDiscount, forKey: .spendDiscount)
        try parts.encode(levelDiscount, forKey: .levelDiscount)
        var report = encoder.container(keyedBy: ReportKeys.self)
        try report.encode(amount, forKey: .amount)
        try report.encode(Self.base, forKey: .base)
        try report.encode(discount, forKey: .discount)
    }
}
