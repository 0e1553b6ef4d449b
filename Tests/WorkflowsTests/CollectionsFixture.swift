import ComfyUI
import ComfyUITestSupport
import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import TestSupport
import Workflows

/// The collections workflow on makeImage's fixture: the same SQLite file, content folder, real
/// libvips and ComfyUI test server.
struct CollectionsFixture {
    let make: MakeImageFixture
    let workflow: Collections
    var user: UserID { make.user }
    var database: TestDatabase { make.database }

    init(make: MakeImageFixture? = nil) async throws {
        let make = if let make { make } else { try await MakeImageFixture() }
        self.make = make
        workflow = Collections(.init(collections: make.database.database.collections, media: make.media, makeImage: make.workflow,
                                     datasets: make.database.database.datasets, clock: make.database.clock,
                                     jobPollInterval: .milliseconds(50)))
    }

    /// A second instance over the same database, content folder and server, its makeImage built by `generator`.
    func restarted() async throws -> CollectionsFixture {
        try await CollectionsFixture(make: try await make.restarted())
    }

    /// A series of `supply` pieces at the test server's small settings.
    static func series(supply: Int, seed: UInt64 = 11) -> GenerativeSeries {
        GenerativeSeries(supply: supply, settings: MakeImageFixture.small, inputs: MakeImageFixture.models,
                         prompt: "a portrait of a cat[ wearing a [[hat]]]{glasses}[ with [[glasses]]], [[background]]",
                         traits: [
                             TraitType(name: "hat", values: [.init(name: "top hat", prompt: "top hat", weight: 1), .init(name: "none", prompt: "", weight: 1)]),
                             TraitType(name: "glasses", values: [.init(name: "round", prompt: "round glasses", weight: 1), .init(name: "none", prompt: "", weight: 1)]),
                             TraitType(name: "background", values: [.init(name: "beach", prompt: "on a beach", weight: 2), .init(name: "city", prompt: "in a city", weight: 1)]),
                         ], seed: seed)
    }

    func code(_ body: () async throws -> Void) async -> String? { await workflowErrorCode(body) }
}
