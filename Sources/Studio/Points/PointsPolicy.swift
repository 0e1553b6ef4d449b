/// The numbers of the points system (docs/ARCHITECTURE.md, Points), in one place.
public struct PointsPolicy: Sendable, Equatable {
    /// Seconds between regeneration ticks: 15 minutes.
    public var tickSeconds: Int = 900
    /// Ticks for a full refill: `used` shrinks by capacity/18 per tick, so 4.5 hours.
    public var ticksPerRefill: Int = 18
    /// Points per GPU-second charged on settlement, unless a template says otherwise.
    public var pointsPerSecond: Double = 2

    /// The most points any balance, hold, cost or grant may be: 10¹². Far above any real
    /// figure, far below where arithmetic on them could overflow.
    public static let maximumPoints = 1_000_000_000_000
    /// The highest standing recorded: 10¹².
    public static let maximumStanding = 1_000_000_000_000
    /// The highest rate a template may charge per GPU-second.
    public static let maximumPointsPerSecond: Double = 1_000_000

    public init() {}

    /// `value + amount`, held at ``maximumPoints`` (lifetime figures such as `exp` only grow).
    public static func bounded(_ value: Int, plus amount: Int) -> Int {
        let (sum, overflow) = value.addingReportingOverflow(amount)
        return overflow ? maximumPoints : min(sum, maximumPoints)
    }

    /// The regenerating allowance for a standing: `floor((standing + 199 800) / 540)`, 370 at 0.
    /// A standing beyond ``maximumStanding`` counts as that.
    public func capacity(standing: Int) -> Int {
        (min(max(0, standing), Self.maximumStanding) + 199_800) / 540
    }

    /// `floor(cbrt(exp))`, exactly (an integer search: no floating-point rounding).
    public func level(exp: Int) -> Int {
        guard exp > 0 else { return 0 }
        var low = 0, high = min(exp, 2_097_151)  // 2 097 151³ is the last cube below Int.max
        while low < high {
            let middle = (low + high + 1) / 2
            if middle * middle * middle <= exp { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The real cost of a run: `ceil(seconds × rate)`, within 0 … ``maximumPoints`` (a run time
    /// or rate that is not a finite positive number costs nothing rather than trapping).
    public func cost(runSeconds: Double, pointsPerSecond rate: Double? = nil) -> Int {
        let points = (runSeconds * (rate ?? pointsPerSecond)).rounded(.up)
        guard points.isFinite, points > 0 else { return 0 }
        return points >= Double(Self.maximumPoints) ? Self.maximumPoints : Int(points)
    }

    /// The hold for an image job: (text2img 10, other kinds 20) + 5 per 512×512 area (rounded
    /// up) + 1 per 2 steps over 20, times the batch size.
    public func estimate(isTextToImage: Bool, width: Int, height: Int, steps: Int, batch: Int) -> Int {
        // Each figure is held to a range no request reaches, so the product cannot overflow.
        func held(_ value: Int, _ limit: Int) -> Int { min(max(1, value), limit) }
        let base = isTextToImage ? 10 : 20
        let tile = 512 * 512
        let areas = (held(width, 1 << 20) * held(height, 1 << 20) + tile - 1) / tile
        let extraSteps = max(0, held(steps, 1 << 20) - 20) / 2
        return (base + 5 * areas + extraSteps) * held(batch, 1 << 10)
    }
}
