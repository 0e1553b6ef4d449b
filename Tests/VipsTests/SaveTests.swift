import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct SaveTests {
    let folder = TemporaryDirectory()

    /// The first bytes each format's files start with (after `offset`).
    static let signatures: [ImageFormat: (offset: Int, bytes: [UInt8])] = [
        .jpeg: (0, [0xFF, 0xD8, 0xFF]),
        .png: (0, [0x89, 0x50, 0x4E, 0x47]),
        .webp: (8, Array("WEBP".utf8)),
        .gif: (0, Array("GIF8".utf8)),
        .tiff: (0, [0x49, 0x49, 0x2A, 0x00]),
        .avif: (4, Array("ftypavif".utf8)),
        .heif: (4, Array("ftyp".utf8)),
        .jxl: (0, [0xFF, 0x0A]),
    ]

    @Test(arguments: ImageFormat.allCases)
    func encodedBytesCarryTheFormatsSignature(format: ImageFormat) async throws {
        let data = try TestImages.photo(width: 48, height: 32).data(format: format)
        let signature = try #require(Self.signatures[format])
        let prefix = [UInt8](data.dropFirst(signature.offset).prefix(signature.bytes.count))
        let jxlContainer = format == .jxl && [UInt8](data.prefix(8)) == [0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20]
        #expect(prefix == signature.bytes || jxlContainer)
    }

    /// Lossless formats must give back every value; lossy ones stay within the stated mean error.
    @Test(arguments: [
        (ImageFormat.png, SaveOptions(), 0.0),
        (.tiff, SaveOptions(), 0.0),
        (.tiff, SaveOptions(tiffCompression: .deflate), 0.0),
        (.webp, SaveOptions(lossless: true), 0.0),
        (.jpeg, SaveOptions(quality: 95), 3.0),
        (.webp, SaveOptions(quality: 95), 3.0),
        (.avif, SaveOptions(quality: 90), 4.0),
        (.heif, SaveOptions(quality: 90), 4.0),
    ])
    func aRoundTripThroughAFileKeepsSizeAndPixels(format: ImageFormat, options: SaveOptions, meanTolerance: Double) throws {
        // Given
        let original = try TestImages.photo(width: 96, height: 64)
        let path = folder.path("round.\(format.fileExtension)")
        // When
        try original.save(to: path, options: options)
        let loaded = try Image(contentsOfFile: path)
        // Then
        #expect(loaded.header.format == format)
        #expect(loaded.width == 96 && loaded.height == 64 && loaded.bands == 3)
        let difference = try loaded.difference(to: original)
        #expect(difference.mean <= meanTolerance, "mean error \(difference.mean)")
        if meanTolerance == 0 { #expect(difference.maximum == 0) }
    }

    @Test func gifKeepsAFewFlatColoursExactly() async throws {
        let original = try TestImages.halves(width: 40, height: 20, left: [255, 0, 0], right: [0, 0, 255])
        let loaded = try Image(data: try original.data(format: .gif))
        #expect(loaded.header.format == .gif)
        #expect(try loaded.pixel(x: 2, y: 2).prefix(3) == [255, 0, 0])
        #expect(try loaded.pixel(x: 38, y: 18).prefix(3) == [0, 0, 255])
    }

    @Test func jpegXLRoundTripsLosslessly() async throws {
        // JPEG XL is only read by an untrusted loader, blocked here; the vips tool decodes it.
        try #require(VipsRuntime.canSave(.jxl))
        let original = try TestImages.photo(width: 40, height: 30)
        let path = folder.path("photo.jxl")
        try original.save(to: path, options: SaveOptions(lossless: true))
        try await Command("vips", ["copy", path, folder.path("decoded.png")]).check()
        #expect(try Image(contentsOfFile: folder.path("decoded.png")).difference(to: original).maximum == 0)
    }

    @Test(arguments: [ImageFormat.png, .webp, .tiff])
    func alphaSurvivesFormatsThatHaveIt(format: ImageFormat) async throws {
        let original = try TestImages.photo(width: 30, height: 20, bands: 4)
        let loaded = try Image(data: try original.data(format: format, options: format == .webp ? SaveOptions(lossless: true) : SaveOptions()))
        #expect(loaded.hasAlpha && loaded.bands == 4)
        #expect(try loaded.difference(to: original).maximum == 0)
    }

    @Test func lowerQualityMakesSmallerFiles() async throws {
        let image = try TestImages.photo(width: 200, height: 150)
        for format in [ImageFormat.jpeg, .webp, .avif] {
            let low = try image.data(format: format, options: SaveOptions(quality: 20))
            let high = try image.data(format: format, options: SaveOptions(quality: 95))
            #expect(low.count < high.count, "\(format): \(low.count) vs \(high.count)")
        }
    }

    @Test func stripMetadataRemovesEXIF() async throws {
        let image = try TestImages.photo(width: 32, height: 32).settingOrientation(3)
        let kept = try Image(data: try image.data(format: .jpeg))
        let stripped = try Image(data: try image.data(format: .jpeg, options: SaveOptions(stripMetadata: true)))
        #expect(kept.header.orientation == 3 && !kept.header.exif.isEmpty)
        #expect(stripped.header.orientation == 1 && stripped.header.exif.isEmpty)
    }

    @Test func progressiveWritesAProgressiveJPEGAndAnInterlacedPNG() async throws {
        let image = try TestImages.photo(width: 64, height: 64)
        let baseline = [UInt8](try image.data(format: .jpeg))
        let progressive = [UInt8](try image.data(format: .jpeg, options: SaveOptions(progressive: true)))
        func hasMarker(_ bytes: [UInt8], _ marker: UInt8) -> Bool {
            zip(bytes, bytes.dropFirst()).contains { $0 == 0xFF && $1 == marker }
        }
        #expect(hasMarker(progressive, 0xC2) && !hasMarker(baseline, 0xC2))
        // PNG IHDR: the interlace method is byte 28.
        #expect([UInt8](try image.data(format: .png, options: SaveOptions(progressive: true)))[28] == 1)
        #expect([UInt8](try image.data(format: .png))[28] == 0)
    }

    @Test func anExplicitFormatOverridesTheExtension() async throws {
        let path = folder.path("picture.bin")
        try TestImages.photo(width: 10, height: 10).save(to: path, format: .png)
        #expect(try Image(contentsOfFile: path).header.format == .png)
    }

    @Test func aFailedSaveLeavesTheExistingFileUntouched() async throws {
        // Given: a good file at the destination, and an input that only fails when decoded
        let destination = try TestImages.write(TestImages.photo(width: 20, height: 20), "result.jpg", in: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: destination))
        let whole = try TestImages.photo(width: 300, height: 300).data(format: .jpeg)
        let cut = try folder.write(BadInputs.truncated(whole, keeping: 0.3), to: "cut.jpg")
        // When
        expectError(.loadFailed) { try Image(contentsOfFile: cut).save(to: destination) }
        // Then: the old file is intact and no temporary file remains
        #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == before)
        #expect(folder.entries() == ["cut.jpg", "result.jpg"])
    }
}
