/// Caps checked from an input's header, before any pixel is decoded.
///
/// A decompression bomb — a small file that claims a huge size — is refused here without
/// allocating it. The defaults follow careful image proxies: 100 megapixels, 100 MiB of input,
/// 1 000 animation frames.
public struct Limits: Sendable, Equatable {
    /// Most pixels one image may have: width × height, summed over every frame that is loaded.
    public var maxPixels: Int
    /// Most bytes an input file or buffer may have.
    public var maxInputBytes: Int
    /// Most frames an animation loaded with all its pages may have.
    public var maxFrames: Int

    public init(maxPixels: Int = 100_000_000, maxInputBytes: Int = 100 * 1024 * 1024,
                maxFrames: Int = 1_000) {
        self.maxPixels = maxPixels
        self.maxInputBytes = maxInputBytes
        self.maxFrames = maxFrames
    }

    /// The defaults above.
    public static let `default` = Limits()
    /// No caps at all: for trusted input only.
    public static let unlimited = Limits(maxPixels: .max, maxInputBytes: .max, maxFrames: .max)
}
