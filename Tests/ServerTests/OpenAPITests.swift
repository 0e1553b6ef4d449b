import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Server
import TestSupport
import Testing

/// `/openapi.json` tells the truth: the same operations as the router, no more, no fewer.
@Suite(.onTestThreads) struct OpenAPITests {
    @Test func theDocumentListsExactlyTheRoutesTheServerHas() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let reply = try await api.request(.GET, "/openapi.json")
        #expect(reply.status == 200 && reply.json?["openapi"] as? String == "3.1.0")
        let paths = try #require(reply.json?["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        // The router's `:name` parameters are the document's `{name}`; its catch-all is the signed image path.
        let served = Set(api.routes.map { route in
            route.replacingOccurrences(of: "/v1/img/**", with: "/v1/img/{signature}/{plan}/{source}")
                .split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        })
        #expect(documented == served, "only documented: \(documented.subtracting(served).sorted()); only served: \(served.subtracting(documented).sorted())")
        let images = try #require(paths["/v1/images"]?["post"] as? [String: Any])
        #expect((images["responses"] as? [String: Any])?["402"] != nil && images["requestBody"] != nil)
        let health = try #require(paths["/health"]?["get"] as? [String: Any])
        #expect((health["security"] as? [Any])?.isEmpty == true, "public operations need no key")
    }
}
