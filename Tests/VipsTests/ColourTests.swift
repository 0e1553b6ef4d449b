import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct ColourTests {
    let folder = TemporaryDirectory()

    @Test func flattenBlendsOntoTheBackgroundLikeVips() async throws {
        // Given: alpha 0 at the left edge rising to ~255 at the right
        let image = try TestImages.photo(width: 64, height: 16, bands: 4)
        let path = try TestImages.write(image, "alpha.png", in: folder)
        try await Reference.vips("flatten", path, folder.path("ref.png"), "--background", "255 255 255")
        // When
        let flat = try image.flatten(background: .white)
        // Then
        #expect(flat.bands == 3 && !flat.hasAlpha)
        #expect(try Reference.maximumDifference(flat, toFile: folder.path("ref.png")) == 0)
        let fullyTransparent = try Image(pixels: [10, 20, 30, 0], width: 1, height: 1, bands: 4)
        #expect(try fullyTransparent.flatten(background: Colour(red: 1, green: 2, blue: 3)).pixel(x: 0, y: 0) == [1, 2, 3])
    }

    @Test func alphaIsAddedOpaqueAndRemovedWithoutBlending() async throws {
        let rgb = try TestImages.solid(width: 4, height: 4, [9, 8, 7])
        let rgba = try rgb.addingAlpha()
        #expect(rgba.bands == 4 && rgba.hasAlpha)
        #expect(try rgba.pixel(x: 3, y: 3) == [9, 8, 7, 255])
        #expect(try rgba.addingAlpha() === rgba)
        let translucent = try Image(pixels: [50, 60, 70, 10], width: 1, height: 1, bands: 4)
        #expect(try translucent.removingAlpha().pixel(x: 0, y: 0) == [50, 60, 70])
        #expect(try rgb.removingAlpha() === rgb)
    }

    @Test func greyBecomesThreeBandSRGB() async throws {
        let grey = try Image(pixels: [0, 128, 255, 64], width: 2, height: 2, bands: 1)
        let rgb = try grey.toSRGB()
        #expect(rgb.bands == 3 && rgb.header.colourSpace == .sRGB)
        #expect(try rgb.pixel(x: 1, y: 0) == [128, 128, 128])
    }

    @Test func anEmbeddedCMYKProfileIsHonoured() async throws {
        // Given: a CMYK JPEG carrying its ICC profile, made by the vips tool
        let original = try TestImages.halves(width: 64, height: 48, left: [150, 120, 100], right: [90, 110, 130])
        let rgbPath = try TestImages.write(original, "rgb.tif", in: folder)
        let cmykPath = folder.path("cmyk.jpg")
        try await Reference.vips("icc_transform", rgbPath, cmykPath + "[Q=98]", "cmyk", "--input-profile", "srgb")
        let cmyk = try Image(contentsOfFile: cmykPath)
        #expect(cmyk.header.colourSpace == .cmyk && cmyk.header.hasICCProfile && cmyk.bands == 4)
        try await Reference.vips("icc_transform", cmykPath, folder.path("ref.png"), "srgb", "--embedded")
        // When
        let srgb = try cmyk.toSRGB()
        // Then: the same as libvips' own transform, and close to the original colours
        #expect(srgb.bands == 3 && srgb.header.colourSpace == .sRGB)
        #expect(try Reference.maximumDifference(srgb, toFile: folder.path("ref.png")) == 0)
        // In-gamut colours come back within a few levels (saturated ones would be clipped by CMYK).
        #expect(try srgb.pixel(x: 10, y: 10).isClose(to: [150, 120, 100], within: 4))
        #expect(try srgb.pixel(x: 54, y: 40).isClose(to: [90, 110, 130], within: 4))
    }

    @Test func invertingGivesTheNegative() async throws {
        let image = try Image(pixels: [0, 100, 255], width: 1, height: 1, bands: 3)
        #expect(try image.inverted().pixel(x: 0, y: 0) == [255, 155, 0])
    }

    @Test func sRGBInputIsLeftAlone() async throws {
        let image = try TestImages.photo(width: 8, height: 8)
        #expect(try image.toSRGB() === image)
    }

    @Test func hexColoursParse() {
        #expect(Colour(hex: "#ff8000") == Colour(red: 255, green: 128, blue: 0))
        #expect(Colour(hex: "fff") == .white)
        #expect(Colour(hex: "#00000080") == Colour(red: 0, green: 0, blue: 0, alpha: 128))
        #expect(Colour(hex: "#12345") == nil && Colour(hex: "zzzzzz") == nil)
    }
}

@Suite(.onTestThreads) struct CompositeTests {
    let folder = TemporaryDirectory()

    @Test func anOverlayIsDrawnAtItsPositionWithItsOpacity() async throws {
        // Given
        let base = try TestImages.solid(width: 60, height: 40, [100, 100, 100])
        let red = try TestImages.solid(width: 20, height: 10, [255, 0, 0])
        // When
        let result = try base.composite(red, x: 5, y: 5, opacity: 0.5)
        // Then: half red over grey inside, grey outside, no alpha added
        #expect(result.bands == 3 && result.width == 60 && result.height == 40)
        #expect(try result.pixel(x: 10, y: 8).isClose(to: [177.5, 50, 50], within: 1))
        #expect(try result.pixel(x: 0, y: 0) == [100, 100, 100])
        #expect(try result.pixel(x: 30, y: 20) == [100, 100, 100])
    }

    @Test func anOpaqueOverlayMatchesVipsComposite2() async throws {
        let base = try TestImages.photo(width: 80, height: 60)
        let logo = try TestImages.photo(width: 30, height: 20, seed: 7, bands: 4)
        let basePath = try TestImages.write(base, "base.png", in: folder)
        let logoPath = try TestImages.write(logo, "logo.png", in: folder)
        try await Reference.vips("composite2", basePath, logoPath, folder.path("ref.png"), "over", "--x", "40", "--y", "30")
        let result = try base.composite(logo, x: 40, y: 30).addingAlpha()
        #expect(try Reference.maximumDifference(result, toFile: folder.path("ref.png")) <= 1)
    }

    @Test(arguments: [
        (Placement.topLeft, 4, 4), (.top, 20, 4), (.topRight, 36, 4),
        (.left, 4, 15), (.centre, 20, 15), (.right, 36, 15),
        (.bottomLeft, 4, 26), (.bottom, 20, 26), (.bottomRight, 36, 26),
    ])
    func placementsRespectTheMargin(placement: Placement, x: Int, y: Int) throws {
        let base = try TestImages.solid(width: 50, height: 40, [0, 0, 0])
        let white = try TestImages.solid(width: 10, height: 10, [255, 255, 255])
        let result = try base.composite(white, at: placement, margin: 4)
        #expect(try result.pixel(x: x, y: y) == [255, 255, 255])
        #expect(try result.pixel(x: x + 9, y: y + 9) == [255, 255, 255])
        #expect(try result.pixel(x: x - 1, y: y) == [0, 0, 0])
        #expect(try result.average() == 255 * 100 / 2000)
    }

    @Test func anOverlayHangingOffTheEdgeIsClipped() async throws {
        let base = try TestImages.solid(width: 20, height: 20, [0, 0, 0])
        let result = try base.composite(TestImages.solid(width: 30, height: 30, [255, 255, 255]), x: 10, y: 10)
        #expect(result.width == 20 && result.height == 20)
        #expect(try result.pixel(x: 19, y: 19) == [255, 255, 255] && result.pixel(x: 9, y: 9) == [0, 0, 0])
    }

    @Test func aBaseWithAlphaKeepsIt() async throws {
        let base = try TestImages.photo(width: 20, height: 20, bands: 4)
        #expect(try base.composite(TestImages.solid(width: 5, height: 5, [1, 2, 3]), x: 0, y: 0).bands == 4)
    }
}

@Suite(.onTestThreads) struct TextTests {
    @Test func textRendersColouredGlyphsOnTransparency() async throws {
        let text = try Image.text("Darkroom", font: "sans bold 32", colour: Colour(red: 255, green: 200, blue: 0))
        #expect(text.bands == 4 && text.hasAlpha && text.header.colourSpace == .sRGB)
        #expect(text.width > 60 && text.height > 20)
        // Fully covered pixels are exactly the colour; the background is transparent.
        let pixels = [UInt8](try text.pixelData())
        let opaque = stride(from: 0, to: pixels.count, by: 4).filter { pixels[$0 + 3] == 255 }
        #expect(!opaque.isEmpty)
        #expect(opaque.allSatisfy { Array(pixels[$0..<($0 + 3)]) == [255, 200, 0] })
        #expect(stride(from: 3, to: pixels.count, by: 4).contains { pixels[$0] == 0 })
    }

    @Test func longerTextIsWiderAndWrappingMakesItTaller() async throws {
        let short = try Image.text("ab")
        let long = try Image.text("abcdefghijkl")
        let wrapped = try Image.text("ab cd ef gh ij kl mn op qr st uv wx", width: 100)
        #expect(long.width > short.width)
        #expect(wrapped.width <= 100 && wrapped.height > long.height)
    }

    @Test func aTextWatermarkChangesOnlyItsCorner() async throws {
        let photo = try TestImages.solid(width: 200, height: 100, [20, 20, 20])
        let mark = try Image.text("© darkroom", font: "sans 14")
        let marked = try photo.composite(mark, at: .bottomRight, margin: 5, opacity: 0.8)
        #expect(try marked.pixel(x: 5, y: 5) == [20, 20, 20])
        let corner = try marked.crop(left: 200 - mark.width - 5, top: 100 - mark.height - 5, width: mark.width, height: mark.height)
        #expect(try corner.average() > 21)
    }
}

@Suite(.onTestThreads) struct GridTests {
    @Test func imagesAreJoinedRowByRowInCellsOfTheLargestSize() async throws {
        // Given: five images, one larger than the rest
        let colours: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255]]
        var images = try colours.map { try TestImages.solid(width: 30, height: 20, $0) }
        images[2] = try TestImages.solid(width: 40, height: 24, [0, 0, 255])
        // When
        let sheet = try Image.grid(images, columns: 2, spacing: 4, background: .white)
        // Then: 2 columns × 3 rows of 40×24 cells, 4 px apart
        #expect(sheet.width == 2 * 40 + 4 && sheet.height == 3 * 24 + 2 * 4)
        #expect(try sheet.pixel(x: 20, y: 12) == [255, 0, 0])
        #expect(try sheet.pixel(x: 64, y: 12) == [0, 255, 0])
        #expect(try sheet.pixel(x: 20, y: 40) == [0, 0, 255])
        #expect(try sheet.pixel(x: 64, y: 68) == [255, 255, 255])
        #expect(try sheet.pixel(x: 42, y: 12) == [255, 255, 255])
    }

    @Test func mixedBandsAreBroughtTogether() async throws {
        let grey = try Image(pixels: [128, 128, 128, 128], width: 2, height: 2, bands: 1)
        let rgba = try TestImages.photo(width: 2, height: 2, bands: 4)
        let sheet = try Image.grid([grey, rgba], columns: 2)
        #expect(sheet.bands == 4 && sheet.width == 4)
    }
}
