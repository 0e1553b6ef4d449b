// The ComfyUI test server as a process of its own, on 127.0.0.1: to try `darkroom comfyui`
// without a GPU, or to run the client's scenarios in their real-server mode against a server
// that keeps its state between tests (`COMFYUI_URL=http://127.0.0.1:8188 swift test …`).
//
//     swift run comfyui-test-server [port]      (default 8188; Ctrl-C or SIGTERM stops it)
import Foundation
import ComfyUITestSupport

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8188
let server = try await ComfyUITestServer.start(port: port)
// A test server keeps nothing worth a graceful stop: SIGINT and SIGTERM end the process at once
// (a benchmark script's `kill` must not leave it running beside the next measurement). Set after
// the start: the HTTP server's service group installs handlers of its own that only stop it.
for stopSignal in [SIGINT, SIGTERM] {
    signal(stopSignal) { _ in _exit(0) }
}
FileHandle.standardOutput.write(Data("ComfyUI test server on \(server.url.absoluteString) (Ctrl-C stops it)\n".utf8))
while true { try await Task.sleep(for: .seconds(3_600)) }
