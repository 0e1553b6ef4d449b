import Foundation
public import Vips

/// Deterministic images made in the tests: nothing is downloaded, little is committed.
public enum TestImages {
    /// A photo-like RGB image: smooth gradients plus seeded noise, so encoders and resamplers
    /// meet both flat areas and detail. The same arguments always give the same pixels.
    public static func photo(width: Int, height: Int, seed: UInt64 = 1, bands: Int = 3) throws -> Image {
        var generator = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * bands)
        for y in 0..<height {
            for x in 0..<width {
                let index = (y * width + x) * bands
                let noise = Int(generator.next() % 24) - 12
                let values = [
                    x * 255 / max(1, width - 1),
                    y * 255 / max(1, height - 1),
                    (x + y) * 255 / max(1, width + height - 2),
                    255 - (x * 200 / max(1, width - 1)),
                ]
                for band in 0..<bands {
                    let base = band < 3 ? values[band] + noise : values[3]
                    pixels[index + band] = UInt8(clamping: base)
                }
            }
        }
        return try Image(pixels: pixels, width: width, height: height, bands: bands)
    }

    /// An image of one flat colour.
    public static func solid(width: Int, height: Int, _ values: [UInt8]) throws -> Image {
        let pixels = (0..<(width * height)).flatMap { _ in values }
        return try Image(pixels: pixels, width: width, height: height, bands: values.count)
    }

    /// An image whose left half is `left` and right half `right` (RGB).
    public static func halves(width: Int, height: Int, left: [UInt8], right: [UInt8]) throws -> Image {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for _ in 0..<height {
            for x in 0..<width { pixels += x < width / 2 ? left : right }
        }
        return try Image(pixels: pixels, width: width, height: height, bands: 3)
    }

    /// Writes `image` as `name` in `directory` (format from the extension) and returns the path.
    @discardableResult
    public static func write(_ image: Image, _ name: String, in directory: TemporaryDirectory,
                             options: SaveOptions = SaveOptions()) throws -> String {
        let path = directory.path(name)
        try image.save(to: path, options: options)
        return path
    }
}

/// A small, fast, seedable generator (SplitMix64), so generated images are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
