import Benchmark
import BenchmarkInputs
import Foundation
import Vips

/// Wall clock, throughput and allocations of the imaging core on the tasks of the comparison
/// script (`Benchmarks/compare.sh`), in process. Run: `swift package benchmark` in Benchmarks/.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 15
    )
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-benchmark-output").path
    try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)

    Benchmark("thumbnail 24 MP JPEG → 512 px JPEG") { benchmark in
        let input = try BenchmarkInputs.jpeg24MP
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try Image.thumbnail(ofFile: input, width: 512).data(format: .jpeg, options: SaveOptions(quality: 80)))
        }
    }

    Benchmark("resize 2725×2225 → 720×588 JPEG") { benchmark in
        let input = try BenchmarkInputs.sharpJPEG
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let image = try Image(contentsOfFile: input, options: LoadOptions(access: .sequential))
            blackHole(try image.resize(width: 720, height: 588).data(format: .jpeg, options: SaveOptions(quality: 80)))
        }
    }

    Benchmark("vips-bench 5000² TIFF: crop, shrink 90 %, sharpen, TIFF") { benchmark in
        let input = try BenchmarkInputs.benchTIFF
        let target = output + "/vips-bench.tif"
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let image = try Image(contentsOfFile: input, options: LoadOptions(access: .sequential))
            try image.crop(left: 100, top: 100, width: image.width - 200, height: image.height - 200)
                .resize(scale: 0.9, kernel: .linear)
                .convolve(kernel: [[-1, -1, -1], [-1, 16, -1], [-1, -1, -1]], scale: 8)
                .save(to: target)
        }
    }

    Benchmark("PNG with alpha 2000² → WebP") { benchmark in
        let input = try BenchmarkInputs.alphaPNG
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try Image(contentsOfFile: input, options: LoadOptions(access: .sequential)).data(format: .webp))
        }
    }

    Benchmark("deep zoom 5000² TIFF, 254 px tiles") { benchmark in
        let input = try BenchmarkInputs.benchTIFF
        let target = output + "/pyramid"
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try Image(contentsOfFile: input, options: LoadOptions(access: .sequential)).deepZoom(to: target)
        }
    }

    Benchmark("batch 20 × 2725×2225 JPEG → 256 px thumbnails, async on all cores",
              configuration: .init(maxIterations: 8)) { benchmark in
        let inputs = try BenchmarkInputs.batch
        var server = VipsConfiguration.server
        server.workerThreads = System.coreCount
        VipsRuntime.configure(server)
        let pool = ImageWorkerPool(threads: System.coreCount)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
                for input in inputs {
                    group.addTask {
                        try await pool.run { try Image.thumbnail(ofFile: input, width: 256).data(format: .jpeg).count }
                    }
                }
                return try await group.reduce(0, +)
            }
            blackHole(sizes)
        }
        benchmark.stopMeasurement()
        try await pool.shutdown()
        VipsRuntime.configure(VipsConfiguration())
    }
}
