public import Vips

/// The `vips` command-line tools as a reference implementation: tests run the same request
/// through them and through the binding and compare pixels.
public enum Reference {
    /// Runs `vips <arguments>` and fails the test's `try` if it exits non-zero.
    public static func vips(_ arguments: String...) async throws {
        try await Command("vips", arguments).check()
    }

    /// Runs `vipsthumbnail <arguments>`.
    public static func vipsthumbnail(_ arguments: String...) async throws {
        try await Command("vipsthumbnail", arguments).check()
    }

    /// The largest difference between the image at `path` (written by a tool) and `image`,
    /// after checking that their sizes and bands match.
    public static func maximumDifference(_ image: Image, toFile path: String) throws -> Double {
        let reference = try Image(contentsOfFile: path, options: LoadOptions(limits: .unlimited))
        guard reference.width == image.width, reference.height == image.height, reference.bands == image.bands else {
            return .infinity
        }
        return try image.difference(to: reference).maximum
    }
}
