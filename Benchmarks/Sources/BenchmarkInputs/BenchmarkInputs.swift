import Foundation
import Vips

/// The benchmarks' inputs, generated deterministically (``Image/sample(width:height:seed:noise:alpha:)``)
/// on first use into a cache folder, never committed. Photo-like: gradients plus noise.
public enum BenchmarkInputs {
    /// Where inputs are kept between runs: `$DARKROOM_BENCH_INPUTS`, else a temporary folder.
    public static let folder: String = {
        let path = ProcessInfo.processInfo.environment["DARKROOM_BENCH_INPUTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-benchmark-inputs-v1").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A 6000×4000 (24 MP) JPEG, quality 90.
    public static var jpeg24MP: String { get throws { try make("photo-24mp.jpg", width: 6000, height: 4000, options: SaveOptions(quality: 90)) } }
    /// The sharp benchmark's 2725×2225 JPEG.
    public static var sharpJPEG: String { get throws { try make("sharp-2725x2225.jpg", width: 2725, height: 2225, options: SaveOptions(quality: 90)) } }
    /// vips-bench's 5000×5000 uncompressed TIFF.
    public static var benchTIFF: String { get throws { try make("bench-5000.tif", width: 5000, height: 5000) } }
    /// A 2000×2000 PNG with an alpha band.
    public static var alphaPNG: String { get throws { try make("alpha-2000.png", width: 2000, height: 2000, alpha: true) } }
    /// Twenty 2725×2225 JPEGs, each with its own noise.
    public static var batch: [String] {
        get throws {
            try (1...20).map { try make("batch/photo\($0).jpg", width: 2725, height: 2225, seed: $0, options: SaveOptions(quality: 90)) }
        }
    }

    private static func make(_ name: String, width: Int, height: Int, seed: Int = 1, alpha: Bool = false,
                             options: SaveOptions = SaveOptions()) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Image.sample(width: width, height: height, seed: seed, alpha: alpha).save(to: path, options: options)
        return path
    }
}
