import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct BatchCommandTests {
    let folder = TemporaryDirectory()

    init() throws {
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for index in 0..<6 {
            try TestImages.write(Image.sample(width: 300 + 20 * index, height: 200, seed: index), "in/photo\(index).jpg", in: folder)
        }
    }

    @Test func aFolderIsProcessedInParallelWithAProgressLinePerFile() async throws {
        let output = try await DarkroomBinary.run(["image", "batch", "in", "out", "thumbnail", "--width", "100", "--jobs", "3"], in: folder)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(folder.entries("out") == (0..<6).map { "photo\($0).jpg" })
        for index in 0..<6 {
            #expect(try Image(contentsOfFile: folder.path("out/photo\(index).jpg")).width == 100)
        }
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("[") && $0.contains("/6] in/photo") }.count == 6)
        #expect(lines.last?.hasPrefix("batch: 6 files in ") == true && lines.last?.hasSuffix("6 done, 0 failed") == true)
    }

    @Test func oneBadFileFailsAloneAndTheExitCodeSaysSo() async throws {
        try folder.write(Data("broken".utf8), to: "in/broken.jpg")
        let output = try await DarkroomBinary.run(["image", "batch", "in", "out", "convert", "--format", "webp"], in: folder)
        #expect(output.status == 1)
        #expect(folder.entries("out") == (0..<6).map { "photo\($0).webp" })
        #expect(output.stderr.contains("darkroom: in/broken.jpg: load: the content is not an image format this build reads [unsupported_format]"))
        #expect(output.stdout.contains("6 done, 1 failed"))
    }

    @Test func aGlobSelectsFilesAndTheOperationsOptionsApply() async throws {
        let output = try await DarkroomBinary.run(["image", "batch", "in/photo[0-2].jpg", "out", "resize", "--scale", "0.5",
                                             "--format", "png", "--jobs=2", "--quiet"], in: folder)
        #expect(output.status == 0 && output.stdout.isEmpty)
        #expect(folder.entries("out") == ["photo0.png", "photo1.png", "photo2.png"])
        #expect(try Image(contentsOfFile: folder.path("out/photo2.png")).width == 170)
    }

    @Test func outputsThatWouldCollideAreRefused() async throws {
        try TestImages.write(Image.sample(width: 50, height: 50), "in/photo0.png", in: folder)
        let output = try await DarkroomBinary.run(["image", "batch", "in", "out", "convert", "--format", "webp"], in: folder)
        #expect(output.status == 1)
        #expect(output.stderr.contains("would overwrite the result of in/photo0.jpg"))
        #expect(folder.entries("out").count == 6)
    }

    @Test func theOperationsOwnValidationApplies() async throws {
        let output = try await DarkroomBinary.run(["image", "batch", "in", "out", "crop", "--width", "10"], in: folder)
        #expect(output.status == 64 && output.stderr.contains("batch crop:"))
        let jobs = try await DarkroomBinary.run(["image", "batch", "in", "out", "convert", "--jobs", "0"], in: folder)
        #expect(jobs.status == 64)
        #expect(!FileManager.default.fileExists(atPath: folder.path("out")))
    }
}

@Suite(.onTestThreads) struct BatchTerminalTests {
    let folder = TemporaryDirectory()

    @Test func aTerminalGetsAProgressBarInsteadOfLines() async throws {
        // Given: a pseudo-terminal from script(1)
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for index in 0..<4 { try TestImages.write(Image.sample(width: 200, height: 100, seed: index), "in/p\(index).jpg", in: folder) }
        let command = "\(DarkroomBinary.path) image batch \(folder.path("in")) \(folder.path("out")) thumbnail --width 50"
        // When
        let output = try await Command("script", ["-qec", command, "/dev/null"]).run()
        // Then
        #expect(output.status == 0)
        #expect(output.stdout.contains("█") && output.stdout.contains("4/4"))
        #expect(!output.stdout.contains("[1/4]"))
        #expect(output.stdout.contains("batch: 4 files in "))
    }

    @Test func ctrlCFinishesTheRunningFilesAndStartsNoMore() async throws {
        // Given: enough work that the batch is still running when interrupted
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        // (one file copied: writing 40 different PNGs cost the test process 20 s of CPU)
        try TestImages.write(Image.sample(width: 1200, height: 900, seed: 1), "p0.png", in: folder)
        for index in 0..<40 { try FileManager.default.copyItem(atPath: folder.path("p0.png"), toPath: folder.path("in/p\(index).png")) }
        let (status, seen, rest, errors) = try await onThreadOfItsOwn { [folder] in try Self.interruptAfterTheFirstFile(folder) }
        // Then
        let written = folder.entries("out")
        #expect(status == 130, "\(errors)")
        #expect(errors.contains("interrupted"))
        #expect(written.count >= 1 && written.count < 40)
        #expect(written.allSatisfy { !$0.hasPrefix(".") }, "partial files left: \(written)")
        #expect(String(decoding: seen + rest, as: UTF8.self).contains("not started"))
    }

    /// Starts a batch of 40 files, presses Ctrl-C once the first is done, and waits for the end.
    private static func interruptAfterTheFirstFile(_ folder: TemporaryDirectory) throws -> (status: Int32, seen: Data, rest: Data, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DarkroomBinary.path)
        process.arguments = ["image", "batch", folder.path("in"), folder.path("out"), "convert", "--format", "png",
                             "--effort", "9", "--jobs", "1"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // When: the first file is done, press Ctrl-C
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("[1/40]") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        process.interrupt()
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, seen, rest, errors)
    }
}
