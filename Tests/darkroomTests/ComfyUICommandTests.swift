import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport
import Vips

/// `darkroom comfyui …` run as a user would, against the ComfyUI test server.
@Suite(.onTestThreads) struct ComfyUICommandTests {
    let folder = TemporaryDirectory()
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates/text2img.json").path

    /// EmptyImage → SaveImage as a graph file.
    func imageGraphFile() throws -> String {
        try folder.write(JSONEncoder().encode(JSONValue.object(["prompt": .object(Graphs.empty(prefix: "cli/out"))])), to: "graph.json")
    }

    /// EmptyImage, `blurs` ImageBlur nodes (each a noticeable wait on the test server), ImageScale, SaveImage.
    static func slowGraph(blurs: Int) -> [String: JSONValue] {
        Graphs.slow(blurs: blurs, side: 32, colour: 0, prefix: "slow")
    }

    /// Decodes a command's JSON output.
    static func json(_ output: Command.Output) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: output.stdoutData)
    }

    /// Waits until `promptID` runs on the server.
    static func waitUntilRunning(_ promptID: String, on client: ComfyUIClient) async throws {
        for _ in 0..<500 {
            if try await client.queue().running.contains(where: { $0.promptID == promptID }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("prompt \(promptID) never started")
    }

    @Test func statusShowsEachServerAndWhichIsNext() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let output = try await DarkroomBinary.run(["comfyui", "status", "--server", server.url.absoluteString, "--server", "http://127.0.0.1:9"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("\(server.url.absoluteString)  up  ComfyUI 0.3.64") && output.stdout.contains("← next"))
        #expect(output.stdout.contains("http://127.0.0.1:9  down"))
        let none = try await DarkroomBinary.run(["comfyui", "status", "--server", "http://127.0.0.1:9"])
        #expect(none.status == 69 && none.stderr.contains("no ComfyUI server answers"))
    }

    @Test func checkNamesEveryProblemAndExits65() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let refused = try await DarkroomBinary.run(["comfyui", "check", Self.template, "--set", "prompt=a lighthouse", "--server", server.url.absoluteString])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("node 4 (CheckpointLoaderSimple) input 'ckpt_name': \"sd15.safetensors\" is not available on this server"))
        #expect(refused.stderr.contains("node 10 (LoraLoader) input 'lora_name'"))
        let fine = try await DarkroomBinary.run(["comfyui", "check", Self.template, "--set", "prompt=a lighthouse",
                                           "--set", "checkpoint=tiny-random-sd15.safetensors", "--set", "lora=tiny-random-lora.safetensors",
                                           "--server", server.url.absoluteString])
        #expect(fine.status == 0 && fine.stdout.hasPrefix("ok: "), "\(fine.stderr)")
        let badValue = try await DarkroomBinary.run(["comfyui", "check", Self.template, "--set", "steps=999", "--server", server.url.absoluteString])
        #expect(badValue.status == 65 && badValue.stderr.contains("steps"))
        #expect(await server.activePrompts().isEmpty)

        let refusedJSON = try await DarkroomBinary.run(["comfyui", "check", Self.template, "--set", "prompt=a lighthouse", "--json", "--server", server.url.absoluteString])
        #expect(refusedJSON.status == 65)
        let error = try #require(try Self.json(refusedJSON).object?["error"]?.object)
        #expect(error["code"] == "graph_rejected" && error["exitCode"] == 65)
        #expect(error["problems"]?.array?.compactMap { $0.object?["input"]?.string } == ["ckpt_name", "lora_name"])
        #expect(error["problems"]?.array?.first?.object?["classType"] == "CheckpointLoaderSimple")
        let fineJSON = try await DarkroomBinary.run(["comfyui", "check", Self.template, "--set", "prompt=a lighthouse", "--set", "checkpoint=tiny-random-sd15.safetensors",
                                                             "--set", "lora=tiny-random-lora.safetensors", "--json", "--server", server.url.absoluteString])
        let fineReport = try Self.json(fineJSON).object
        #expect(fineJSON.status == 0 && fineReport?["ok"] == true && fineReport?["nodes"] == 8)

        // --set reads a value by the input's declared type: a text prompt of "42" is text.
        let numericPrompt = try await DarkroomBinary.run(["comfyui", "check", Self.template, "--set", "prompt=42",
                                                          "--set", "checkpoint=tiny-random-sd15.safetensors", "--set", "lora=tiny-random-lora.safetensors",
                                                          "--server", server.url.absoluteString])
        #expect(numericPrompt.status == 0, "\(numericPrompt.stderr)")
        let wordySteps = try await DarkroomBinary.run(["comfyui", "check", Self.template, "--set", "steps=many", "--json", "--server", server.url.absoluteString])
        let stepsError = try #require(try Self.json(wordySteps).object?["error"]?.object)
        #expect(wordySteps.status == 65 && stepsError["code"] == "invalid_input")
        #expect(stepsError["problems"]?.array?.first?.object?["input"] == "steps", "\(wordySteps.stdout)")
    }

    @Test func runSavesTheOutputsAndReportsTheServersRunTime() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let output = try await DarkroomBinary.run(["comfyui", "run", try imageGraphFile(), "--out", folder.path("renders"),
                                             "--server", server.url.absoluteString])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("prompt ") && output.stdout.contains("(measured by the server)"))
        #expect(output.stdout.contains("saved \(folder.path("renders/out_00001_.png"))"))
        let saved = try Image(contentsOfFile: folder.path("renders/out_00001_.png"))
        #expect(saved.width == 64)
        #expect(try saved.pixel(x: 1, y: 1) == [0x33, 0x66, 0xCC])
        #expect(output.stderr.contains("queued ") && output.stderr.contains("node 2"))

        let again = try await DarkroomBinary.run(["comfyui", "run", try imageGraphFile(), "--out", folder.path("json"), "--json",
                                                          "--server", server.url.absoluteString])
        #expect(again.status == 0, "\(again.stderr)")
        let report = try #require(try Self.json(again).object)
        #expect(report["cached"] == true && report["server"]?.string == server.url.absoluteString)
        #expect(report["promptID"]?.string?.count == 36 && (report["runSeconds"]?.number ?? -1) >= 0)
        let image = try #require(report["images"]?.array?.first?.object)
        #expect(image["node"] == "2" && image["path"]?.string == folder.path("json/out_00001_.png"))
        #expect(image["bytes"]?.int64 == (try FileManager.default.attributesOfItem(atPath: folder.path("json/out_00001_.png"))[.size] as? NSNumber)?.int64Value)
    }

    @Test func failuresHaveTheirOwnExitCodes() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let unreachable = try await DarkroomBinary.run(["comfyui", "run", try imageGraphFile(), "--server", "http://127.0.0.1:9"])
        #expect(unreachable.status == 69)
        let usage = try await DarkroomBinary.run(["comfyui", "run", try imageGraphFile(), "--set", "a=b", "--server", server.url.absoluteString])
        #expect(usage.status == 64)
        let refusedGraph = try folder.write(JSONEncoder().encode(JSONValue.object([
            "1": ["class_type": "EmptyImage", "inputs": ["width": 0, "height": 8, "batch_size": 1, "color": 0]],
            "2": ["class_type": "SaveImage", "inputs": ["images": ["1", 0], "filename_prefix": "x"]],
        ])), to: "refused.json")
        let refused = try await DarkroomBinary.run(["comfyui", "run", refusedGraph, "--server", server.url.absoluteString])
        #expect(refused.status == 65 && refused.stderr.contains("node 1 (EmptyImage) input 'width': 0 is below the minimum 1"), "\(refused.stderr)")
        #expect(await server.activePrompts().isEmpty)
        let aFile = try folder.write(Data("x".utf8), to: "a-file")
        let unwritable = try await DarkroomBinary.run(["comfyui", "run", try imageGraphFile(), "--out", aFile + "/renders",
                                                               "--server", server.url.absoluteString])
        #expect(unwritable.status == 70 && unwritable.stderr.contains("cannot create the output folder; nothing was queued"), "\(unwritable.stderr)")
        #expect(try await server.client().queue() == .empty)
        _ = try await server.client().upload(Data("nope".utf8), filename: "bad.png")
        let failing = try folder.write(JSONEncoder().encode(JSONValue.object([
            "1": .object(["class_type": .string("LoadImage"), "inputs": .object(["image": .string("bad.png")])]),
            "2": .object(["class_type": .string("SaveImage"), "inputs": .object(["images": .array([.string("1"), .integer(0)]), "filename_prefix": .string("x")])]),
        ])), to: "failing.json")
        let failed = try await DarkroomBinary.run(["comfyui", "run", failing, "--server", server.url.absoluteString])
        #expect(failed.status == 70 && failed.stderr.contains("node 1 (LoadImage) failed: PIL.UnidentifiedImageError"), "\(failed.status): \(failed.stderr)")
        await server.setBehaviour(.stall)
        let stalled = try await DarkroomBinary.run(["comfyui", "run", try imageGraphFile(), "--timeout", "1", "--server", server.url.absoluteString])
        #expect(stalled.status == 75)
        #expect(await server.activePrompts().isEmpty)
        await server.setBehaviour(.normal)
        let failedAgain = try await DarkroomBinary.run(["comfyui", "run", failing, "--json", "--server", server.url.absoluteString])
        let error = try #require(try Self.json(failedAgain).object?["error"]?.object)
        #expect(failedAgain.status == 70 && error["code"] == "execution_failed" && error["exitCode"] == 70)
        #expect(error["problems"]?.array?.first?.object?["node"] == "1")
        let down = try await DarkroomBinary.run(["comfyui", "run", try imageGraphFile(), "--json", "--server", "http://127.0.0.1:9"])
        let downError = try Self.json(down).object?["error"]?.object
        #expect(down.status == 69 && downError?["code"] == "server_unreachable")
    }

    @Test func queueListsClearsOursAndDeletesById() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let client = server.client()
        // The first prompt starts and stays running until it is interrupted; what waits behind
        // it still waits when the test deletes it, however loaded the machine is.
        await server.setBehaviour(.hold)
        let running = try await client.submit(Self.slowGraph(blurs: 98), clientID: ClientID.new("test"))
        try await Self.waitUntilRunning(running.promptID, on: client)
        let ours = try await client.submit(Self.slowGraph(blurs: 2), clientID: ClientID.new("test"))
        let theirs = try await client.submit(Self.slowGraph(blurs: 3), clientID: "someone-else")
        let url = server.url.absoluteString

        let listed = try await DarkroomBinary.run(["comfyui", "queue", "--server", url])
        #expect(listed.status == 0, "\(listed.stderr)")
        let lines = listed.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(url)  1 running, 2 pending")
        #expect(lines.count == 4 && lines[1].hasPrefix("  running  #0  \(running.promptID)  101 nodes  client darkroom-test-") && lines[1].hasSuffix("(ours)"))
        #expect(lines[2].hasPrefix("  pending  #1  \(ours.promptID)  5 nodes") && lines[2].hasSuffix("(ours)"))
        #expect(lines[3] == "  pending  #2  \(theirs.promptID)  6 nodes  client someone-else")

        let json = try Self.json(try await DarkroomBinary.run(["comfyui", "queue", "--json", "--server", url, "--server", "http://127.0.0.1:9"]))
        let servers = try #require(json.array)
        #expect(servers.count == 2 && servers[1].object?["reachable"] == false && servers[1].object?["error"]?.string?.isEmpty == false)
        #expect(servers[0].object?["pending"]?.array?.compactMap { $0.object?["promptID"]?.string } == [ours.promptID, theirs.promptID])
        #expect(servers[0].object?["running"]?.array?.first?.object?["outputNodes"] == .array(["101"]))

        let cleared = try await DarkroomBinary.run(["comfyui", "queue", "--clear", "--server", url])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(cleared.stdout.contains("removed \(ours.promptID) from \(url)"))
        #expect(cleared.stdout.contains("prompt \(running.promptID) of ours is running on \(url); stop it with `darkroom comfyui interrupt \(running.promptID)`"))
        #expect(try await client.queue().pending.map(\.promptID) == [theirs.promptID])

        let runningOne = try await DarkroomBinary.run(["comfyui", "queue", "--delete", running.promptID, "--server", url])
        #expect(runningOne.status == 65 && runningOne.stderr.contains("prompt \(running.promptID) is running on \(url), not waiting"),
                "\(runningOne.stderr)")
        let unknown = try await DarkroomBinary.run(["comfyui", "queue", "--delete", "no-such-prompt", "--json", "--server", url])
        #expect(unknown.status == 65 && unknown.stderr.contains("no server knows prompt no-such-prompt"))
        let unknownReport = try Self.json(unknown).object
        #expect(unknownReport?["problems"]?.array?.count == 1)
        let deleted = try await DarkroomBinary.run(["comfyui", "queue", "--delete", theirs.promptID, "--server", url])
        #expect(deleted.status == 0 && deleted.stdout == "removed \(theirs.promptID) from \(url)\n", "\(deleted.stderr)")
        #expect(try await client.queue().pending.isEmpty)
        let both = try await DarkroomBinary.run(["comfyui", "queue", "--clear", "--delete", "x", "--server", url])
        #expect(both.status == 64)
        try await client.interrupt(running.promptID)
        let none = try await DarkroomBinary.run(["comfyui", "queue", "--server", "http://127.0.0.1:9"])
        #expect(none.status == 69 && none.stderr.contains("no ComfyUI server answers"))
    }

    @Test func interruptStopsARunningPromptOrRemovesAWaitingOne() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let client = server.client()
        let url = server.url.absoluteString
        // Held in its blurs until interrupted, however long the commands take on a loaded machine.
        await server.setBehaviour(.hold)
        let running = try await client.submit(Self.slowGraph(blurs: 98), clientID: "someone-else")
        try await Self.waitUntilRunning(running.promptID, on: client)
        let waiting = try await client.submit(Self.slowGraph(blurs: 2), clientID: "someone-else")

        let removed = try await DarkroomBinary.run(["comfyui", "interrupt", waiting.promptID, "--server", "http://127.0.0.1:9", "--server", url])
        #expect(removed.status == 0 && removed.stdout == "removed \(waiting.promptID) from the queue of \(url) (it had not started)\n", "\(removed.stderr)")
        let stopped = try await DarkroomBinary.run(["comfyui", "interrupt", running.promptID, "--json", "--server", url])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let report = try #require(try Self.json(stopped).object)
        #expect(report["outcome"] == "interrupted" && report["promptID"]?.string == running.promptID, "\(report)")
        #expect(try await client.queue() == .empty)
        // Stopped before a blur ran; the report names the node, as history does.
        guard case .interrupted(let node?)? = try await client.history(of: running.promptID)?.outcome else {
            Issue.record("history does not name the node the prompt was interrupted at")
            return
        }
        #expect(report["node"]?.string == node && Int(node).map { (1...101).contains($0) } == true)

        let again = try await DarkroomBinary.run(["comfyui", "interrupt", running.promptID, "--server", url])
        #expect(again.status == 65 && again.stderr.contains("prompt \(running.promptID) is not running or waiting on \(url): it was interrupted"))
        let unknown = try await DarkroomBinary.run(["comfyui", "interrupt", "no-such-prompt", "--server", url])
        #expect(unknown.status == 65 && unknown.stderr.contains("no server knows prompt no-such-prompt"))
        let missing = try await DarkroomBinary.run(["comfyui", "interrupt", "--server", url])
        #expect(missing.status == 64)

        // A blur in progress finishes before the server stops: not within --wait 0. (The blur is held
        // while the command runs, so that a slow machine does not let it end first; it must have
        // started: a prompt held before its first node stops at once.)
        await server.setBehaviour(.normal)
        let another = try await client.submit(Self.slowGraph(blurs: 98), clientID: "someone-else")
        try await Self.waitUntilRunning(another.promptID, on: client)
        for _ in 0..<1_000 where await server.runningNodeType() != "ImageBlur" { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await server.runningNodeType() == "ImageBlur")
        await server.setBehaviour(.hold)
        let impatient = try await DarkroomBinary.run(["comfyui", "interrupt", another.promptID, "--wait", "0", "--server", url])
        await server.setBehaviour(.normal)
        #expect(impatient.status == 75 && impatient.stderr.contains("was asked to stop \(another.promptID) but it is still running"), "\(impatient.stderr)")
        guard case .interrupted? = try await client.waitForRun(another.promptID, deadline: .seconds(30)).outcome as RunRecord.Outcome? else {
            Issue.record("the prompt was not stopped after all")
            return
        }
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
        let file = try folder.write(JSONEncoder().encode(JSONValue.object(Self.slowGraph(blurs: 11))), to: "slow.json")
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
