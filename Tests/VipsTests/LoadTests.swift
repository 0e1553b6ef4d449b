import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct LoadTests {
    @Test func loadingAFileReadsItsHeaderAndPixels() async throws {
        // Given
        let folder = TemporaryDirectory()
        let path = try TestImages.write(TestImages.halves(width: 64, height: 32, left: [255, 0, 0], right: [0, 0, 255]),
                                        "halves.png", in: folder)
        // When
        let image = try Image(contentsOfFile: path)
        // Then
        let header = image.header
        #expect(header.width == 64 && header.height == 32 && header.bands == 3)
        #expect(header.format == .png && header.bandFormat == .uchar && header.colourSpace == .sRGB)
        #expect(header.frames == 1 && header.pages == 1 && header.orientation == 1 && !header.hasAlpha)
        #expect(try image.pixel(x: 5, y: 5) == [255, 0, 0])
        #expect(try image.pixel(x: 60, y: 30) == [0, 0, 255])
    }

    @Test func loadingFromDataSniffsTheFormatFromTheContent() async throws {
        let png = try TestImages.solid(width: 10, height: 6, [10, 20, 30]).data(format: .png)
        let image = try Image(data: png)
        #expect(image.header.format == .png)
        #expect(try image.pixel(x: 9, y: 5) == [10, 20, 30])
    }

    @Test func aPNGNamedJpgIsLoadedAsPNG() async throws {
        let folder = TemporaryDirectory()
        let path = try folder.write(TestImages.solid(width: 8, height: 8, [1, 2, 3]).data(format: .png), to: "lying.jpg")
        #expect(try Image(contentsOfFile: path).header.format == .png)
    }

    @Test func bytesStayValidAfterTheCallersBufferChanges() async throws {
        // libvips reads buffers lazily; the image must keep its own copy alive.
        var bytes = [UInt8](try TestImages.photo(width: 120, height: 80).data(format: .jpeg, options: SaveOptions(quality: 90)))
        let image = try Image(bytes: bytes)
        for index in bytes.indices { bytes[index] = 0 }
        let thumbnail = try image.resize(scale: 0.5)
        #expect(try thumbnail.data(format: .png).count > 100)
        #expect(thumbnail.width == 60)
    }

    @Test func rawPixelsRoundTripExactly() async throws {
        let pixels: [UInt8] = (0..<(4 * 3 * 4)).map { UInt8($0 * 5) }
        let image = try Image(pixels: pixels, width: 4, height: 3, bands: 4)
        #expect(image.hasAlpha)
        #expect([UInt8](try image.pixelData()) == pixels)
        #expect(try image.pixel(x: 1, y: 0) == [20, 25, 30, 35])
    }

    @Test func rawPixelsOfTheWrongLengthAreRefused() async throws {
        expectError(.invalidArgument) {
            try Image(pixels: [1, 2, 3], width: 2, height: 2, bands: 3)
        }
    }

    @Test func exifFieldsAndOrientationAreReadFromTheHeader() async throws {
        let folder = TemporaryDirectory()
        let path = try TestImages.write(TestImages.photo(width: 40, height: 20).settingOrientation(6), "rotated.jpg", in: folder)
        let header = try Image(contentsOfFile: path).header
        #expect(header.orientation == 6)
        #expect(header.exif["ifd0-Orientation"]?.hasPrefix("6") == true)
        #expect(header.width == 40 && header.height == 20)
    }

    @Test func anEmbeddedICCProfileIsReported() async throws {
        let folder = TemporaryDirectory()
        let plain = try TestImages.write(TestImages.photo(width: 16, height: 16), "plain.jpg", in: folder)
        let withProfile = folder.path("profiled.jpg")
        try await Command("vips", ["icc_transform", plain, withProfile, "srgb", "--input-profile", "srgb"]).check()
        #expect(try Image(contentsOfFile: plain).header.hasICCProfile == false)
        #expect(try Image(contentsOfFile: withProfile).header.hasICCProfile == true)
    }

    @Test func everyFrameOfAnAnimationLoadsWhenAsked() async throws {
        let folder = TemporaryDirectory()
        let path = try AnimationFixture.write(frames: 3, width: 20, height: 10, to: folder.path("anim.gif"))
        let first = try Image(contentsOfFile: path)
        let all = try Image(contentsOfFile: path, options: LoadOptions(allPages: true))
        #expect(first.header.frames == 1 && first.header.pages == 3 && first.height == 10)
        #expect(all.header.frames == 3 && all.height == 30 && all.pageHeight == 10)
        #expect(all.header.frameDelays == [100, 100, 100])
    }
}

@Suite(.onTestThreads) struct SampleTests {
    @Test func aSampleIsAPhotoLikeGradientThatRepeatsForASeed() async throws {
        let sample = try Image.sample(width: 400, height: 300, seed: 7)
        #expect(sample.width == 400 && sample.height == 300 && sample.bands == 3 && sample.header.colourSpace == .sRGB)
        // Red rises left to right, green top to bottom (noise σ 12 around the gradient).
        let left = try sample.crop(left: 0, top: 0, width: 40, height: 300).average()
        let right = try sample.crop(left: 360, top: 0, width: 40, height: 300).average()
        #expect(right > left)
        #expect(try sample.difference(to: Image.sample(width: 400, height: 300, seed: 7)).maximum == 0)
        #expect(try sample.difference(to: Image.sample(width: 400, height: 300, seed: 8)).maximum > 0)
        expectError(.invalidArgument) { try Image.sample(width: 1, height: 10) }
        let translucent = try Image.sample(width: 100, height: 100, alpha: true)
        #expect(translucent.bands == 4 && translucent.hasAlpha)
        #expect(try translucent.pixel(x: 0, y: 0)[3] == 255 && translucent.pixel(x: 99, y: 99)[3] == 51)
    }
}
