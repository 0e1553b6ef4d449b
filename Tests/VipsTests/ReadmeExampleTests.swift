import Foundation
import Testing
import TestSupport
import Vips

/// The README's library example, run as written (generated inputs, absolute paths), so it stays true.
@Suite(.onTestThreads) struct ReadmeExampleTests {
    @Test func theReadmeExampleRuns() async throws {
        let folder = TemporaryDirectory()
        try Image.sample(width: 1200, height: 800).save(to: folder.path("photo.jpg"))
        try Image.sample(width: 300, height: 200).save(to: folder.path("upload.heic"))  // HEIC encodes slowly: small
        try Image.sample(width: 300, height: 200).save(to: folder.path("big.tif"))
        let photo = folder.path("photo.jpg"), upload = folder.path("upload.heic"), out = folder.path("out.jpg"), big = folder.path("big.tif")

        let webp = try Image.thumbnail(ofFile: photo, width: 512).data(format: .webp, options: SaveOptions(quality: 80))

        let image = try Image(contentsOfFile: upload, options: LoadOptions(limits: .default))
        try image.autoRotate().toSRGB()
            .composite(Image.text("© Darkroom", font: "sans bold 24"), at: .bottomRight, margin: 16, opacity: 0.6)
            .save(to: out, options: SaveOptions(quality: 85, stripMetadata: true))

        let header = try await ImageWorkerPool.shared.run { try Image(contentsOfFile: big).header }

        #expect(try Image(data: webp).width == 512)
        #expect(try Image(contentsOfFile: out).header.exif.isEmpty)
        #expect(header.width == 300 && header.format == .tiff)
    }
}
