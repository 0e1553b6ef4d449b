import Benchmark
import ComfyUI
import ComfyUIModel
import Foundation

/// What the client adds to a ComfyUI job beyond the server's own time: one trivial graph
/// (EmptyImage → SaveImage, 64×48) run through `ComfyUIRunner` — pick, check against the kept
/// `/object_info`, submit, follow on the WebSocket, fetch the image — and through the
/// polling-only path. Needs a server: `COMFYUI_URL`, which `Benchmarks/comfyui-overhead.sh` sets
/// to a test server it starts (or to the real server it is given).
let benchmarks: @Sendable () -> Void = {
    guard let text = ProcessInfo.processInfo.environment["COMFYUI_URL"], let url = URL(string: text) else {
        print("ComfyUIClient benchmarks: COMFYUI_URL is not set; Benchmarks/comfyui-overhead.sh starts a test server and sets it")
        return
    }
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], warmupIterations: 3,
                                           maxDuration: .seconds(10), maxIterations: 200)
    let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [url]))
    let graph: [String: JSONValue] = [
        "1": ["class_type": "EmptyImage", "inputs": ["width": 64, "height": 48, "batch_size": 1, "color": 0x3366CC]],
        "2": ["class_type": "SaveImage", "inputs": ["images": ["1", 0], "filename_prefix": "darkroom-bench/job"]],
    ]

    Benchmark("ComfyUIRunner: one trivial job, followed on the WebSocket") { benchmark in
        for index in benchmark.scaledIterations {
            var varied = graph
            varied["1"] = ["class_type": "EmptyImage", "inputs": ["width": 64, "height": 48, "batch_size": 1, "color": .integer(Int64(index))]]
            blackHole(try await runner.run(RunRequest(.graph(varied))))
        }
    }

    Benchmark("ComfyUIClient: one trivial job, polling /history") { benchmark in
        let client = ComfyUIClient(baseURL: url)
        for index in benchmark.scaledIterations {
            var varied = graph
            varied["1"] = ["class_type": "EmptyImage", "inputs": ["width": 64, "height": 48, "batch_size": 1, "color": .integer(Int64(1_000_000 + index))]]
            blackHole(try await client.runPollingHistory(varied))
        }
    }
}
