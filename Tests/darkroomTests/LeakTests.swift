import Foundation
import Testing
import TestSupport
import Vips

/// libvips' own leak report (`VIPS_LEAK=1`, printed by `vips_shutdown`) after real command runs:
/// the report must appear (so the check ran) and list no object left alive.
@Suite(.onTestThreads) struct LeakTests {
    let folder = TemporaryDirectory()

    @Test func commandsLeaveNoLibvipsObjectsAlive() async throws {
        // Given: a dozen inputs, one of them truncated so the error path runs too
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        for index in 0..<12 {
            try TestImages.write(Image.sample(width: 400, height: 300, seed: index), "in/p\(index).jpg", in: folder)
        }
        let whole = try Image.sample(width: 400, height: 300).data(format: .jpeg)
        try folder.write(BadInputs.truncated(whole, keeping: 0.4), to: "in/cut.jpg")
        try TestImages.write(Image.sample(width: 40, height: 40), "logo.png", in: folder)
        let runs: [[String]] = [
            ["image", "batch", "in", "thumbs", "thumbnail", "--width", "64", "--jobs", "2"],
            ["image", "batch", "in", "webp", "convert", "--format", "webp"],
            ["image", "batch", "in", "marked", "watermark", "--image", "logo.png"],
            ["image", "resize", "in/p1.jpg", "r.png", "--width", "100", "--height", "50"],
            ["image", "rotate", "in/p2.jpg", "r.jpg", "--angle", "33", "--auto"],
            ["image", "crop", "in/p3.jpg", "c.jpg", "--width", "100", "--height", "100", "--smart", "attention"],
            ["image", "tile", "in/p4.jpg", "pyramid/p4"],
            ["image", "sheet", "in", "--output", "sheet.jpg", "--labels"],
            ["image", "info", "in/p5.jpg", "--json"],
            ["image", "thumbnail", "in/cut.jpg", "t.jpg", "--width", "10"],
        ]
        for arguments in runs {
            // When
            let output = try await DarkroomBinary.run(arguments, in: folder, environment: ["VIPS_LEAK": "1"])
            // Then
            #expect(output.stderr.contains("memory: high-water mark"), "no leak report for \(arguments): \(output.stderr)")
            #expect(!output.stderr.contains("objects alive"), "\(arguments) leaked: \(output.stderr)")
            #expect(!output.stderr.contains("open") || !output.stderr.contains("files:"), "\(arguments): \(output.stderr)")
        }
    }
}
