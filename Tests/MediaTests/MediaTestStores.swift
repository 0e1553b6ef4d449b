import Foundation
import Media
import Studio
import StudioSQLite
import Testing
import TestSupport

/// A Media service on a real SQLite file and a content folder, both in a temporary folder.
enum MediaTestStores {
    static let user = UserID("telegram:5472638766")!
    static let other = UserID("web:alice")!

    static func service(in folder: TemporaryDirectory, fetcher: MediaFetcher = MediaFetcher(),
                        policy: MediaService.Policy = MediaService.Policy()) throws -> MediaService {
        let database = try StudioDatabase(path: folder.path("studio.sqlite"))
        let content = try LocalContentStore(folder: folder.url.appendingPathComponent("media"))
        return MediaService(.init(records: database.media, content: content, fetcher: fetcher), policy: policy)
    }

    /// Every file in the content store.
    static func storedFiles(in folder: TemporaryDirectory) -> [String] {
        folder.allFiles("media/objects")
    }
}

/// Expects `body` to throw a ``MediaError`` with `code`.
func expectCode(_ code: MediaError.Code, _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        try await body()
        Issue.record("expected \(code) but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as MediaError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code) but received \(error)", sourceLocation: sourceLocation)
    }
}
