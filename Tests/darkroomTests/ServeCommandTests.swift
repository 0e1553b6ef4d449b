import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// `darkroom serve` and `darkroom keys` as an operator runs them.
@Suite struct ServeCommandTests {
    let folder = TemporaryDirectory("serve-cli")

    @Test func serveSaysWhereItListensServesWithItsFirstKeyAndStopsOnSIGTERM() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DarkroomBinary.path)
        process.arguments = ["serve", "--port", "0", "--data", folder.path("data"), "--templates", MakeCommandTests.templates,
                             "--server", "http://127.0.0.1:9"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // What it prints on start, up to its second example request.
        let printed = try await Self.lines(of: out.fileHandleForReading, until: { $0.contains("Authorization: Bearer") })
        let text = printed.joined(separator: "\n")
        #expect(text.contains("ComfyUI http://127.0.0.1:9: does not answer"), "\(text)")
        #expect(text.contains("no ComfyUI server answers: everything that does not generate is served"))
        let base = try #require(printed.first { $0.hasPrefix("darkroom serve: listening on ") }?
            .split(separator: " ")[4]).description
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
        #expect(badPort.status == 64 && badPort.stderr.contains("port (--port or DARKROOM_PORT): expected 0 … 65535, received '70000'"),
                "\(badPort.stderr)")
    }

    struct NoRequestPrinted: Error { var lines: [String] }

    /// Lines read from `handle` (on a thread of its own) until one satisfies `done`, 60 s at most.
    static func lines(of handle: FileHandle, until done: @escaping @Sendable (String) -> Bool) async throws -> [String] {
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
                        if done(line) { return continuation.resume(returning: lines) }
                    }
                }
                continuation.resume(throwing: NoRequestPrinted(lines: lines))
            }
        }
    }
}
