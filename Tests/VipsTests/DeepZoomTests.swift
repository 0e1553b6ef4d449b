import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct DeepZoomTests {
    let folder = TemporaryDirectory()
    let image: Image

    init() throws {
        image = try TestImages.photo(width: 600, height: 400)
    }

    @Test func deepZoomWritesADziAndItsLevels() async throws {
        // When
        let created = try image.deepZoom(to: folder.path("photo"))
        // Then
        #expect(created == [folder.path("photo.dzi"), folder.path("photo_files")])
        let dzi = try String(contentsOfFile: folder.path("photo.dzi"), encoding: .utf8)
        for attribute in ["Format=\"jpeg\"", "Overlap=\"1\"", "TileSize=\"254\"", "Height=\"400\"", "Width=\"600\""] {
            #expect(dzi.contains(attribute), "\(attribute) missing from \(dzi)")
        }
        // Levels 0 (1×1) … 10 (600×400, since 2^10 ≥ 600)
        let levels = Set(folder.entries("photo_files").compactMap(Int.init))
        #expect(levels == Set(0...10))
        #expect(folder.entries("photo_files/10") == ["0_0.jpeg", "0_1.jpeg", "1_0.jpeg", "1_1.jpeg", "2_0.jpeg", "2_1.jpeg"])
        let corner = try Image(contentsOfFile: folder.path("photo_files/10/0_0.jpeg"))
        #expect(corner.width == 255 && corner.height == 255)
        #expect(folder.entries().allSatisfy { !$0.hasPrefix(".") })
    }

    @Test(arguments: DeepZoomOptions.Layout.allCases)
    func everyLayoutMatchesVipsDzsaveFileForFile(layout: DeepZoomOptions.Layout) async throws {
        // Given
        let input = try TestImages.write(image, "input.png", in: folder)
        try FileManager.default.createDirectory(atPath: folder.path("ref"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("ours"), withIntermediateDirectories: true)
        try await Reference.vips("dzsave", input, folder.path("ref/pyramid"), "--layout", layout.rawValue,
                           "--tile-size", "256", "--overlap", "0", "--suffix", ".png")
        // When
        try Image(contentsOfFile: input).deepZoom(to: folder.path("ours/pyramid"),
                                                  options: DeepZoomOptions(layout: layout, tileSize: 256, overlap: 0, tileFormat: .png))
        // Then: the same files, and the same pixels in each tile
        // (plus the marker that lets a later run replace this pyramid and nothing else)
        let reference = folder.allFiles("ref"), ours = folder.allFiles("ours").filter { !$0.hasSuffix("/.darkroom-pyramid") }
        #expect(ours == reference)
        #expect(folder.allFiles("ours").contains { $0.hasSuffix("/.darkroom-pyramid") })
        #expect(ours.count > 3)
        for file in ours where file.hasSuffix(".png") {
            let tile = try Image(contentsOfFile: folder.path("ours/\(file)"))
            #expect(try Reference.maximumDifference(tile, toFile: folder.path("ref/\(file)")) == 0, "\(file)")
        }
        let metadata = ours.first { ["pyramid.dzi", "pyramid/info.json", "pyramid/ImageProperties.xml"].contains($0) }
        if let metadata {
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("ours/\(metadata)")))
                    == Data(contentsOf: URL(fileURLWithPath: folder.path("ref/\(metadata)"))))
        }
    }

    @Test(arguments: DeepZoomOptions.Layout.allCases)
    func eachLayoutsDefaultsAreLibvipsDefaults(layout: DeepZoomOptions.Layout) async throws {
        let input = try TestImages.write(image, "input.png", in: folder)
        try FileManager.default.createDirectory(atPath: folder.path("ref"), withIntermediateDirectories: true)
        try await Reference.vips("dzsave", input, folder.path("ref/p"), "--layout", layout.rawValue)
        try Image(contentsOfFile: input).deepZoom(to: folder.path("p"), options: DeepZoomOptions(layout: layout))
        #expect(folder.allFiles().filter { !$0.hasPrefix("ref/") && $0 != "input.png" && !$0.hasSuffix("/.darkroom-pyramid") }
                == folder.allFiles("ref"))
    }

    @Test func layoutsWriteTheirOwnMetadata() async throws {
        try image.deepZoom(to: folder.path("g"), options: DeepZoomOptions(layout: .google))
        try image.deepZoom(to: folder.path("i"), options: DeepZoomOptions(layout: .iiif))
        try image.deepZoom(to: folder.path("z"), options: DeepZoomOptions(layout: .zoomify))
        #expect(FileManager.default.fileExists(atPath: folder.path("g/0/0/0.jpg")))
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path("i/info.json")))) as? [String: Any]
        #expect(info?["width"] as? Int == 600 && info?["height"] as? Int == 400)
        let properties = try String(contentsOfFile: folder.path("z/ImageProperties.xml"), encoding: .utf8)
        #expect(properties.contains("WIDTH=\"600\"") && properties.contains("HEIGHT=\"400\""))
    }

    @Test func aZipContainerHoldsTheWholePyramid() async throws {
        let created = try image.deepZoom(to: folder.path("photo.zip"), options: DeepZoomOptions(container: .zip))
        #expect(created == [folder.path("photo.zip")])
        #expect(folder.entries() == ["photo.zip"])
        let listing = try await Command("python3", ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
                                              folder.path("photo.zip")]).check().stdout
        #expect(listing.contains("photo/photo.dzi") || listing.contains("photo.dzi"))
        #expect(listing.contains("_files/10/2_1.jpeg"))
    }

    @Test func tileQualityAndSizeAreHonoured() async throws {
        try image.deepZoom(to: folder.path("low"), options: DeepZoomOptions(tileSize: 128, overlap: 0, quality: 20))
        try image.deepZoom(to: folder.path("high"), options: DeepZoomOptions(tileSize: 128, overlap: 0, quality: 95))
        let low = try Data(contentsOf: URL(fileURLWithPath: folder.path("low_files/10/1_1.jpeg")))
        let high = try Data(contentsOf: URL(fileURLWithPath: folder.path("high_files/10/1_1.jpeg")))
        #expect(low.count < high.count)
        #expect(try Image(data: high).width == 128)
    }

    @Test func aNewPyramidReplacesAnOldOne() async throws {
        try image.deepZoom(to: folder.path("photo"))
        try TestImages.photo(width: 100, height: 100).deepZoom(to: folder.path("photo"))
        let dzi = try String(contentsOfFile: folder.path("photo.dzi"), encoding: .utf8)
        #expect(dzi.contains("Width=\"100\""))
        #expect(!folder.entries("photo_files").contains("10"))
    }

    @Test func aFailedPyramidLeavesNothingBehind() async throws {
        let whole = try TestImages.photo(width: 400, height: 400).data(format: .jpeg)
        let cut = try folder.write(BadInputs.truncated(whole, keeping: 0.3), to: "cut.jpg")
        expectError(.loadFailed) { try Image(contentsOfFile: cut).deepZoom(to: folder.path("broken")) }
        #expect(folder.entries() == ["cut.jpg"])
    }

    @Test func badOptionsAreRefused() async throws {
        expectError(.invalidArgument) { try image.deepZoom(to: folder.path("x"), options: DeepZoomOptions(tileSize: 0)) }
        expectError(.invalidArgument) { try image.deepZoom(to: folder.path("x"), options: DeepZoomOptions(tileSize: 64, overlap: 64)) }
        expectError(.invalidArgument) { try image.deepZoom(to: folder.path("x"), options: DeepZoomOptions(tileFormat: .gif)) }
        expectError(.saveFailed) { try image.deepZoom(to: folder.path("missing/x")) }
        #expect(folder.entries().isEmpty)
    }
}
