import ComfyUI
import Foundation
import Testing
import TestSupport
import Vips

/// `darkroom comfyui …` run as a user would, against the ComfyUI test server.
@Suite struct ComfyUICommandTests {
    let folder = TemporaryDirectory()
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates/text2img.json").path

    /// The captured EmptyImage → ImageScale → SaveImage graph as a file.
    func imageGraphFile() throws -> String {
        let graph: JSONValue = .object([
            "1": .object(["class_type": .string("EmptyImage"), "inputs": .object(["width": .integer(64), "height": .integer(48), "batch_size": .integer(1), "color": .integer(0x3366CC)])]),
            "2": .object(["class_type": .string("SaveImage"), "inputs": .object(["images": .array([.string("1"), .integer(0)]), "filename_prefix": .string("cli/out")])]),
        ])
        return try folder.write(JSONEncoder().encode(JSONValue.object(["prompt": graph])), to: "graph.json")
    }

    @Test func statusShowsEachServerAndWhichIsNext() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let output = try await DarkroomBinary.runDetached(["comfyui", "status", "--server", server.url.absoluteString, "--server", "http://127.0.0.1:9"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("\(server.url.absoluteString)  up  ComfyUI 0.3.64") && output.stdout.contains("← next"))
        #expect(output.stdout.contains("http://127.0.0.1:9  down"))
        let none = try await DarkroomBinary.runDetached(["comfyui", "status", "--server", "http://127.0.0.1:9"])
        #expect(none.status == 69 && none.stderr.contains("no ComfyUI server answers"))
    }

    @Test func checkNamesEveryProblemAndExits65() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let refused = try await DarkroomBinary.runDetached(["comfyui", "check", Self.template, "--set", "prompt=a lighthouse", "--server", server.url.absoluteString])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("node 4 (CheckpointLoaderSimple) input 'ckpt_name': \"sd15.safetensors\" is not available on this server"))
        #expect(refused.stderr.contains("node 10 (LoraLoader) input 'lora_name'"))
        let fine = try await DarkroomBinary.runDetached(["comfyui", "check", Self.template, "--set", "prompt=a lighthouse",
                                           "--set", "checkpoint=tiny-random-sd15.safetensors", "--set", "lora=tiny-random-lora.safetensors",
                                           "--server", server.url.absoluteString])
        #expect(fine.status == 0 && fine.stdout.hasPrefix("ok: "), "\(fine.stderr)")
        let badValue = try await DarkroomBinary.runDetached(["comfyui", "check", Self.template, "--set", "steps=999", "--server", server.url.absoluteString])
        #expect(badValue.status == 65 && badValue.stderr.contains("steps"))
        #expect(await server.activePrompts().isEmpty)
    }

    @Test func runSavesTheOutputsAndReportsTheServersRunTime() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let output = try await DarkroomBinary.runDetached(["comfyui", "run", try imageGraphFile(), "--out", folder.path("renders"),
                                             "--server", server.url.absoluteString])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("prompt ") && output.stdout.contains("(measured by the server)"))
        #expect(output.stdout.contains("saved \(folder.path("renders/out_00001_.png"))"))
        let saved = try Image(contentsOfFile: folder.path("renders/out_00001_.png"))
        #expect(saved.width == 64)
        #expect(try saved.pixel(x: 1, y: 1) == [0x33, 0x66, 0xCC])
        #expect(output.stderr.contains("queued ") && output.stderr.contains("node 2"))
    }

    @Test func failuresHaveTheirOwnExitCodes() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let unreachable = try await DarkroomBinary.runDetached(["comfyui", "run", try imageGraphFile(), "--server", "http://127.0.0.1:9"])
        #expect(unreachable.status == 69)
        let usage = try await DarkroomBinary.runDetached(["comfyui", "run", try imageGraphFile(), "--set", "a=b", "--server", server.url.absoluteString])
        #expect(usage.status == 64)
        try await server.client().upload(Data("nope".utf8), filename: "bad.png")
        let failing = try folder.write(JSONEncoder().encode(JSONValue.object([
            "1": .object(["class_type": .string("LoadImage"), "inputs": .object(["image": .string("bad.png")])]),
            "2": .object(["class_type": .string("SaveImage"), "inputs": .object(["images": .array([.string("1"), .integer(0)]), "filename_prefix": .string("x")])]),
        ])), to: "failing.json")
        let failed = try await DarkroomBinary.runDetached(["comfyui", "run", failing, "--server", server.url.absoluteString])
        #expect(failed.status == 70 && failed.stderr.contains("node 1 (LoadImage) failed: PIL.UnidentifiedImageError"), "\(failed.status): \(failed.stderr)")
        await server.setBehaviour(.stall)
        let stalled = try await DarkroomBinary.runDetached(["comfyui", "run", try imageGraphFile(), "--timeout", "1", "--server", server.url.absoluteString])
        #expect(stalled.status == 75)
        #expect(await server.activePrompts().isEmpty)
    }

    /// Starts darkroom, sends SIGINT once it reports node 3, returns its exit status. On a GCD
    /// thread: the test server answering it lives in this process.
    static func interruptAfterProgress(_ arguments: [String]) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: DarkroomBinary.path)
                    process.arguments = arguments
                    let err = Pipe()
                    process.standardError = err
                    process.standardOutput = FileHandle.nullDevice
                    try process.run()
                    var seen = Data()
                    while !String(decoding: seen, as: UTF8.self).contains("node 3") {
                        let chunk = err.fileHandleForReading.availableData
                        if chunk.isEmpty { break }
                        seen += chunk
                    }
                    process.interrupt()
                    process.waitUntilExit()
                    return process.terminationStatus
                })
            }
        }
    }

    @Test func ctrlCLeavesNothingOfOursOnTheServer() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        var nodes: [String: JSONValue] = ["1": .object(["class_type": .string("EmptyImage"), "inputs": .object(["width": .integer(32), "height": .integer(32), "batch_size": .integer(1), "color": .integer(0)])])]
        for index in 2...12 {
            nodes["\(index)"] = .object(["class_type": .string("ImageBlur"), "inputs": .object(["image": .array([.string("\(index - 1)"), .integer(0)]), "blur_radius": .integer(1), "sigma": .number(1)])])
        }
        nodes["13"] = .object(["class_type": .string("SaveImage"), "inputs": .object(["images": .array([.string("12"), .integer(0)]), "filename_prefix": .string("slow")])])
        let file = try folder.write(JSONEncoder().encode(JSONValue.object(nodes)), to: "slow.json")
        let status = try await Self.interruptAfterProgress(["comfyui", "run", file, "--server", server.url.absoluteString,
                                                             "--out", folder.url.path])
        #expect(status == 130)
        var active = await server.activePrompts()
        for _ in 0..<100 where !active.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            active = await server.activePrompts()
        }
        #expect(active.isEmpty)
    }
}
