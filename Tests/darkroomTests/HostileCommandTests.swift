import ComfyUI
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Testing
import TestSupport
import Vips

/// The command line against inputs and outputs that would hurt: endless standard input, a
/// pyramid written over a folder, a batch written over its own inputs.
@Suite(.onTestThreads) struct HostileCommandTests {
    let folder = TemporaryDirectory()

    func darkroom(_ arguments: String..., input: Data? = nil) async throws -> Command.Output {
        try await DarkroomBinary.run(arguments, in: folder, standardInput: input)
    }

    @Test func standardInputIsReadOnlyUpToTheLimit() async throws {
        let tooMuch = Data(count: 100 * 1024 * 1024 + 1)
        for command in [["image", "convert", "-", "out.png"], ["image", "info", "-"]] {
            let output = try await DarkroomBinary.run(command, in: folder, standardInput: tooMuch)
            #expect(output.status == 65 && output.stderr.contains("[limit_exceeded]"), "\(command): \(output.stderr)")
        }
        #expect(!folder.entries().contains("out.png"))
    }

    @Test func tilingOverAFolderThatIsNotAPyramidIsRefusedWithoutForce() async throws {
        try TestImages.write(Image.sample(width: 300, height: 200), "photo.jpg", in: folder)
        try FileManager.default.createDirectory(atPath: folder.path("Pictures"), withIntermediateDirectories: true)
        try folder.write(Data("keep me".utf8), to: "Pictures/keep.txt")
        let refused = try await darkroom("image", "tile", "photo.jpg", "Pictures", "--layout", "google")
        #expect(refused.status == 64 && refused.stderr.contains("not a pyramid darkroom wrote"), "\(refused.stderr)")
        #expect(folder.entries("Pictures") == ["keep.txt"])
        #expect(try await darkroom("image", "tile", "photo.jpg", "pyramid", "--layout", "google").status == 0)
        #expect(try await darkroom("image", "tile", "photo.jpg", "pyramid", "--layout", "google").status == 0)
        #expect(try await darkroom("image", "tile", "photo.jpg", "Pictures", "--layout", "google", "--force").status == 0)
    }

    @Test func aBatchNeverWritesOverItsInputs() async throws {
        try FileManager.default.createDirectory(atPath: folder.path("photos"), withIntermediateDirectories: true)
        for index in 1...3 {
            try TestImages.write(Image.sample(width: 64, height: 48, seed: index), "photos/p\(index).jpg", in: folder)
        }
        let before = try folder.allFiles("photos").map { try Data(contentsOf: URL(fileURLWithPath: folder.path("photos/\($0)"))) }
        let output = try await darkroom("image", "batch", "photos", "photos/", "convert")
        #expect(output.status == 1 && output.stderr.contains("is the input"), "\(output.stderr)")
        let after = try folder.allFiles("photos").map { try Data(contentsOf: URL(fileURLWithPath: folder.path("photos/\($0)"))) }
        #expect(before == after)
        // Through another spelling of the same folder too.
        let again = try await darkroom("image", "batch", "photos", "./photos/../photos", "convert")
        #expect(again.status == 1)
    }

    /// A graph file: EmptyImage → SaveImage.
    func graphFile() throws -> String {
        let graph: JSONValue = ["1": ["class_type": "EmptyImage", "inputs": ["width": 16, "height": 16, "batch_size": 1, "color": 0]],
                                "2": ["class_type": "SaveImage", "inputs": ["images": ["1", 0], "filename_prefix": "x/out"]]]
        return try folder.write(JSONEncoder().encode(graph), to: "graph.json")
    }

    @Test func aHostileServersNamesNumbersAndEscapesStayHarmless() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.hostile())
        let url = server.url.absoluteString
        // A loaded run answers slowly: the probe waits as long as a request may.
        let run = try await darkroom("comfyui", "run", try graphFile(), "--out", "out", "--server", url, "--request-timeout", "60")
        #expect(run.status == 0, "\(run.stderr)")
        // Only base names, inside --out, unique; the escapes shown, not obeyed.
        #expect(folder.entries("out") == ["escape_]52;c;aGFja2Vk__[2J.png", "passwd", "same-2.png", "same.png"], "\(folder.entries("out"))")
        #expect(folder.entries().sorted() == ["graph.json", "out"])
        #expect(run.stdout.contains("run time 0.00 s"), "\(run.stdout)")
        await server.setBehaviour(.hostile(stall: true))
        _ = try await server.client().submit(Graphs.scaled(), clientID: ClientID.new("test"))
        let queue = try await darkroom("comfyui", "queue", "--server", url)
        let status = try await darkroom("comfyui", "status", "--server", url)
        #expect(queue.status == 0 && status.status == 0, "\(queue.stderr) \(status.stderr)")
        #expect(queue.stdout.contains("#1e+300") && queue.stdout.contains("client evil\\u{1B}]52"), "\(queue.stdout)")
        for output in [run, queue, status] {
            #expect(!output.stdout.utf8.contains(0x1B) && !output.stderr.utf8.contains(0x1B))
            #expect(!output.stdout.utf8.contains(0x07) && !output.stderr.utf8.contains(0x07))
        }
    }
}
