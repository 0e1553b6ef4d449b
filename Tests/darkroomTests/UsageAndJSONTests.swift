import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport
import Vips

/// What a user who mistypes sees, and the one shape of `--json` for success and failure.
@Suite(.onTestThreads) struct UsageAndJSONTests {
    let folder = TemporaryDirectory()

    init() throws {
        try TestImages.write(Image.sample(width: 50, height: 50), "photo.jpg", in: folder)
    }

    func darkroom(_ arguments: String...) async throws -> Command.Output {
        try await DarkroomBinary.run(arguments, in: folder)
    }

    @Test func aMistypedOptionIsNamedWithTheClosestOne() async throws {
        let output = try await darkroom("image", "thumbnail", "photo.jpg", "out.jpg", "--widht", "100")
        #expect(output.status == 64)
        #expect(output.stderr.contains("unknown option '--widht'") && output.stderr.contains("did you mean '--width'"), "\(output.stderr)")
    }

    @Test func aValueThatLooksLikeAnOptionIsExplained() async throws {
        let output = try await darkroom("image", "thumbnail", "photo.jpg", "out.jpg", "--width", "-5")
        #expect(output.status == 64)
        #expect(output.stderr.contains("--width needs a value, and '-5' was read as an option")
                && output.stderr.contains("--width=-5"), "\(output.stderr)")
    }

    @Test func anUnknownCommandListsTheCommands() async throws {
        let output = try await darkroom("image", "thumbnial", "photo.jpg", "out.jpg")
        #expect(output.status == 64)
        #expect(output.stderr.contains("unknown command 'thumbnial'") && output.stderr.contains("did you mean 'thumbnail'")
                && output.stderr.contains("commands: info, thumbnail"), "\(output.stderr)")
    }

    @Test func everyJSONCommandPrintsOneDocumentOnFailureToo() async throws {
        for arguments in [["image", "info", "missing.jpg", "--json"],
                          ["image", "info", "photo.jpg", "--json", "--bogus"],
                          ["comfyui", "status", "--json", "--server", "http://127.0.0.1:9"]] {
            let output = try await DarkroomBinary.run(arguments, in: folder)
            let document = try JSONDecoder().decode(JSONValue.self, from: output.stdoutData)
            let error = try #require(document.object?["error"]?.object, "\(arguments): \(output.stdout)")
            #expect(error["exitCode"]?.int64 == Int64(output.status) && output.status != 0)
            #expect(error["code"]?.string?.isEmpty == false && error["message"]?.string?.isEmpty == false)
            #expect(!output.stdout.contains("\\/"), "slashes are written plainly")
        }
        let missing = try await darkroom("image", "info", "missing.jpg", "--json")
        let error = try JSONDecoder().decode(JSONValue.self, from: missing.stdoutData).object?["error"]?.object
        #expect(error?["code"] == "file_not_found" && missing.status == 65)
    }

    @Test func theStudioCommandsAreFoundBesideDarkroom() async throws {
        let output = try await darkroom("comfyui", "--help")
        #expect(output.status == 0 && output.stdout.contains("interrupt"), "\(output.stderr)")
    }
}
