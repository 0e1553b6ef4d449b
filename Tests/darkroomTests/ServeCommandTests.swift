import AsyncHTTPClient
import ComfyUITestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport
import Vips

/// `darkroom serve` and `darkroom keys` as an operator runs them.
@Suite(.onTestThreads) struct ServeCommandTests {
    let folder = TemporaryDirectory("serve-cli")

    @Test func serveSaysWhereItListensServesWithItsFirstKeyAndStopsOnSIGTERM() async throws {
        let (process, printed) = try await Self.start(["serve", "--port", "0", "--data", folder.path("data"), "--templates",
                                                       MakeCommandTests.templates, "--server", "http://127.0.0.1:9"])
        defer { if process.isRunning { process.terminate() } }
        let text = printed.joined(separator: "\n")
        #expect(text.contains("ComfyUI http://127.0.0.1:9: does not answer"), "\(text)")
        #expect(text.contains("no ComfyUI server answers: everything that does not generate is served"))
        let base = try Self.base(printed)
        let key = try #require(printed.first { $0.contains("made an admin key") }?.split(separator: " ").last).description
        let ready = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/ready"), timeout: .seconds(10))
        #expect(ready.status.code == 200)
        var templates = HTTPClientRequest(url: base + "/v1/templates")
        templates.headers.add(name: "Authorization", value: "Bearer \(key)")
        #expect(try await HTTPClient.shared.execute(templates, timeout: .seconds(10)).status.code == 200)
        process.terminate()
        for _ in 0..<500 where process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning && process.terminationStatus == 0, "a SIGTERM ends the server cleanly")
        // The key is kept: a second start makes none, and `keys` lists it.
        let listed = try await DarkroomBinary.run(["keys", "list", "--data", folder.path("data")])
        #expect(listed.status == 0 && listed.stdout.contains("admin") && listed.stdout.contains("first admin key"), "\(listed.stdout)")
        // `darkroom sign` signs with the key the server made in the data folder.
        let signed = try await DarkroomBinary.run(["sign", "thumbnail:64/format:auto", "m_3f9a894379ff867e5fb846bd", "--base", base,
                                                   "--data", folder.path("data")])
        let url = signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(signed.status == 0 && url.hasPrefix(base + "/v1/img/") && url.hasSuffix("/thumbnail:64/format:auto/m_3f9a894379ff867e5fb846bd"), "\(url)")
        #expect(FileManager.default.fileExists(atPath: folder.path("data") + "/signing.key"))
        let again = try await DarkroomBinary.run(["sign", "thumbnail:64/format:auto", "m_3f9a894379ff867e5fb846bd", "--base", base,
                                                  "--data", folder.path("data")])
        #expect(again.stdout == signed.stdout, "the same key signs the same way")
    }

    #if os(Linux)
    /// The server maps none of libvips' modules until a request needs one: an AVIF made on the
    /// fly loads the HEIF module then and is answered, and the modules that only hold loaders a
    /// server blocks (PDF, ImageMagick) are never loaded. The server inherits the `VIPSHOME`
    /// libvips set in this test process as it started, as any child of a libvips user would.
    @Test func libvipsModulesLoadWhenARequestFirstNeedsOne() async throws {
        VipsRuntime.start()
        #expect(getenv("VIPSHOME") != nil, "libvips sets it as it starts")
        let (process, printed) = try await Self.start(["serve", "--port", "0", "--data", folder.path("data"), "--server", "http://127.0.0.1:9"])
        defer { if process.isRunning { process.terminate() } }
        let base = try Self.base(printed)
        let key = try #require(printed.first { $0.contains("made an admin key") }?.split(separator: " ").last).description
        // Read to its end: /proc reports a size of 0, which `String(contentsOfFile:)` believes.
        let modules = { () throws -> String in
            let maps = try #require(FileHandle(forReadingAtPath: "/proc/\(process.processIdentifier)/maps"))
            defer { try? maps.close() }
            let text = String(decoding: try maps.readToEnd() ?? Data(), as: UTF8.self)
            #expect(text.contains("libvips.so"), "the server's own maps")
            return text.split(separator: "\n").filter { $0.contains("vips-modules") }.joined(separator: "\n")
        }
        let atStart = try modules()
        #expect(atStart.isEmpty, "no module is mapped at the start: \(atStart)")
        var upload = HTTPClientRequest(url: base + "/v1/media?user=web:alice")
        upload.method = .POST
        upload.headers.add(name: "Authorization", value: "Bearer \(key)")
        upload.headers.add(name: "Content-Type", value: "image/png")
        upload.body = .bytes(ByteBuffer(bytes: Array(try TestImages.photo(width: 96, height: 64).data(format: .png))))
        let stored = try await HTTPClient.shared.execute(upload, timeout: .seconds(30))
        let body = String(buffer: try await stored.body.collect(upTo: 1 << 16))
        let id = try #require(body.firstMatch(of: /"id":"(m_[0-9a-f]+)"/)?.output.1).description
        let signed = try await DarkroomBinary.run(["sign", "resize:48x48/format:auto", id, "--base", base, "--data", folder.path("data")])
        // When
        var request = HTTPClientRequest(url: signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        request.headers.add(name: "Accept", value: "image/avif,image/webp,*/*")
        let answer = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = Data(try await answer.body.collect(upTo: 1 << 20).readableBytesView)
        // Then
        #expect(answer.status.code == 200 && answer.headers.first(name: "Content-Type") == "image/avif")
        #expect(try Image(data: bytes).header.format == .avif)
        let loaded = try modules()
        #expect(loaded.contains("vips-heif.so"), "\(loaded)")
        #expect(!loaded.contains("vips-poppler.so") && !loaded.contains("vips-magick.so"), "\(loaded)")
    }
    #endif

    @Test func aServerKilledInTheMiddleOfAJobFinishesItWhenItStartsAgain() async throws {
        let comfyui = try await ComfyUITestServer.start()
        defer { Task { await comfyui.stop() } }
        await comfyui.setBehaviour(.hold)
        let arguments = ["serve", "--port", "0", "--data", folder.path("data"), "--templates", MakeCommandTests.templates,
                         "--server", comfyui.url.absoluteString, "--request-timeout", "60", "--job-lease", "2"]
        var (first, printed) = try await Self.start(arguments)
        let base = try Self.base(printed)
        let key = try #require(printed.first { $0.contains("made an admin key") }?.split(separator: " ").last).description
        let job = try await Self.startRunningJob(base: base, key: key)
        // The server dies with the job running on ComfyUI; the run goes on there and ends. Started
        // again, it takes the job over once the dead process's 2 s lease has ended.
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        await comfyui.setBehaviour(.normal)
        for _ in 0..<500 where await !comfyui.activePrompts().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        (first, printed) = try await Self.start(arguments, until: { lines in
            lines.contains { $0.contains("resumed 1 open job") } && lines.contains { $0.contains("Authorization: Bearer") }
        })
        defer { first.terminate() }
        #expect(printed.contains { $0.contains("resumed 1 open job of an earlier run: \(job) completed") }, "\(printed)")
        var read = HTTPClientRequest(url: try Self.base(printed) + "/v1/jobs/\(job)")
        read.headers.add(name: "Authorization", value: "Bearer \(key)")
        let reply = try await HTTPClient.shared.execute(read, timeout: .seconds(30))
        let record = try JSONSerialization.jsonObject(with: Data(try await reply.body.collect(upTo: 1 << 20).readableBytesView)) as? [String: Any]
        #expect(record?["state"] as? String == "completed" && (record?["media"] as? [String])?.count == 1, "\(String(describing: record))")
    }

    @Test func aGracefulStopEndsOpenEventStreamsInsteadOfWaitingForThem() async throws {
        let comfyui = try await ComfyUITestServer.start()
        defer { Task { await comfyui.stop() } }
        await comfyui.setBehaviour(.hold)
        let (server, printed) = try await Self.start(["serve", "--port", "0", "--data", folder.path("graceful"), "--templates", MakeCommandTests.templates,
                                                      "--server", comfyui.url.absoluteString, "--request-timeout", "60"])
        defer { if server.isRunning { server.terminate() } }
        let base = try Self.base(printed)
        let key = try #require(printed.first { $0.contains("made an admin key") }?.split(separator: " ").last).description
        let job = try await Self.startRunningJob(base: base, key: key)
        // A client follows the job, which runs on (ComfyUI holds it) while the server is asked to stop.
        var follow = HTTPClientRequest(url: base + "/v1/jobs/\(job)/events")
        follow.headers.add(name: "Authorization", value: "Bearer \(key)")
        let stream = try await HTTPClient.shared.execute(follow, timeout: .seconds(120))
        // Asked to stop once the client has its first events (a stream ended before it wrote
        // anything is as good: the client reconnects with Last-Event-ID and misses nothing).
        let (firstEvents, arrived) = AsyncStream<Void>.makeStream()
        let events = Task {
            var seen = ""
            for try await buffer in stream.body {
                seen += String(buffer: buffer)
                arrived.yield()
            }
            arrived.finish()
            return seen
        }
        for await _ in firstEvents { break }
        let asked = ContinuousClock.now
        server.terminate()
        for _ in 0..<1_500 where server.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!server.isRunning && server.terminationStatus == 0, "the server stopped cleanly")
        #expect(ContinuousClock.now - asked < .seconds(20), "without waiting for the job's stream to end")
        let seen = try await events.value
        #expect(seen.contains("event: held"), "\(seen)")
        await comfyui.setBehaviour(.normal)
    }

    /// Starts an image job through the API and waits until it runs on ComfyUI and is recorded so
    /// (the ticket is written once the server queued the prompt).
    static func startRunningJob(base: String, key: String) async throws -> String {
        var post = HTTPClientRequest(url: base + "/v1/images")
        post.method = .POST
        post.headers.add(name: "Authorization", value: "Bearer \(key)")
        post.body = .bytes(ByteBuffer(string: #"{"user": "telegram:5472638766", "prompt": "a lighthouse", "settings": {"checkpoint": "tiny-random-sd15.safetensors", "width": 64, "height": 64, "steps": 4}, "inputs": {"lora": "tiny-random-lora.safetensors"}}"#))
        let started = try await HTTPClient.shared.execute(post, timeout: .seconds(60))
        let body = try await started.body.collect(upTo: 1 << 20)
        let job = try #require((try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["job"] as? String)
        var read = HTTPClientRequest(url: base + "/v1/jobs/\(job)")
        read.headers.add(name: "Authorization", value: "Bearer \(key)")
        for _ in 0..<500 {
            let state = try await HTTPClient.shared.execute(read, timeout: .seconds(10)).body.collect(upTo: 1 << 20)
            let record = try JSONSerialization.jsonObject(with: Data(state.readableBytesView)) as? [String: Any]
            if ["submitted", "running"].contains(record?["state"] as? String), record?["ticket"] != nil { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return job
    }

    /// Starts `darkroom serve` and reads what it prints until `done` (its example request by default).
    static func start(_ arguments: [String], until done: @escaping @Sendable ([String]) -> Bool = { $0.last?.contains("Authorization: Bearer") == true })
        async throws -> (Process, [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DarkroomBinary.path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, try await lines(of: out.fileHandleForReading, until: done))
    }

    static func base(_ printed: [String]) throws -> String {
        try #require(printed.first { $0.hasPrefix("darkroom serve: listening on ") }?.split(separator: " ")[4]).description
    }

    @Test func keysAreMadeListedAndRevokedAndABadPortIsNamed() async throws {
        let data = ["--data", folder.path("data")]
        let made = try await DarkroomBinary.run(["keys", "create", "telegram bot", "--platform", "telegram"] + data)
        #expect(made.status == 0 && made.stdout.hasPrefix("key-") && made.stderr.contains("shown only now"), "\(made.stderr)")
        let id = String(made.stdout.prefix { $0 != "." })
        let noPlatform = try await DarkroomBinary.run(["keys", "create", "orphan"] + data)
        #expect(noPlatform.status == 65 && noPlatform.stderr.contains("needs the platform"), "\(noPlatform.stderr)")
        #expect(try await DarkroomBinary.run(["keys", "revoke", id] + data).stdout == "revoked \(id)\n")
        let listed = try await DarkroomBinary.run(["keys", "list"] + data)
        #expect(listed.stdout.contains("\(id)  client telegram  600/min  \"telegram bot\"  revoked"), "\(listed.stdout)")
        #expect(try await DarkroomBinary.run(["keys", "revoke", id] + data).status == 65)
        let badPort = try await DarkroomBinary.run(["serve", "--port", "70000"] + data)
        #expect(badPort.status == 64 && badPort.stderr.contains("port (--port, DARKROOM_PORT): expected 0 … 65535, received 70000"),
                "\(badPort.stderr)")
    }

    @Test func settingsComeFromAFileUnderTheEnvironmentAndTheCommandLineAndABadOneIsNamed() async throws {
        let file = folder.path("darkroom.json")
        try Data("""
            {"port": 0, "data": "\(folder.path("from-file"))", "comfyui": ["http://127.0.0.1:9"], "images": {"queue": 3},
             "training": {"review": "off"}, "templates": "\(MakeCommandTests.templates)"}
            """.utf8).write(to: URL(fileURLWithPath: file))
        let (process, printed) = try await Self.start(["serve", "--config", file])
        defer { if process.isRunning { process.terminate() } }
        let text = printed.joined(separator: "\n")
        #expect(text.contains("media in \(folder.path("from-file")))") && text.contains("ComfyUI http://127.0.0.1:9: does not answer"), "\(text)")
        process.terminate()

        // The environment wins over the file, the command line over both; each bad value is named with where it can be set.
        let badFile = folder.path("bad.json")
        try Data(#"{"port": "eighty", "images": {"queue": -1}}"#.utf8).write(to: URL(fileURLWithPath: badFile))
        let fromFile = try await DarkroomBinary.run(["serve", "--config", badFile])
        #expect(fromFile.status == 64 && fromFile.stderr.contains("port (--port, DARKROOM_PORT, \"port\" in \(badFile)): expected a whole number"),
                "\(fromFile.stderr)")
        let fromEnvironment = try await DarkroomBinary.run(["serve", "--config", badFile], environment: ["DARKROOM_PORT": "0", "DARKROOM_IMAGES_QUEUE": "x"])
        #expect(fromEnvironment.status == 64 && fromEnvironment.stderr.contains("images.queue (DARKROOM_IMAGES_QUEUE, \"images.queue\" in \(badFile)): expected a whole number"),
                "\(fromEnvironment.stderr)")
        let review = try await DarkroomBinary.run(["serve", "--port", "0"], environment: ["DARKROOM_TRAINING_REVIEW": "maybe"])
        #expect(review.status == 64 && review.stderr.contains("training.review (DARKROOM_TRAINING_REVIEW): expected on or off, received 'maybe'"),
                "\(review.stderr)")
        let missing = try await DarkroomBinary.run(["serve"], environment: ["DARKROOM_CONFIG": folder.path("nowhere.json")])
        #expect(missing.status == 64 && missing.stderr.contains("config (--config or DARKROOM_CONFIG): no file at"), "\(missing.stderr)")
        let help = try await DarkroomBinary.run(["serve", "--help"])
        for entry in ["host", "port", "data", "templates", "comfyui", "request_timeout", "images.at_once", "images.queue", "fetch.allow",
                      "training.review", "signing.key"] {
            #expect(help.stdout.contains("  \(entry): "), "--help lists \(entry)")
        }
    }

    struct NoRequestPrinted: Error { var lines: [String] }

    /// Lines read from `handle` (on a thread of its own) until those read satisfy `done`, 60 s at most.
    static func lines(of handle: FileHandle, until done: @escaping @Sendable ([String]) -> Bool) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var buffer = Data(), lines: [String] = []
                let start = Date()
                while Date().timeIntervalSince(start) < 60 {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer += chunk
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                        buffer = Data(buffer[buffer.index(after: newline)...])
                        lines.append(line)
                        if done(lines) { return continuation.resume(returning: lines) }
                    }
                }
                continuation.resume(throwing: NoRequestPrinted(lines: lines))
            }
        }
    }
}
