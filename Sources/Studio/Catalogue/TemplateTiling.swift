/// How a template that works on an image takes a large one: in tiles of at most ``size`` pixels
/// a side, neighbours sharing ``overlap`` pixels, joined with feathered seams (tiled upscaling).
/// Read from the `tile` object of the template's file.
public struct TemplateTiling: Sendable, Equatable, Codable {
    /// Longest side of a tile sent to the server.
    public var size: Int
    /// Pixels neighbouring tiles share, at least.
    public var overlap: Int

    public init(size: Int, overlap: Int) {
        self.size = size
        self.overlap = overlap
    }

    /// What is wrong with these figures, in words naming the key; empty when they are sound.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(64...8_192).contains(size) { problems.append("tile size must be within 64 … 8192, not \(size)") }
        if overlap < 0 || overlap * 2 >= size { problems.append("tile overlap must be at least 0 and below half the size, not \(overlap)") }
        return problems
    }
}
