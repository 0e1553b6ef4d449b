/// What a job on one template costs (docs/ARCHITECTURE.md, Points): the rate charged per GPU-second on
/// settlement and, optionally, a fixed hold estimate. Either left out means the
/// ``PointsPolicy``'s. Read from the `cost` object of the template's file.
public struct TemplatePricing: Sendable, Equatable, Codable {
    /// Points per GPU-second on settlement; `nil`: the policy's rate.
    public var pointsPerSecond: Double?
    /// A fixed hold estimate per image; `nil`: the policy's formula.
    public var estimate: Int?

    public init(pointsPerSecond: Double? = nil, estimate: Int? = nil) {
        self.pointsPerSecond = pointsPerSecond
        self.estimate = estimate
    }

    enum CodingKeys: String, CodingKey {
        case pointsPerSecond = "points_per_second", estimate
    }

    /// What is wrong with these figures, in words naming the key; empty when they are sound.
    public func problems() -> [String] {
        var problems: [String] = []
        if let rate = pointsPerSecond, !(rate > 0 && rate <= PointsPolicy.maximumPointsPerSecond) {
            problems.append("cost points_per_second must be above 0 and at most \(Int(PointsPolicy.maximumPointsPerSecond)), not \(rate)")
        }
        if let estimate, !(0...PointsPolicy.maximumPoints).contains(estimate) {
            problems.append("cost estimate must be within 0 … \(PointsPolicy.maximumPoints), not \(estimate)")
        }
        return problems
    }
}
