// Per-job overhead of the ComfyUI client, as one process the comparison script times beside a
// minimal Python client doing the same jobs: N trivial graphs (EmptyImage → SaveImage, a colour
// per job so nothing is cached) through ComfyUIRunner, one after the other. Prints one JSON line:
// the median wall time per job and the median run time the server reported.
//     comfyui-overhead <server-url> <jobs>
import ComfyUI
import ComfyUIModel
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3, let url = URL(string: arguments[1]), let jobs = Int(arguments[2]), jobs > 0 else {
    FileHandle.standardError.write(Data("usage: comfyui-overhead <server-url> <jobs>\n".utf8))
    exit(64)
}
let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [url]))
var walls: [Double] = [], servers: [Double] = []
let clock = ContinuousClock()
let salt = Int64(UInt32.random(in: 0...0xFFFF)) << 8
for index in 0..<(jobs + 3) {
    let graph: [String: JSONValue] = [
        "1": ["class_type": "EmptyImage", "inputs": ["width": 64, "height": 48, "batch_size": 1, "color": .integer((salt + Int64(index)) & 0xFFFFFF)]],
        "2": ["class_type": "SaveImage", "inputs": ["images": ["1", 0], "filename_prefix": "darkroom-bench/job"]],
    ]
    let start = clock.now
    let outcome = try await runner.run(RunRequest(.graph(graph)))
    let wall = clock.now - start
    guard index >= 3 else { continue }  // warm-up: connections, the kept /object_info
    walls.append(Double(wall.components.attoseconds) / 1e18 + Double(wall.components.seconds))
    servers.append(outcome.result.runSeconds)
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
print(#"{"jobs": \#(jobs), "wall_ms": \#(median(walls) * 1000), "server_ms": \#(median(servers) * 1000)}"#)
