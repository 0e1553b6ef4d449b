import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct ThumbnailTests {
    let folder = TemporaryDirectory()

    func photo(width: Int = 400, height: Int = 300) throws -> String {
        try TestImages.write(TestImages.photo(width: width, height: height), "photo.jpg", in: folder,
                             options: SaveOptions(quality: 90))
    }

    @Test func aWidthAloneKeepsTheAspectRatio() async throws {
        let thumbnail = try Image.thumbnail(ofFile: try photo(), width: 100)
        #expect(thumbnail.width == 100 && thumbnail.height == 75)
    }

    @Test func aBoxFitsTheWholeImageInside() async throws {
        let thumbnail = try Image.thumbnail(ofFile: try photo(), width: 100, options: ThumbnailOptions(height: 50))
        #expect(thumbnail.width == 67 && thumbnail.height == 50)
    }

    @Test(arguments: CropStrategy.allCases)
    func cropFillsTheBoxExactly(strategy: CropStrategy) async throws {
        let thumbnail = try Image.thumbnail(ofFile: try photo(), width: 80, options: ThumbnailOptions(height: 80, crop: strategy))
        #expect(thumbnail.width == 80 && thumbnail.height == 80)
    }

    @Test func downOnlyNeverEnlarges() async throws {
        let path = try photo(width: 80, height: 60)
        let kept = try Image.thumbnail(ofFile: path, width: 200, options: ThumbnailOptions(resizing: .downOnly))
        let enlarged = try Image.thumbnail(ofFile: path, width: 200)
        #expect(kept.width == 80 && kept.height == 60)
        #expect(enlarged.width == 200 && enlarged.height == 150)
    }

    @Test func theEXIFOrientationIsAppliedFirst() async throws {
        // Stored: left half red, right half blue, tagged "rotate 90° clockwise to display".
        let stored = try TestImages.halves(width: 40, height: 20, left: [255, 0, 0], right: [0, 0, 255]).settingOrientation(6)
        let path = try TestImages.write(stored, "tagged.jpg", in: folder, options: SaveOptions(quality: 100))
        let thumbnail = try Image.thumbnail(ofFile: path, width: 20).materialized()
        #expect(thumbnail.width == 20 && thumbnail.height == 40)
        #expect(try thumbnail.pixel(x: 10, y: 5).isClose(to: [255, 0, 0], within: 4))
        #expect(try thumbnail.pixel(x: 10, y: 35).isClose(to: [0, 0, 255], within: 4))
        let unrotated = try Image.thumbnail(ofFile: path, width: 20, options: ThumbnailOptions(autoRotate: false))
        #expect(unrotated.width == 20 && unrotated.height == 10)
    }

    @Test(arguments: [
        ("128", 128, nil as Int?, nil as CropStrategy?),
        ("200x50", 200, 50, nil),
        ("96x96", 96, 96, .centre),
        ("96x96", 96, 96, .attention),
    ])
    func matchesVipsthumbnailPixelForPixel(size: String, width: Int, height: Int?, crop: CropStrategy?) async throws {
        // Given
        let path = try photo(width: 640, height: 480)
        let reference = folder.path("reference.png")
        var arguments = [path, "-s", size, "-o", reference]
        if let crop { arguments += ["--smartcrop", crop.rawValue] }
        try await Command("vipsthumbnail", arguments).check()
        // When: "-s 128" is a 128×128 box in vipsthumbnail
        let box = ThumbnailOptions(height: height ?? width, crop: crop)
        let fromFile = try Image.thumbnail(ofFile: path, width: width, options: box)
        let fromData = try Image.thumbnail(data: try Data(contentsOf: URL(fileURLWithPath: path)), width: width, options: box)
        // Then
        #expect(try Reference.maximumDifference(fromFile, toFile: reference) == 0)
        #expect(try Reference.maximumDifference(fromData, toFile: reference) == 0)
    }

    /// A fast shrink-on-load (a JPEG decoded at the smallest fraction covering the box, a WebP
    /// scaled to the box by libwebp, a PNG averaged down by that fraction) gives the box
    /// libvips' own choice gives: a JPEG's and a PNG's pixels a few levels from it, a WebP's the
    /// same unless its sides scale apart (libwebp does that in one go).
    @Test(arguments: [
        (200, nil as Int?, nil as CropStrategy?, ThumbnailOptions.Resizing.any),
        (96, 96, .attention, .any),
        (300, 100, nil, .force),
        (10_000_000, 90, nil, .downOnly),
    ])
    func aFastShrinkOnLoadGivesTheSameBoxWithPixelsCloseToLibvips(width: Int, height: Int?, crop: CropStrategy?,
                                                                  resizing: ThumbnailOptions.Resizing) async throws {
        let photo = try TestImages.photo(width: 1_600, height: 1_200, seed: 5)
        for (name, options) in [("photo.jpg", SaveOptions(quality: 90)), ("photo.webp", SaveOptions(quality: 90)), ("photo.png", SaveOptions())] {
            let path = try TestImages.write(photo, name, in: folder, options: options)
            var fast = ThumbnailOptions(height: height, crop: crop, resizing: resizing)
            let exact = try Image.thumbnail(ofFile: path, width: width, options: fast).materialized()
            fast.fastShrinkOnLoad = true
            let shrunk = try Image.thumbnail(ofFile: path, width: width, options: fast).materialized()
            let fromData = try Image.thumbnail(data: Data(contentsOf: URL(fileURLWithPath: path)), width: width, options: fast).materialized()
            #expect((shrunk.width, shrunk.height) == (exact.width, exact.height), "\(name)")
            let difference = try shrunk.difference(to: exact)
            if !name.hasSuffix("webp") {
                // Decoded at another fraction, a few levels off at most.
                #expect(difference.maximum > 0 && difference.maximum <= 24 && difference.mean < 1.5, "\(name): \(difference)")
            } else if resizing == .force {
                #expect(difference.maximum <= 8 && difference.mean < 1, "\(name): \(difference)")
            } else {
                #expect(difference.maximum == 0, "\(name): \(difference)")
            }
            #expect(try fromData.difference(to: shrunk).maximum == 0, "\(name)")
        }
    }

    /// After a JPEG's scaled DCT the fast path resamples the rest of the way itself: within two
    /// levels of libvips' own Lanczos3 thumbnail of the very pixels libvips' loader decodes at
    /// that fraction, for a box that shrinks both sides alike, a forced one that shrinks them
    /// apart, and a greyscale image (one band takes the plain loop, three the vector one).
    @Test(arguments: [(300, 300, 3, ThumbnailOptions.Resizing.any), (300, 100, 3, .force), (250, 250, 1, .any)])
    func aJPEGIsResampledAfterItsScaledDecodeAsLibvipsDoes(width: Int, height: Int, bands: Int,
                                                           resizing: ThumbnailOptions.Resizing) async throws {
        // Given: 1 600 × 1 200 decodes at 1/4 to 400 × 300, which is then resampled to the box. (A
        // side that is no multiple of 8 decodes one pixel wider here than in libvips' loader, which
        // drops the part-pixel at the edge.)
        let path = try TestImages.write(TestImages.photo(width: 1_600, height: 1_200, seed: 9, bands: bands), "photo.jpg", in: folder,
                                        options: SaveOptions(quality: 90))
        let shrunk = folder.path("shrunk.v"), reference = folder.path("reference.png")
        try await Command("vips", ["jpegload", path, shrunk, "--shrink", "4"]).check()
        try await Command("vips", ["thumbnail", shrunk, reference, "\(width)", "--height", "\(height)"]
                          + (resizing == .force ? ["--size", "force"] : [])).check()
        // When
        let fast = try Image.thumbnail(ofFile: path, width: width,
                                       options: ThumbnailOptions(height: height, resizing: resizing, fastShrinkOnLoad: true)).materialized()
        // Then
        let expected = try Image(contentsOfFile: reference, options: LoadOptions(limits: .unlimited))
        #expect((fast.width, fast.height, fast.bands) == (expected.width, expected.height, expected.bands))
        let difference = try fast.difference(to: expected)
        #expect(difference.maximum <= 2 && difference.mean < 0.3, "\(difference)")
    }

    /// An opaque PNG that a fraction would otherwise be averaged away from is resampled from its
    /// whole size instead: within two levels of libvips' own Lanczos3 reduce of the same pixels.
    @Test(arguments: [1, 3])
    func anOpaquePNGIsResampledFromItsWholeSizeAsLibvipsReduces(bands: Int) async throws {
        // Given: 1 600 × 1 200 in a 300 box (a shrink of 16/3 on both sides)
        let path = try TestImages.write(TestImages.photo(width: 1_600, height: 1_200, seed: 4, bands: bands), "photo.png", in: folder)
        let reference = folder.path("reduced.png")
        try await Command("vips", ["reduce", path, reference, "\(1_600.0 / 300)", "\(1_600.0 / 300)", "--kernel", "lanczos3"]).check()
        // When
        let fast = try Image.thumbnail(ofFile: path, width: 300, options: ThumbnailOptions(height: 300, fastShrinkOnLoad: true)).materialized()
        // Then
        let expected = try Image(contentsOfFile: reference, options: LoadOptions(limits: .unlimited))
        #expect((fast.width, fast.height, fast.bands) == (expected.width, expected.height, expected.bands))
        let difference = try fast.difference(to: expected)
        #expect(difference.maximum <= 2 && difference.mean < 0.3, "\(difference)")
    }

    @Test(arguments: ["jpg", "webp"])  // libvips 8.14 keeps no orientation in a PNG
    func aFastShrinkOnLoadTurnsTheImageUprightFirst(format: String) async throws {
        let stored = try TestImages.halves(width: 400, height: 200, left: [255, 0, 0], right: [0, 0, 255]).settingOrientation(6)
        let path = try TestImages.write(stored, "tagged.\(format)", in: folder, options: SaveOptions(quality: 100))
        let thumbnail = try Image.thumbnail(ofFile: path, width: 40, options: ThumbnailOptions(height: 40, fastShrinkOnLoad: true)).materialized()
        #expect(thumbnail.width == 20 && thumbnail.height == 40)
        #expect(try thumbnail.pixel(x: 10, y: 5).isClose(to: [255, 0, 0], within: 8))
        #expect(try thumbnail.pixel(x: 10, y: 35).isClose(to: [0, 0, 255], within: 8))
    }

    /// The fast path decodes a PNG itself (libdeflate, then every row filter undone): each kind
    /// it takes gives libvips' own thumbnail exactly when no fraction is averaged away first (a
    /// box over half the size), and each kind it leaves to libvips (palette, colour key,
    /// interlaced, 16-bit) does too. One `vips` at a time: the suite runs beside servers. The
    /// 16-bit PNG is an RGBA16 image saved as it is: libvips 8.14's `pngsave --bitdepth 16` of an
    /// 8-bit image crashes now and then (2 runs in 40 here).
    @Test func aFastThumbnailOfEveryKindOfPNGIsLibvipsOwn() async throws {
        let kinds: [(bands: Int, saving: [String])] = [
            (1, ["--filter", "all"]), (2, ["--filter", "all"]), (3, ["--filter", "all"]), (4, ["--filter", "all"]),
            (3, ["--filter", "none"]), (3, ["--palette"]), (4, ["--palette"]), (3, ["--interlace"]), (4, ["16-bit"]),
        ]
        for (bands, saving) in kinds {
            var source = try TestImages.write(TestImages.photo(width: 300, height: 200, seed: 3, bands: bands), "source.png", in: folder)
            let path = folder.path("kind.png")
            if saving == ["16-bit"] {
                try await Command("vips", ["colourspace", source, folder.path("wide.v"), "rgb16"]).check()
                source = folder.path("wide.v")
            }
            try await Command("vips", ["pngsave", source, path] + saving.filter { $0 != "16-bit" }).check()
            let exact = try Image.thumbnail(ofFile: path, width: 200, options: ThumbnailOptions(height: 200)).materialized()
            let fast = try Image.thumbnail(ofFile: path, width: 200, options: ThumbnailOptions(height: 200, fastShrinkOnLoad: true)).materialized()
            #expect(fast.bands == exact.bands && fast.header.bandFormat == exact.header.bandFormat && fast.width == 200, "\(bands) \(saving)")
            #expect(try fast.difference(to: exact).maximum == 0, "\(bands) \(saving)")
        }
    }

    /// What libvips read from the header travels with the pixels the fast path decodes itself:
    /// the format, an ICC profile, EXIF.
    @Test func aFastThumbnailKeepsTheMetadata() async throws {
        let source = try TestImages.write(try TestImages.photo(width: 300, height: 200).settingOrientation(3), "source.tif", in: folder)
        for saver in ["jpegsave", "webpsave", "pngsave"] {
            let path = folder.path("profiled.\(saver.dropLast(4))")
            try await Command("vips", [saver, source, path, "--profile", "p3"]).check()
            let exact = try Image.thumbnail(ofFile: path, width: 64, options: ThumbnailOptions(height: 64, autoRotate: false)).header
            let fast = try Image.thumbnail(ofFile: path, width: 64, options: ThumbnailOptions(height: 64, autoRotate: false, fastShrinkOnLoad: true)).header
            #expect(fast.hasICCProfile && exact.hasICCProfile, "\(saver)")
            #expect(fast.format == exact.format && fast.orientation == exact.orientation && fast.exif == exact.exif, "\(saver)")
            #expect(saver == "pngsave" || fast.orientation == 3, "\(saver)")  // libvips 8.14 keeps no orientation in a PNG
        }
    }

    /// A damaged input takes the fast path to libvips' loader, which refuses it as it always has.
    @Test(arguments: ["jpg", "webp", "png"])
    func aDamagedInputIsRefusedOnTheFastPathAsWithout(format: String) async throws {
        let path = try TestImages.write(TestImages.photo(width: 300, height: 200), "whole.\(format)", in: folder)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        var flipped = whole
        flipped[whole.count / 2] ^= 0xFF
        let truncated = Data(whole.prefix(whole.count * 2 / 3))
        #expect(Self.refusal(truncated, fast: true) != nil, "a truncated \(format) is refused")
        for damaged in [truncated, flipped] {
            #expect(Self.refusal(damaged, fast: true) == Self.refusal(damaged, fast: false), "\(format), \(damaged.count) bytes")
        }
    }

    /// The code a thumbnail of `data` is refused with; `nil` when it is made.
    private static func refusal(_ data: Data, fast: Bool) -> VipsError.Code? {
        do {
            _ = try Image.thumbnail(data: data, width: 64, options: ThumbnailOptions(height: 64, fastShrinkOnLoad: fast)).data(format: .png)
            return nil
        } catch { return (error as? VipsError)?.code }
    }

    @Test func aThumbnailStreamsOnceUnlessMaterialized() async throws {
        let thumbnail = try Image.thumbnail(ofFile: try photo(), width: 100)
        let data = try thumbnail.data(format: .png)
        #expect(try Image(data: data).width == 100)
        let materialized = try Image.thumbnail(ofFile: try photo(), width: 100).materialized()
        #expect(try materialized.data(format: .png) == materialized.data(format: .png))
        #expect(try materialized.pixel(x: 0, y: 0).count == 3)
    }

    @Test func anOpenImageCanBeThumbnailedToo() async throws {
        let image = try TestImages.photo(width: 300, height: 100)
        let thumbnail = try image.thumbnail(width: 60)
        #expect(thumbnail.width == 60 && thumbnail.height == 20)
    }
}
