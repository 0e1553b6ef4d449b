import Benchmark
import BenchmarkInputs
import Foundation
import Media
import Vips

/// A Media transform plan against the same chain written directly with the binding (what
/// `darkroom image` runs), in process, on the same bytes: the plan's own cost (parsing,
/// validation, dispatch) is the difference. Target: the plan at ≥ 0.95× the direct chain's
/// throughput. Run: `swift package benchmark --target MediaPlan` in Benchmarks/.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 20
    )

    Benchmark("thumbnail 24 MP JPEG → 512 px WebP: plan") { benchmark in
        let data = try Data(contentsOf: URL(fileURLWithPath: try BenchmarkInputs.jpeg24MP))
        let plan = try TransformPlan(parsing: "resize:512/format:webp:q80")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try plan.run(on: data)) }
    }

    Benchmark("thumbnail 24 MP JPEG → 512 px WebP: direct") { benchmark in
        let data = try Data(contentsOf: URL(fileURLWithPath: try BenchmarkInputs.jpeg24MP))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try Image.thumbnail(data: data, width: 512, options: ThumbnailOptions(autoRotate: false))
                .data(format: .webp, options: SaveOptions(quality: 80)))
        }
    }

    Benchmark("fill 720×588, watermark, JPEG (2725×2225 JPEG): plan") { benchmark in
        let data = try Data(contentsOf: URL(fileURLWithPath: try BenchmarkInputs.sharpJPEG))
        let plan = try TransformPlan(parsing: "resize:720x588:fill/watermark:Darkroom:bottomRight:0.6/format:jpeg:q80")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try plan.run(on: data)) }
    }

    Benchmark("fill 720×588, watermark, JPEG (2725×2225 JPEG): direct") { benchmark in
        let data = try Data(contentsOf: URL(fileURLWithPath: try BenchmarkInputs.sharpJPEG))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let image = try Image.thumbnail(data: data, width: 720, options: ThumbnailOptions(height: 588, crop: .centre, autoRotate: false))
            let mark = try Image.text("Darkroom", font: "sans bold 29", width: 720 - 29, colour: .white)
            blackHole(try image.composite(mark, at: .bottomRight, margin: 14, opacity: 0.6).data(format: .jpeg, options: SaveOptions(quality: 80)))
        }
    }
}
