import Foundation
import Testing
import TestSupport
import Vips

/// Each single-image command run through the built binary, its output compared with what the
/// `vips` tools produce for the same request (PNG outputs, so no encoder differences: tolerance 0).
@Suite(.onTestThreads) struct ImageCommandTests {
    let folder = TemporaryDirectory()
    let photo: String

    init() throws {
        photo = try TestImages.write(Image.sample(width: 640, height: 480, seed: 3), "photo.jpg", in: folder,
                                     options: SaveOptions(quality: 90))
    }

    @discardableResult func darkroom(_ arguments: String...) async throws -> Command.Output {
        let output = try await DarkroomBinary.run(arguments, in: folder)
        #expect(output.status == 0, "darkroom \(arguments.joined(separator: " ")) → \(output.status): \(output.stderr)")
        return output
    }

    func sameAs(_ ours: String, _ reference: String) throws -> Double {
        try Reference.maximumDifference(Image(contentsOfFile: folder.path(ours)), toFile: folder.path(reference))
    }

    @Test func thumbnailMatchesVipsthumbnail() async throws {
        try await Reference.vipsthumbnail(photo, "-s", "200x", "-o", folder.path("ref.png"))
        let output = try await darkroom("image", "thumbnail", "photo.jpg", "thumb.png", "--width", "200")
        #expect(output.stdout.hasPrefix("thumbnail: photo.jpg (640×480 jpeg) → thumb.png (200×150 png"))
        #expect(try sameAs("thumb.png", "ref.png") == 0)
    }

    @Test func thumbnailWithCropAndNoUpsizeMatchesVipsthumbnail() async throws {
        try await Reference.vipsthumbnail(photo, "-s", "160x160", "--smartcrop", "attention", "-o", folder.path("ref.png"))
        try await darkroom("image", "thumbnail", "photo.jpg", "crop.png", "--width", "160", "--height", "160", "--crop", "attention")
        #expect(try sameAs("crop.png", "ref.png") == 0)
        try await Reference.vipsthumbnail(photo, "-s", "1000x>", "-o", folder.path("ref2.png"))
        try await darkroom("image", "thumbnail", "photo.jpg", "same.png", "--width", "1000", "--no-upsize")
        #expect(try Image(contentsOfFile: folder.path("same.png")).width == 640)
        #expect(try sameAs("same.png", "ref2.png") == 0)
    }

    @Test func resizeMatchesVipsResize() async throws {
        try await Reference.vips("resize", photo, folder.path("ref.png"), "0.3", "--kernel", "cubic")
        try await darkroom("image", "resize", "photo.jpg", "small.png", "--scale", "0.3", "--kernel", "cubic")
        #expect(try sameAs("small.png", "ref.png") == 0)
        try await Reference.vips("resize", photo, folder.path("ref2.png"), "1.125", "--vscale", "1.225")
        try await darkroom("image", "resize", "photo.jpg", "exact.png", "--width", "720", "--height", "588")
        #expect(try sameAs("exact.png", "ref2.png") == 0)
    }

    @Test func convertMatchesVipsCopyAndHonoursOptions() async throws {
        try await Reference.vips("copy", photo, folder.path("ref.png"))
        try await darkroom("image", "convert", "photo.jpg", "photo.png")
        #expect(try sameAs("photo.png", "ref.png") == 0)
        try await darkroom("image", "convert", "photo.png", "lossless.webp", "--lossless")
        #expect(try sameAs("lossless.webp", "ref.png") == 0)
        try await darkroom("image", "convert", "photo.png", "small.webp", "--quality", "20", "--strip")
        try await darkroom("image", "convert", "photo.png", "big.webp", "--quality", "95")
        let small = try FileManager.default.attributesOfItem(atPath: folder.path("small.webp"))[.size] as? Int ?? 0
        let big = try FileManager.default.attributesOfItem(atPath: folder.path("big.webp"))[.size] as? Int ?? 0
        #expect(small > 0 && small < big)
        try await darkroom("image", "convert", "photo.png", "picture.bin", "--format", "avif")
        #expect(try Image(contentsOfFile: folder.path("picture.bin")).header.format == .avif)
    }

    @Test func cropMatchesVipsExtractAreaAndSmartcrop() async throws {
        try await Reference.vips("extract_area", photo, folder.path("ref.png"), "100", "50", "200", "120")
        try await darkroom("image", "crop", "photo.jpg", "box.png", "--left", "100", "--top", "50", "--width", "200", "--height", "120")
        #expect(try sameAs("box.png", "ref.png") == 0)
        try await Reference.vips("smartcrop", photo, folder.path("ref2.png"), "300", "300", "--interesting", "entropy")
        try await darkroom("image", "crop", "photo.jpg", "smart.png", "--width", "300", "--height", "300", "--smart", "entropy")
        #expect(try sameAs("smart.png", "ref2.png") == 0)
    }

    @Test func rotateMatchesVipsRotAutorotAndFlip() async throws {
        try await Reference.vips("rot", photo, folder.path("ref.png"), "d270")
        try await darkroom("image", "rotate", "photo.jpg", "turned.png", "--angle", "270")
        #expect(try sameAs("turned.png", "ref.png") == 0)
        let tagged = try TestImages.write(Image(contentsOfFile: photo).settingOrientation(8), "tagged.jpg", in: folder)
        try await Reference.vips("autorot", tagged, folder.path("ref2.png"))
        try await darkroom("image", "rotate", "tagged.jpg", "upright.png", "--auto")
        #expect(try sameAs("upright.png", "ref2.png") == 0)
        try await Reference.vips("flip", photo, folder.path("ref3.png"), "vertical")
        try await darkroom("image", "rotate", "photo.jpg", "flipped.png", "--flip", "vertical")
        #expect(try sameAs("flipped.png", "ref3.png") == 0)
        try await Reference.vips("rotate", photo, folder.path("ref4.png"), "15")
        try await darkroom("image", "rotate", "photo.jpg", "tilted.png", "--angle", "15")
        #expect(try sameAs("tilted.png", "ref4.png") == 0)
    }

    @Test func tileMatchesVipsDzsave() async throws {
        try FileManager.default.createDirectory(atPath: folder.path("ref"), withIntermediateDirectories: true)
        try await Reference.vips("dzsave", photo, folder.path("ref/photo"), "--layout", "iiif", "--tile-size", "128", "--suffix", ".png")
        let output = try await darkroom("image", "tile", "photo.jpg", "ours/photo", "--layout", "iiif", "--tile-size", "128", "--tile-format", "png")
        #expect(output.stdout.contains("ours/photo"))
        #expect(folder.allFiles("ours").filter { !$0.hasSuffix("/.darkroom-pyramid") } == folder.allFiles("ref"))
        for file in folder.allFiles("ours") where file.hasSuffix(".png") {
            #expect(try sameAs("ours/\(file)", "ref/\(file)") == 0, "\(file)")
        }
        try await darkroom("image", "tile", "photo.jpg", "zipped/photo.zip")
        #expect(folder.entries("zipped") == ["photo.zip"])
    }

    @Test func standardInputAndOutputWork() async throws {
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: photo))
        let output = try await DarkroomBinary.run(["image", "thumbnail", "-", "-", "--width", "64", "--format", "png"], standardInput: jpeg)
        #expect(output.status == 0 && output.stderr.isEmpty)
        let thumbnail = try Image(data: output.stdoutData)
        #expect(thumbnail.header.format == .png && thumbnail.width == 64 && thumbnail.height == 48)
    }

    @Test func watermarkChangesOnlyItsCorner() async throws {
        try await darkroom("image", "convert", "photo.jpg", "base.png")
        try await darkroom("image", "watermark", "base.png", "marked.png", "--text", "DARKROOM", "--position", "top-left",
                     "--margin", "10", "--opacity", "1", "--colour", "#ff0000")
        let base = try Image(contentsOfFile: folder.path("base.png")), marked = try Image(contentsOfFile: folder.path("marked.png"))
        #expect(try marked.crop(left: 320, top: 240, width: 320, height: 240).difference(to: base.crop(left: 320, top: 240, width: 320, height: 240)).maximum == 0)
        #expect(try marked.crop(left: 0, top: 0, width: 200, height: 60).difference(to: base.crop(left: 0, top: 0, width: 200, height: 60)).maximum > 100)
        try TestImages.write(TestImages.solid(width: 50, height: 50, [255, 255, 255, 255]), "logo.png", in: folder)
        try await darkroom("image", "watermark", "base.png", "logo.png", "--image", "logo.png", "--scale", "0.25", "--opacity", "1",
                     "--position", "bottom-right", "--margin", "0")
        #expect(try Image(contentsOfFile: folder.path("logo.png")).pixel(x: 639, y: 479) == [255, 255, 255])
        #expect(try Image(contentsOfFile: folder.path("logo.png")).pixel(x: 639 - 160, y: 479) != [255, 255, 255])
    }

    @Test func infoPrintsATableAndJSON() async throws {
        let table = try await darkroom("image", "info", "photo.jpg").stdout
        #expect(table.contains("size          640 × 480") && table.contains("format        jpeg"))
        let json = try await darkroom("image", "info", "photo.jpg", "--json").stdout
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let header = report?["header"] as? [String: Any]
        #expect(header?["width"] as? Int == 640 && header?["height"] as? Int == 480 && header?["format"] as? String == "jpeg")
        #expect(report?["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: photo)[.size] as? Int))
    }

    @Test func sheetLaysOutEveryImage() async throws {
        for index in 0..<5 {
            try TestImages.write(Image.sample(width: 120, height: 80, seed: index), "s\(index).png", in: folder)
        }
        let output = try await darkroom("image", "sheet", "s0.png", "s1.png", "s2.png", "s3.png", "s4.png",
                                  "--output", "sheet.png", "--columns", "2", "--cell", "100", "--spacing", "10")
        #expect(output.stdout.hasPrefix("sheet: 5 images → sheet.png"))
        let sheet = try Image(contentsOfFile: folder.path("sheet.png"))
        // 2 columns × 3 rows of 100 px cells, 10 px between and around
        #expect(sheet.width == 2 * 100 + 10 + 20 && sheet.height == 3 * 100 + 2 * 10 + 20)
        #expect(try sheet.pixel(x: 5, y: 5) == [255, 255, 255])
        let labelled = try await darkroom("image", "sheet", "s0.png", "s1.png", "--output", "labelled.png", "--labels", "--cell", "100")
        #expect(labelled.status == 0)
        #expect(try Image(contentsOfFile: folder.path("labelled.png")).height > 100 + 16)
    }

    @Test func animationsStayAnimated() async throws {
        let frames = try (0..<3).map { try TestImages.solid(width: 40, height: 30, [UInt8(80 * $0), 0, 0]) }
        try Image.animation(frames: frames).save(to: folder.path("anim.gif"))
        try await darkroom("image", "resize", "anim.gif", "small.webp", "--scale", "0.5")
        let small = try Image(contentsOfFile: folder.path("small.webp"), options: LoadOptions(allPages: true))
        #expect(small.header.frames == 3 && small.width == 20 && small.header.height == 15)
        try await darkroom("image", "thumbnail", "anim.gif", "thumb.gif", "--width", "10")
        #expect(try Image(contentsOfFile: folder.path("thumb.gif"), options: LoadOptions(allPages: true)).header.frames == 3)
    }
}
