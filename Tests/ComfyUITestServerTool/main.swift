// The ComfyUI test server as a process of its own, on 127.0.0.1: to try `darkroom comfyui`
// without a GPU, or to run the client's scenarios in their real-server mode against a server
// that keeps its state between tests (`COMFYUI_URL=http://127.0.0.1:8188 swift test …`).
//
//     swift run comfyui-test-server [port]      (default 8188; Ctrl-C stops it)
import Foundation
import ComfyUITestSupport

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8188
let server = try await ComfyUITestServer.start(port: port)
FileHandle.standardOutput.write(Data("ComfyUI test server on \(server.url.absoluteString) (Ctrl-C stops it)\n".utf8))
signal(SIGINT, SIG_IGN)
signal(SIGTERM, SIG_IGN)
let (stop, stopping) = AsyncStream<Void>.makeStream()
let signals = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .main) }
for source in signals {
    source.setEventHandler { stopping.finish() }
    source.resume()
}
for await _ in stop {}
await server.stop()
withExtendedLifetime(signals) {}
