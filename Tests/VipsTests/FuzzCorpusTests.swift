import Foundation
import Testing
import TestSupport
import Vips

/// Replays the fuzz corpus (`Fuzz/corpus`: a valid file of every format read by default, and
/// every past finding) through what the fuzz target exercises: load, header, thumbnail, fast
/// thumbnail (the transform plans' whole-input decoders). Each
/// file must give an image or a typed refusal, never a crash or a hang. `scripts/fuzz` fuzzes;
/// this only replays.
@Suite(.onTestThreads) struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func theCorpusHasAFileOfEveryFormatReadByDefault() {
        let formats = Set(Self.files.compactMap { name -> ImageFormat? in
            guard let data = FileManager.default.contents(atPath: Self.corpus.appendingPathComponent(name).path) else { return nil }
            return try? Image(data: data).header.format
        })
        #expect(formats.isSuperset(of: [.jpeg, .png, .webp, .gif, .tiff, .heif, .avif]), "\(formats)")
    }

    @Test(arguments: FuzzCorpusTests.files)
    func everyCorpusFileLoadsOrIsRefusedWithATypedError(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Self.corpus.appendingPathComponent(name).path))
        let limits = Limits(maxPixels: 4_000_000, maxInputBytes: 1 << 20, maxFrames: 50)
        for step in [{ _ = try Image(data: data, options: LoadOptions(limits: limits)).header },
                     { _ = try Image.thumbnail(data: data, width: 64, loading: LoadOptions(limits: limits, allPages: true)).data(format: .png) },
                     { _ = try Image.thumbnail(data: data, width: 64, options: ThumbnailOptions(height: 64, fastShrinkOnLoad: true),
                                               loading: LoadOptions(limits: limits)).data(format: .png) }]
            as [() throws -> Void] {
            do { try step() } catch { #expect(error is VipsError, "\(name): \(error)") }
        }
    }
}
