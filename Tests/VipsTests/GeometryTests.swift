import Foundation
import Testing
import TestSupport
import Vips

/// Resize, crop, rotate and flip: pixel positions checked by hand, and every result compared
/// with the `vips` tool given the same request.
@Suite(.onTestThreads) struct GeometryTests {
    let folder = TemporaryDirectory()
    let source: Image
    let path: String

    init() throws {
        source = try TestImages.photo(width: 240, height: 160)
        path = try TestImages.write(source, "source.png", in: folder)
    }

    @Test(arguments: [Kernel.lanczos3, .nearest, .linear, .cubic, .mitchell, .lanczos2])
    func resizeMatchesVipsResize(kernel: Kernel) async throws {
        try await Reference.vips("resize", path, folder.path("ref.png"), "0.4", "--kernel", kernel.rawValue)
        let resized = try Image(contentsOfFile: path).resize(scale: 0.4, kernel: kernel)
        #expect(resized.width == 96 && resized.height == 64)
        #expect(try Reference.maximumDifference(resized, toFile: folder.path("ref.png")) == 0)
    }

    @Test func resizeToAnExactSizeMatchesVipsWithVscale() async throws {
        try await Reference.vips("resize", path, folder.path("ref.png"), "0.5", "--vscale", "0.25")
        let resized = try source.resize(width: 120, height: 40)
        #expect(resized.width == 120 && resized.height == 40)
        #expect(try Reference.maximumDifference(resized, toFile: folder.path("ref.png")) == 0)
        let upscaled = try source.resize(width: 480)
        #expect(upscaled.width == 480 && upscaled.height == 320)
    }

    @Test func cropKeepsTheBoxsPixels() async throws {
        try await Reference.vips("extract_area", path, folder.path("ref.png"), "10", "20", "50", "40")
        let cropped = try source.crop(left: 10, top: 20, width: 50, height: 40)
        #expect(cropped.width == 50 && cropped.height == 40)
        #expect(try cropped.pixel(x: 0, y: 0) == source.pixel(x: 10, y: 20))
        #expect(try cropped.pixel(x: 49, y: 39) == source.pixel(x: 59, y: 59))
        #expect(try Reference.maximumDifference(cropped, toFile: folder.path("ref.png")) == 0)
    }

    @Test(arguments: [CropStrategy.attention, .entropy, .centre])
    func smartCropMatchesVipsSmartcrop(strategy: CropStrategy) async throws {
        try await Reference.vips("smartcrop", path, folder.path("ref.png"), "100", "100", "--interesting", strategy.rawValue)
        let cropped = try source.smartCrop(width: 100, height: 100, strategy: strategy)
        #expect(try Reference.maximumDifference(cropped, toFile: folder.path("ref.png")) == 0)
    }

    @Test func attentionFindsTheEyeCatchingPart() async throws {
        // A dull grey field with one saturated, bright patch near the right edge.
        var pixels = [UInt8](repeating: 90, count: 300 * 100 * 3)
        for y in 30..<70 { for x in 240..<280 { pixels.replaceSubrange(((y * 300 + x) * 3)..<((y * 300 + x) * 3 + 3), with: [250, 40, 30]) } }
        let image = try Image(pixels: pixels, width: 300, height: 100, bands: 3)
        let cropped = try image.smartCrop(width: 100, height: 100, strategy: .attention)
        #expect(try cropped.pixel(x: 60, y: 50) == [250, 40, 30])
    }

    @Test(arguments: [(90.0, "d90"), (180, "d180"), (270, "d270"), (-90, "d270"), (450, "d90")])
    func rightAngleRotationsMatchVipsRot(degrees: Double, angle: String) async throws {
        try await Reference.vips("rot", path, folder.path("ref.png"), angle)
        let rotated = try source.rotate(degrees: degrees)
        #expect(try Reference.maximumDifference(rotated, toFile: folder.path("ref.png")) == 0)
    }

    @Test func ninetyDegreesIsClockwise() async throws {
        let rotated = try source.rotate(degrees: 90)
        #expect(rotated.width == 160 && rotated.height == 240)
        // The bottom-left corner comes to the top-left.
        #expect(try rotated.pixel(x: 0, y: 0) == source.pixel(x: 0, y: 159))
        #expect(try source.rotate(degrees: 0) === source)
    }

    @Test func anyAngleMatchesVipsRotate() async throws {
        try await Reference.vips("rotate", path, folder.path("ref.png"), "30")
        let rotated = try source.rotate(degrees: 30)
        #expect(rotated.width > 240 && rotated.height > 160)
        #expect(try Reference.maximumDifference(rotated, toFile: folder.path("ref.png")) == 0)
        let filled = try source.rotate(degrees: 30, background: .white)
        #expect(try filled.pixel(x: 0, y: 0) == [255, 255, 255])
    }

    @Test(arguments: FlipDirection.allCases)
    func flipMatchesVipsFlip(direction: FlipDirection) async throws {
        try await Reference.vips("flip", path, folder.path("ref.png"), direction.rawValue)
        let flipped = try source.flip(direction)
        #expect(try Reference.maximumDifference(flipped, toFile: folder.path("ref.png")) == 0)
        let corner = direction == .horizontal ? (239, 0) : (0, 159)
        #expect(try flipped.pixel(x: 0, y: 0) == source.pixel(x: corner.0, y: corner.1))
    }

    @Test(arguments: 1...8)
    func autoRotateMatchesVipsAutorotForEveryOrientation(orientation: Int) async throws {
        let tagged = try TestImages.write(source.settingOrientation(orientation), "tagged.jpg", in: folder,
                                          options: SaveOptions(quality: 95))
        try await Reference.vips("autorot", tagged, folder.path("ref.png"))
        let upright = try Image(contentsOfFile: tagged).autoRotate()
        #expect(upright.header.orientation == 1)
        #expect([5, 6, 7, 8].contains(orientation) ? upright.width == 160 : upright.width == 240)
        #expect(try Reference.maximumDifference(upright, toFile: folder.path("ref.png")) == 0)
    }
}
