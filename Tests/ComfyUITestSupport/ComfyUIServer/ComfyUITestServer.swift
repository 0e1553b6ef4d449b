public import ComfyUI
import ComfyUIModel
public import Foundation
import TestSupport
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// A ComfyUI stand-in on 127.0.0.1, built from the exchanges captured from a real 0.3.64 server
/// (`Tests/Fixtures/comfyui`): it validates graphs against the captured `/object_info`, runs the
/// image nodes for real with Vips and model nodes with canned results, keeps history in the
/// captured shape, and can be told to fail, stall or answer slowly.
public final class ComfyUITestServer: Sendable {
    /// How the server misbehaves.
    public enum Behaviour: Sendable, Equatable {
        case normal
        /// `POST /prompt` answers 500.
        case failSubmissions
        /// Prompts are accepted and start, then fail in their first sampler (or first node) with
        /// an `execution_error`, as a real server does when the GPU runs out of memory.
        case failExecution
        /// Prompts are accepted but never run.
        case stall
        /// Prompts start (`execution_start`, and `/queue` lists them running) and then wait, as a
        /// long sampler does, until the behaviour changes or the prompt is interrupted; what is
        /// queued behind stays pending meanwhile, however loaded the machine is.
        case hold
        /// Every answer waits this long first.
        case slow(Duration)
        /// The WebSocket of a prompt's client is closed right after `execution_start`.
        case dropSocket
        /// A server (or another user of it) out to hurt the client: output names that climb out
        /// of a folder, collide, and carry terminal escapes; run timestamps whose difference
        /// overflows; progress beyond its bounds; queue numbers of 1e300 and client ids with
        /// escapes; a version string with escapes. Runs complete, unless `stall`.
        case hostile(stall: Bool = false)
        /// JSON answers (`/object_info`, `/history`, `/queue`, `GET /prompt`) larger than any client
        /// should read: a server that answers, uselessly, at once.
        case oversized
    }

    /// The escape sequence a hostile server hides in names: it would set the clipboard (OSC 52)
    /// and clear the screen if a terminal obeyed it.
    public static let terminalEscape = "\u{1B}]52;c;aGFja2Vk\u{07}\u{1B}[2J"

    /// The server's base URL, e.g. `http://127.0.0.1:40123`.
    public let url: URL
    let state: ServerState
    private let task: Task<Void, any Error>
    private let files: TemporaryDirectory

    /// Starts a server on `port` (a free one when 0) and waits until it listens.
    public static func start(port: Int = 0) async throws -> ComfyUITestServer {
        let files = TemporaryDirectory("comfyui-test-server")
        let objectInfo = try ServerState.shared.get()
        let state = ServerState(folder: files.url, objectInfo: objectInfo.decoded, objectInfoBytes: objectInfo.bytes)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let router = Router()
        Routes.register(on: router, state: state)
        var logger = Logger(label: "comfyui-test-server")
        logger.logLevel = .critical
        let app = Application(router: router,
                              server: .http1WebSocketUpgrade { request, _, _ in
                                  guard request.path?.hasPrefix("/ws") == true || request.path?.hasPrefix("/api/ws") == true else {
                                      return .dontUpgrade
                                  }
                                  let clientID = URLComponents(string: request.path ?? "")?.queryItems?
                                      .first { $0.name == "clientId" }?.value ?? UUID().uuidString.lowercased()
                                  return .upgrade([:]) { inbound, outbound, _ in
                                      let (id, frames) = await state.attach(clientID: clientID)
                                      try await withThrowingTaskGroup(of: Void.self) { group in
                                          group.addTask {
                                              for try await message in inbound.messages(maxSize: 1 << 20) {
                                                  if case .text(let text) = message { await state.negotiateFeatures(clientID: clientID, id: id, message: text) }
                                              }
                                          }
                                          group.addTask {
                                              for await frame in frames {
                                                  switch frame {
                                                  case .text(let text): try await outbound.write(.text(text))
                                                  case .binary(let data): try await outbound.write(.binary(ByteBuffer(bytes: data)))
                                                  }
                                              }
                                          }
                                          try await group.next()
                                          group.cancelAll()
                                      }
                                      await state.detach(clientID: clientID)
                                  }
                              },
                              configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: logger)
        let task = Task.server { try await app.runService() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw ComfyUIError(.serverUnreachable, "the test server did not start") }
        await state.startWorker()
        return ComfyUITestServer(url: URL(string: "http://127.0.0.1:\(port)")!, state: state, task: task, files: files)
    }

    private init(url: URL, state: ServerState, task: Task<Void, any Error>, files: TemporaryDirectory) {
        self.url = url
        self.state = state
        self.task = task
        self.files = files
    }

    /// A client of this server.
    public func client(requestTimeout: Duration = .seconds(10)) -> ComfyUIClient {
        ComfyUIClient(baseURL: url, requestTimeout: requestTimeout)
    }

    public func setBehaviour(_ behaviour: Behaviour) async { await state.setBehaviour(behaviour) }

    /// Removes a model file (a checkpoint, a LoRA…) from the server, as an operator deleting it
    /// would: `/object_info` stops listing it and `POST /prompt` refuses graphs that name it. A
    /// client that fetched `/object_info` before still believes it is there.
    public func uninstall(_ file: String) async { await state.uninstall(file) }

    /// Whether the LoRA lists (`LoraLoader`, `/models/loras`) show what SaveLoRANode saved under
    /// `output/loras`, as a server configured with that folder among its LoRA folders does (the
    /// default here); `false` is a server left as installed.
    public func setListsTrainedLoRAs(_ lists: Bool) async { await state.setListsTrainedLoRAs(lists) }

    /// A file the server keeps, by its path under the server's folder (`input/<subfolder>/01.txt`,
    /// `output/loras/x_00001_.safetensors`); `nil` when there is none.
    public func file(_ path: String) -> Data? {
        guard !path.split(separator: "/").contains("..") else { return nil }
        return FileManager.default.contents(atPath: state.folder.appendingPathComponent(path).path)
    }

    /// The files under `folder` of the server's folder (`output/loras`), as relative paths.
    public func files(under folder: String) -> [String] { ServerState.files(under: state.folder.appendingPathComponent(folder)) }

    /// How many sockets a client id has opened.
    public func connections(of clientID: String) async -> Int { await state.connectionCount[clientID] ?? 0 }

    /// How many requests `endpoint` (`"GET /object_info"`; ids are part of the path) received.
    public func requests(_ endpoint: String) async -> Int { await state.requestCounts[endpoint] ?? 0 }

    /// Every request count, by endpoint.
    public func requestCounts() async -> [String: Int] { await state.requestCounts }

    /// How many requests went to paths starting with `prefix` (`"GET /history/"`).
    public func requests(startingWith prefix: String) async -> Int {
        await state.requestCounts.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +)
    }

    /// Prompt ids running or pending.
    public func activePrompts() async -> [String] { await state.activePrompts() }

    /// The class of the node the running prompt is executing (`"ImageBlur"`), nil between prompts.
    public func runningNodeType() async -> String? { await state.runningNode()?.type }

    /// Stops the server.
    public func stop() async {
        task.cancel()
        await state.stopWorker()
        // A graceful shutdown waits for every open connection to end; one a client or a relay
        // left open (a WebSocket) would keep a test waiting for good. Wait 5 s at most: the
        // server then finishes on its own, and the process ends anyway.
        let stopped = NIOLockedValueBox(false)
        let waiter = Task { [task] in
            _ = await task.result
            stopped.withLockedValue { $0 = true }
        }
        for _ in 0..<500 where !stopped.withLockedValue({ $0 }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        _ = waiter
    }

    deinit { task.cancel() }
}
