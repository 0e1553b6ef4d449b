/// The ranges a user's settings may take, derived from their standing (docs/ARCHITECTURE.md, Settings). Returned
/// with the settings so a front end can show them.
public struct SettingsLimits: Sendable, Codable, Equatable {
    public var minSide = 64
    public var maxSide: Int
    /// Width and height are multiples of this.
    public var sideMultiple = 8
    public var maxSteps: Int
    public var maxBatch: Int
    public var cfg: ClosedRange<Double> = 0...30
    public var strength: ClosedRange<Double> = 0...1
    /// Seeds are -1 (random) or 0 … this.
    public var maxSeed: Int64 = 4_294_967_295
    /// Turning the watermark off needs standing 200 000.
    public var canDisableWatermark: Bool
    /// Most generations a user may have running or queued at once: `min(floor(standing/1 000 000) + 2, 6)`.
    public var maxOpenJobs: Int

    public init(standing: Int) {
        let standing = max(0, standing)
        maxSide = min(standing / 1_000 + 1_024, 2_048)
        maxSteps = min(standing / 1_000_000 + 30, 48)
        maxBatch = min(standing / 1_000_000 + 1, 6)
        canDisableWatermark = standing >= 200_000
        maxOpenJobs = min(standing / 1_000_000 + 2, 6)
    }
}
