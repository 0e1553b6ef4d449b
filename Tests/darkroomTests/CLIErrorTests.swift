import Foundation
import Testing
import TestSupport
import Vips

/// Exit codes and messages: one line on standard error naming the file, and nothing half-written.
@Suite(.onTestThreads) struct CLIErrorTests {
    let folder = TemporaryDirectory()

    func darkroom(_ arguments: String...) async throws -> Command.Output {
        try await DarkroomBinary.run(arguments, in: folder)
    }

    @Test func badUsageExits64() async throws {
        try TestImages.write(Image.sample(width: 50, height: 50), "photo.jpg", in: folder)
        for arguments in [["image", "thumbnail", "photo.jpg", "out.jpg"],
                          ["image", "thumbnail", "photo.jpg", "out.jpg", "--width", "-3"],
                          ["image", "resize", "photo.jpg", "out.jpg"],
                          ["image", "resize", "photo.jpg", "out.jpg", "--kernel", "sinc", "--scale", "2"],
                          ["image", "crop", "photo.jpg", "out.jpg", "--width", "10", "--height", "10"],
                          ["image", "convert", "photo.jpg", "out.xyz"],
                          ["image", "convert", "photo.jpg", "-"],
                          ["image", "convert", "photo.jpg", "out.jpg", "--quality", "0"],
                          ["image", "crop", "photo.jpg", "out.jpg", "--left", "40", "--top", "0", "--width", "20", "--height", "20"],
                          ["image", "nonsense"]] {
            let output = try await DarkroomBinary.run(arguments, in: folder)
            #expect(output.status == 64, "\(arguments): \(output.status) \(output.stderr)")
            #expect(!output.stderr.isEmpty)
        }
        #expect(folder.entries() == ["photo.jpg"])
    }

    @Test func badInputExits65WithOneLineNamingTheFile() async throws {
        try folder.write(Data("not an image".utf8), to: "notes.jpg")
        try folder.write(Data(), to: "empty.png")
        let whole = try Image.sample(width: 400, height: 300).data(format: .jpeg)
        try folder.write(BadInputs.truncated(whole, keeping: 0.4), to: "cut.jpg")
        try folder.write(BadInputs.jpeg(try Image.sample(width: 64, height: 64).data(format: .jpeg), claimingWidth: 60_000, height: 60_000), to: "bomb.jpg")
        let cases = [("missing.jpg", "no such file [file_not_found]"),
                     ("notes.jpg", "not an image format this build reads [unsupported_format]"),
                     ("empty.png", "the file is empty [empty_input]"),
                     ("cut.jpg", "corrupt or truncated [load_failed]"),
                     ("bomb.jpg", "[limit_exceeded]")]
        for (file, message) in cases {
            let output = try await darkroom("image", "thumbnail", file, "out.jpg", "--width", "50")
            #expect(output.status == 65, "\(file): \(output.status)")
            #expect(output.stderr.hasPrefix("darkroom: \(file): "), "\(output.stderr)")
            #expect(output.stderr.contains(message), "\(output.stderr)")
            #expect(output.stderr.split(separator: "\n").count == 1 && !output.stderr.contains("VipsJpeg"))
        }
        #expect(!folder.entries().contains { $0.contains("out") })
    }

    @Test func verboseAddsLibvipsDetail() async throws {
        let whole = try Image.sample(width: 400, height: 300).data(format: .jpeg)
        try folder.write(BadInputs.truncated(whole, keeping: 0.4), to: "cut.jpg")
        let output = try await darkroom("image", "resize", "cut.jpg", "out.png", "--scale", "0.5", "--verbose")
        #expect(output.status == 65 && output.stderr.contains("libvips:"))
    }

    @Test func untrustedFormatsNeedTrusted() async throws {
        try folder.write(BadInputs.ppm, to: "tiny.ppm")
        let refused = try await darkroom("image", "convert", "tiny.ppm", "tiny.png")
        #expect(refused.status == 65 && refused.stderr.contains("[untrusted_format]") && refused.stderr.contains("--trusted"))
        let allowed = try await darkroom("image", "convert", "tiny.ppm", "tiny.png", "--trusted")
        #expect(allowed.status == 0)
        #expect(try Image(contentsOfFile: folder.path("tiny.png")).pixel(x: 1, y: 1) == [255, 255, 255])
    }

    @Test func loadersFromModulesLoadedOnDemandAreBlockedToo() async throws {
        // The CLI starts libvips without its modules; JPEG XL's loader arrives with one, later.
        #expect(try await darkroom("image", "sample", "tiny.jxl", "--width", "16", "--height", "16").status == 0)
        let refused = try await darkroom("image", "info", "tiny.jxl")
        #expect(refused.status == 65 && refused.stderr.contains("[untrusted_format]"))
        let allowed = try await darkroom("image", "info", "tiny.jxl", "--trusted")
        #expect(allowed.status == 0 && allowed.stdout.contains("format        jxl"))
        #expect(try await darkroom("image", "sample", "tiny.avif", "--width", "16", "--height", "16").status == 0)
        #expect(try await darkroom("image", "info", "tiny.avif").stdout.contains("format        avif"))
    }

    @Test func aFailedWriteExits70AndLeavesNothing() async throws {
        try TestImages.write(Image.sample(width: 50, height: 50), "photo.jpg", in: folder)
        let output = try await darkroom("image", "convert", "photo.jpg", "missing/out.png")
        #expect(output.status == 70 && output.stderr.contains("[save_failed]"))
        #expect(folder.entries() == ["photo.jpg"])
    }

    @Test func aFailingConversionNeverReplacesAnExistingOutput() async throws {
        try TestImages.write(Image.sample(width: 50, height: 50), "out.png", in: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.path("out.png")))
        let whole = try Image.sample(width: 400, height: 300).data(format: .jpeg)
        try folder.write(BadInputs.truncated(whole, keeping: 0.4), to: "cut.jpg")
        #expect(try await darkroom("image", "convert", "cut.jpg", "out.png").status == 65)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("out.png"))) == before)
        #expect(folder.entries() == ["cut.jpg", "out.png"])
    }
}

@Suite(.onTestThreads) struct HelpTests {
    static let commands = ["info", "thumbnail", "resize", "convert", "crop", "rotate", "watermark", "tile", "sheet", "batch", "sample"]

    @Test(arguments: commands)
    func everyCommandHasHelpWithExamples(command: String) async throws {
        let output = try await DarkroomBinary.run(["image", command, "--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("USAGE: darkroom image \(command)"))
        #expect(output.stdout.contains("Examples:\n  $ darkroom image \(command)"))
    }

    @Test func theRootHelpDocumentsTheExitCodes() async throws {
        let output = try await DarkroomBinary.run(["--help"])
        #expect(output.status == 0 && output.stdout.contains("64 bad usage") && output.stdout.contains("65 unreadable"))
    }
}
