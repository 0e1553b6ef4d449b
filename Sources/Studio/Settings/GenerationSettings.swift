/// A user's generation settings (docs/ARCHITECTURE.md, Settings), with the defaults of the table.
public struct GenerationSettings: Sendable, Codable, Equatable {
    public var width = 1024
    public var height = 1024
    public var steps = 30
    public var batch = 1
    public var cfg = 7.0
    /// img2img denoising strength.
    public var strength = 0.6
    /// -1 draws a random seed per job.
    public var seed: Int64 = -1
    public var sampler = "euler"
    public var scheduler = "normal"
    public var negativePrompt = ""
    public var basePrompt: String?
    /// `nil` takes the catalogue's default checkpoint.
    public var checkpoint: String?
    public var template = "text2img"
    /// Whether generated images get the watermark; below standing 200 000 it is always on.
    public var watermark = true

    public init() {}

    /// The defaults of docs/ARCHITECTURE.md, Settings.
    public static let defaults = GenerationSettings()

    /// Whether the watermark applies to a user of `standing` with these settings.
    public func watermarkApplies(standing: Int) -> Bool {
        watermark || !SettingsLimits(standing: standing).canDisableWatermark
    }
}
