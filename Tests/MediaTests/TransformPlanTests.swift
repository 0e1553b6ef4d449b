import Foundation
import Media
import Testing
import TestSupport
import Vips

/// The plan's compact form, its refusals, and what each step does to the pixels.
@Suite(.onTestThreads) struct TransformPlanTests {
    @Test func theCompactFormRoundTrips() throws {
        let text = "orient/resize:800x600:fill/thumbnail:256:attention/crop:10:20:300x200/smartcrop:100x100:entropy/rotate:90/flip:h/watermark:%C2%A9%20Dark%2Froom%3A1:bottomRight:0.5/format:webp:q80:lossless:strip"
        let plan = try TransformPlan(parsing: text)
        #expect(plan.steps.count == 8)
        #expect(plan.steps[7] == .watermark(text: "© Dark/room:1", position: .bottomRight, opacity: 0.5))
        #expect(plan.output == OutputSpec(format: .webp, quality: 80, lossless: true, stripMetadata: true))
        #expect(try TransformPlan(parsing: plan.description) == plan)
        #expect(try TransformPlan(parsing: "resize:x600").steps == [.resize(width: nil, height: 600, fit: .fit)])
        #expect(try TransformPlan(parsing: "format:jpg").output.format == .jpeg)
    }

    static let refusals: [(String, String)] = [
        ("", "empty"),
        ("resize:0x600", "step 1 (resize): width must be 1 … 16384, not 0"),
        ("orient/resize:axb", "step 2 'resize:axb': width must be a whole number, not 'a'"),
        ("resize:800:stretch", "step 1 'resize:800:stretch': the fit must be one of fit, fill, attention, force, not 'stretch'"),
        ("resize:800:fill", "step 1 (resize): fill needs both a width and a height"),
        ("rotate:45", "step 1 (rotate): degrees must be 0, 90, 180 or 270, not 45"),
        ("flip:x", "step 1 'flip:x': the direction must be h or v, not 'x'"),
        ("crop:1:2", "step 1 'crop:1:2': expected 3 values after 'crop', received 2"),
        ("crop:-1:0:10x10", "step 1 (crop): the corner must be at 0 or more, not -1,0"),
        ("blur:3", "step 1 'blur:3': unknown step 'blur'"),
        ("format:webp/resize:10", "step 1 'format:webp': format must be the last step"),
        ("format:bmp", "step 1 'format:bmp': the format must be one of"),
        ("format:png:q101", "format: quality must be 1 … 100, not 101"),
        ("watermark:%ZZ", "step 1 'watermark:%ZZ': the text is not valid percent-encoded UTF-8"),
        ("watermark:hi:middle", "the position must be one of"),
        ("watermark:hi:top:1.5", "step 1 (watermark): opacity must be above 0 and at most 1, not 1.5"),
        ("thumbnail:99999999999", "size must be a whole number"),
        ("resize:100000", "width must be 1 … 16384, not 100000"),
        (Array(repeating: "orient", count: 17).joined(separator: "/"), "at most 16 steps"),
    ]

    @Test(arguments: refusals)
    func refusalsNameTheStepAndTheValue(_ text: String, _ expected: String) {
        do {
            _ = try TransformPlan(parsing: text)
            Issue.record("'\(text)' was accepted")
        } catch let error as MediaError {
            #expect(error.code == .invalidParams)
            #expect(error.message.contains(expected), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    // MARK: - Pixels

    let photo: Image
    let png: Data

    init() throws {
        photo = try TestImages.photo(width: 300, height: 200).materialized()
        png = try photo.data(format: .png)
    }

    func run(_ plan: String) throws -> (TransformOutput, Image) {
        let output = try TransformPlan(parsing: plan).run(on: png)
        return (output, try Image(data: output.data).materialized())
    }

    @Test func resizeFitsFillsOrForcesTheBox() throws {
        let (fit, _) = try run("resize:150x150")
        #expect((fit.width, fit.height) == (150, 100) && fit.format == .png)
        let (fill, _) = try run("resize:150x150:fill")
        #expect((fill.width, fill.height) == (150, 150))
        let (force, _) = try run("resize:90x150:force")
        #expect((force.width, force.height) == (90, 150))
        let (tall, _) = try run("resize:x50")
        #expect((tall.width, tall.height) == (75, 50))
        let (up, _) = try run("resize:600")
        #expect((up.width, up.height) == (600, 400))
        // The same pixels as the binding's fast thumbnail of the same bytes.
        let (_, image) = try run("resize:150x150")
        #expect(try image.difference(to: Image.thumbnail(data: png, width: 150, options: .init(height: 150, fastShrinkOnLoad: true))).maximum == 0)
    }

    @Test func aThumbnailNeverEnlarges() throws {
        #expect(try run("thumbnail:100").0.width == 100)
        #expect(try run("thumbnail:1000").0.width == 300)
        let (square, _) = try run("thumbnail:100:centre")
        #expect((square.width, square.height) == (100, 100))
    }

    @Test func cropCutsTheExactBox() throws {
        let (output, image) = try run("crop:10:20:50x40")
        #expect((output.width, output.height) == (50, 40))
        #expect(try image.difference(to: photo.crop(left: 10, top: 20, width: 50, height: 40)).maximum == 0)
        #expect(throws: MediaError.self) { try run("crop:280:0:50x40") }
        let (smart, _) = try run("smartcrop:120x80:attention")
        #expect((smart.width, smart.height) == (120, 80))
    }

    @Test func rotateAndFlipMovePixelsWhereTheyBelong() throws {
        let (rotated, turned) = try run("rotate:90")
        #expect((rotated.width, rotated.height) == (200, 300))
        // Clockwise: the source's bottom-left corner becomes the top-left.
        #expect(try turned.pixel(x: 0, y: 0) == photo.pixel(x: 0, y: 199))
        let (_, flipped) = try run("flip:h")
        #expect(try flipped.pixel(x: 0, y: 5) == photo.pixel(x: 299, y: 5))
        let (_, upside) = try run("flip:v")
        #expect(try upside.pixel(x: 7, y: 0) == photo.pixel(x: 7, y: 199))
    }

    @Test func stepsThatReadOutOfOrderFollowAShrunkDecode() throws {
        // The shrink-on-load fast path streams; rotations, vertical flips and smart crops after it still work.
        let jpeg = try photo.data(format: .jpeg)
        for text in ["resize:100/rotate:90/format:webp", "thumbnail:150/flip:v/rotate:270", "resize:200/smartcrop:50x50/format:png",
                     "orient/resize:120/orient/rotate:180"] {
            let output = try TransformPlan(parsing: text).run(on: jpeg)
            #expect(try Image(data: output.data).materialized().width == output.width, "\(text)")
        }
        let rotated = try TransformPlan(parsing: "resize:150/rotate:90/format:png").run(on: png)
        let expected = try Image.thumbnail(data: png, width: 150, options: .init(fastShrinkOnLoad: true)).materialized().rotate(degrees: 90)
        #expect(try Image(data: rotated.data).difference(to: expected).maximum == 0)
    }

    @Test func aFileGivesTheSameBytesAsItsData() throws {
        let folder = TemporaryDirectory("plan-file")
        let path = try folder.write(try photo.data(format: .jpeg), to: "photo.jpg")
        for text in ["resize:100x80:fill/format:png", "crop:5:5:50x50/flip:v", "rotate:270/format:webp:lossless"] {
            let plan = try TransformPlan(parsing: text)
            #expect(try plan.run(onFile: path).data == plan.run(on: Data(contentsOf: URL(fileURLWithPath: path))).data, "\(text)")
        }
    }

    @Test func aWatermarkMarksItsCornerOnly() throws {
        let black = try TestImages.solid(width: 400, height: 200, [0, 0, 0]).data(format: .png)
        let output = try TransformPlan(parsing: "watermark:DARKROOM:bottomRight:1").run(on: black)
        let marked = try Image(data: output.data).materialized()
        let corner = try marked.crop(left: 200, top: 100, width: 200, height: 100).average()
        let opposite = try marked.crop(left: 0, top: 0, width: 200, height: 100).average()
        #expect(corner > 1 && opposite == 0)
    }

    @Test func formatConversionEncodesAsAsked() throws {
        let withAlpha = try TestImages.photo(width: 40, height: 30, bands: 4).data(format: .png)
        let jpeg = try TransformPlan(parsing: "format:jpeg:q90").run(on: withAlpha)
        let decoded = try Image(data: jpeg.data)
        #expect(jpeg.format == .jpeg && decoded.header.format == .jpeg && decoded.bands == 3)
        let webp = try TransformPlan(parsing: "format:webp:lossless").run(on: png)
        #expect(try Image(data: webp.data).difference(to: photo).maximum == 0)
        // No format step: the input's format is kept.
        #expect(try TransformPlan(parsing: "flip:h").run(on: jpeg.data).format == .jpeg)
        // Also through a shrink-on-load and a step after it: the loader's format is kept by every operation.
        #expect(try TransformPlan(parsing: "resize:20/rotate:90").run(on: jpeg.data).format == .jpeg)
        #expect(try TransformPlan(parsing: "orient/thumbnail:16:centre").run(on: webp.data).format == .webp)
    }

    @Test func orientTurnsTheImageUprightFromItsExif() throws {
        let tagged = try photo.settingOrientation(6).data(format: .jpeg)
        let upright = try TransformPlan(parsing: "orient").run(on: tagged)
        #expect((upright.width, upright.height) == (200, 300))
        let shrunk = try TransformPlan(parsing: "orient/resize:100").run(on: tagged)
        #expect((shrunk.width, shrunk.height) == (100, 150))
        let unturned = try TransformPlan(parsing: "resize:100").run(on: tagged)
        #expect((unturned.width, unturned.height) == (100, 67))
    }

    @Test func hostileInputGetsItsCode() throws {
        #expect { try TransformPlan(parsing: "flip:h").run(on: BadInputs.corruptJPEG) } throws: { ($0 as? MediaError)?.code == .unsupportedMedia }
        let bomb = BadInputs.png(png, claimingWidth: 60_000, height: 60_000)
        #expect { try TransformPlan(parsing: "resize:100").run(on: bomb) } throws: { ($0 as? MediaError)?.code == .mediaTooLarge }
        let truncated = BadInputs.truncated(try photo.data(format: .jpeg), keeping: 0.5)
        #expect { try TransformPlan(parsing: "flip:h/format:png").run(on: truncated) } throws: { ($0 as? MediaError)?.code == .unsupportedMedia }
    }
}
