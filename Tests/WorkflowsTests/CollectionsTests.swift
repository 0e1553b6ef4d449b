import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import Testing
import TestSupport
import Vips
import Workflows
import ZIPFoundation

/// Collections as sets of media: membership, order, deletion that keeps what something else
/// uses, a contact sheet; the grammar refused through the workflow; and the export of a cooked,
/// reviewed series checked file by file.
@Suite(.onTestThreads) struct CollectionsTests {
    func upload(_ fixture: CollectionsFixture, seed: UInt64, source: String = "upload") async throws -> String {
        let png = try TestImages.photo(width: 96, height: 64, seed: seed).data(format: .png)
        return try await fixture.make.media.add(png, owner: fixture.user, source: source).id
    }

    @Test func membersAreOrderedAndADeletionKeepsWhatSomethingElseUses() async throws {
        let fixture = try await CollectionsFixture()
        let (user, workflow) = (fixture.user, fixture.workflow)
        let shared = try await upload(fixture, seed: 1), alone = try await upload(fixture, seed: 2)
        let generated = try await upload(fixture, seed: 3, source: "comfyui:txt2img"), trained = try await upload(fixture, seed: 4)
        var dataset = TrainingDataset(owner: user, name: "cat", triggerWord: "mycat", createdAt: Date())
        dataset.slots[0].image = trained
        try await fixture.database.database.datasets.insert(dataset, maxPerOwner: nil)

        let first = try await workflow.create(owner: user, name: "favourites", description: "the best ones")
        let second = try await workflow.create(owner: user, name: "shared")
        let items = try await workflow.add([alone, shared, generated, trained, alone], to: first.id, owner: user)
        #expect(items.map(\.media) == [alone, shared, generated, trained] && items.allSatisfy { $0.kind == .image })
        _ = try await workflow.add([shared], to: second.id, owner: user)
        #expect(try await workflow.reorder(first.id, owner: user, as: [trained, generated, shared, alone]).map(\.media) == [trained, generated, shared, alone])
        #expect(await fixture.code { _ = try await workflow.reorder(first.id, owner: user, as: [trained]) } == "invalid_params")
        // Another user sees nothing and adds nothing of someone else's.
        let stranger = UserID("web:mallory")!
        #expect(await fixture.code { _ = try await workflow.detail(first.id, owner: stranger) } == "collection_not_found")
        let theirs = try await workflow.create(owner: stranger, name: "mine")
        #expect(await fixture.code { _ = try await workflow.add([shared], to: theirs.id, owner: stranger) } == "media_not_found")
        #expect(await fixture.code { _ = try await workflow.create(owner: user, name: "  ") } == "invalid_params")

        let renamed = try await workflow.update(first.id, owner: user, name: "the very best", description: "renamed")
        #expect(renamed.name == "the very best" && renamed.description == "renamed")
        let sheet = try Image(data: try await workflow.contactSheet(first.id, owner: user))
        // Four 96×64 images fit 256-pixel cells: two columns, two rows, 8 pixels between.
        #expect(sheet.width == 96 * 2 + 8 && sheet.height == 64 * 2 + 8, "\(sheet.width)×\(sheet.height)")

        let deletion = try await workflow.delete(first.id, owner: user, deleteMedia: true)
        #expect(deletion.deletedMedia == [alone], "only the upload nothing else uses")
        #expect(Set(deletion.keptMedia) == [shared, generated, trained])
        for kept in [shared, generated, trained] { _ = try await fixture.make.media.record(kept, owner: user) }
        #expect(try await fixture.database.database.media.record(id: alone) == nil)
        #expect(try await workflow.detail(second.id, owner: user).items.map(\.media) == [shared])
        #expect(await fixture.code { _ = try await workflow.detail(first.id, owner: user) } == "collection_not_found")
        // Without deleteMedia nothing is deleted.
        let kept = try await workflow.delete(second.id, owner: user)
        #expect(kept.deletedMedia.isEmpty && kept.keptMedia == [shared])
        _ = try await fixture.make.media.record(shared, owner: user)
    }

    @Test func aMalformedMasterPromptIsRefusedWithTheSpot() async throws {
        let fixture = try await CollectionsFixture()
        var series = CollectionsFixture.series(supply: 2)
        series.prompt = "a cat [wearing a [[hat]]\nwith [[glasses]]"
        do {
            _ = try await fixture.workflow.create(owner: fixture.user, name: "cats", series: series)
            Issue.record("accepted")
        } catch let error as WorkflowError {
            #expect(error.code.rawValue == "invalid_prompt")
            #expect(error.message.hasPrefix("line 1, column 7:") && error.message.hasSuffix("a cat [wearing a [[hat]]\n        ^"), "\(error.message)")
        }
        series.prompt = "a cat [[crown]]"
        #expect(await fixture.code { _ = try await fixture.workflow.create(owner: fixture.user, name: "cats", series: series) } == "invalid_prompt")
        #expect(try await fixture.workflow.collections(of: fixture.user).isEmpty, "nothing recorded")
    }

    @Test func aReviewedSeriesExportsNumberedImagesMetadataInBothShapesASheetAndTheRarityReport() async throws {
        let fixture = try await CollectionsFixture()
        let (user, workflow) = (fixture.user, fixture.workflow)
        let collection = try await workflow.create(owner: user, name: "Cats of 2026", description: "cats in hats", series: CollectionsFixture.series(supply: 4))
        #expect(await fixture.code { _ = try await workflow.export(collection.id, owner: user, to: URL(fileURLWithPath: "/tmp/none.zip")) } == "collection_state_conflict")
        let cooked = try await workflow.cook(collection.id, owner: user)
        #expect(cooked.cook.state == .finished, "\(cooked.cook)")
        #expect(await fixture.code { _ = try await workflow.review(collection.id, owner: user, pieces: [9], approve: true) } == "collection_not_found")
        _ = try await workflow.review(collection.id, owner: user, pieces: [1, 2, 4], approve: true)
        _ = try await workflow.review(collection.id, owner: user, pieces: [3], approve: false)
        let pieces = try await workflow.pieces(of: collection.id, owner: user)
        let approved = pieces.filter { $0.review == .approved }
        #expect(approved.map(\.number) == [1, 2, 4])

        let rarity = try await workflow.rarity(of: collection.id, owner: user)
        #expect(rarity.pieces == 3)
        for row in rarity.rows {
            #expect(row.count == approved.count { $0.traits[row.trait] == row.value }, "\(row)")
        }
        #expect(rarity.rows.first { $0.trait == "background" && $0.value == "beach" }?.expected == 2.0 / 3.0)
        #expect(rarity.table.contains("background") && rarity.table.hasSuffix("3 approved pieces"))

        let folder = TemporaryDirectory("collection-export")
        let file = folder.url.appendingPathComponent("cats.zip")
        let export = try await workflow.export(collection.id, owner: user, to: file)
        #expect(export.images == 3 && export.bytes > 0)
        let archive = try Archive(url: file, accessMode: .read)
        func read(_ path: String) throws -> Data {
            guard let entry = archive[path] else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return data
        }
        let names = Set(archive.map(\.path))
        #expect(names == Set((1...3).flatMap { ["images/\($0).png", "erc721/\($0).json", "metaplex/\($0).json"] }
            + ["contact-sheet.jpg", "rarity.txt", "rarity.json", "rarity.png", "collection.json"]), "\(names.sorted())")
        for (number, piece) in zip(1..., approved) {
            let image = try read("images/\(number).png")
            let stored = try await fixture.make.media.data(piece.media!, owner: user).data
            let decoded = try Image(data: image)
            #expect(image == stored && decoded.width == 64)
            let erc = try #require(try JSONSerialization.jsonObject(with: try read("erc721/\(number).json")) as? [String: Any])
            #expect(Set(erc.keys) == ["name", "description", "image", "attributes"])
            #expect(erc["name"] as? String == "Cats of 2026 #\(number)" && erc["image"] as? String == "\(number).png" && erc["description"] as? String == "cats in hats")
            let attributes = try #require(erc["attributes"] as? [[String: String]])
            #expect(attributes == ["hat", "glasses", "background"].compactMap { trait in piece.traits[trait].map { ["trait_type": trait, "value": $0] } })
            let metaplex = try #require(try JSONSerialization.jsonObject(with: try read("metaplex/\(number).json")) as? [String: Any])
            #expect(Set(metaplex.keys) == ["name", "symbol", "description", "seller_fee_basis_points", "image", "attributes", "properties"])
            #expect(metaplex["symbol"] as? String == "CATSOF2026" && metaplex["seller_fee_basis_points"] as? Int == 0)
            #expect(metaplex["attributes"] as? [[String: String]] == attributes)
            let properties = try #require(metaplex["properties"] as? [String: Any])
            #expect(properties["category"] as? String == "image")
            #expect(properties["files"] as? [[String: String]] == [["uri": "\(number).png", "type": "image/png"]])
        }
        let sheet = try Image(data: try read("contact-sheet.jpg"))
        #expect(sheet.header.format == .jpeg && sheet.width == 64 * 2 + 8)
        let chart = try Image(data: try read("rarity.png"))
        #expect(chart.header.format == .png && chart.width > 600)
        let report = try JSONDecoder().decode(RarityReport.self, from: try read("rarity.json"))
        #expect(report == rarity)
        #expect(String(decoding: try read("rarity.txt"), as: UTF8.self) == rarity.table + "\n")
        // No partial file is left beside the export.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["cats.zip"])
    }
}
