/// The numbers of the points system (DESIGN.md §4.1), in one place.
public struct PointsPolicy: Sendable, Equatable {
    /// Seconds between regeneration ticks: 15 minutes.
    public var tickSeconds: Int = 900
    /// Ticks for a full refill: `used` shrinks by capacity/18 per tick, so 4.5 hours.
    public var ticksPerRefill: Int = 18
    /// Points per GPU-second charged on settlement, unless a template says otherwise.
    public var pointsPerSecond: Double = 2

    public init() {}

    /// The regenerating allowance for a standing: `floor((standing + 199 800) / 540)`, 370 at 0.
    public func capacity(standing: Int) -> Int {
        max(0, (max(0, standing) + 199_800) / 540)
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

    /// The real cost of a run: `ceil(seconds × rate)`, at least 0.
    public func cost(runSeconds: Double, pointsPerSecond rate: Double? = nil) -> Int {
        guard runSeconds > 0 else { return 0 }
        return Int((runSeconds * (rate ?? pointsPerSecond)).rounded(.up))
    }

    /// The hold for an image job: (text2img 10, other kinds 20) + 5 per 512×512 area (rounded
    /// up) + 1 per 2 steps over 20, times the batch size.
    public func estimate(isTextToImage: Bool, width: Int, height: Int, steps: Int, batch: Int) -> Int {
        let base = isTextToImage ? 10 : 20
        let tile = 512 * 512
        let areas = (max(1, width) * max(1, height) + tile - 1) / tile
        let extraSteps = max(0, steps - 20) / 2
        return (base + 5 * areas + extraSteps) * max(1, batch)
    }
}
