public import Foundation
public import Studio
import Media
import Vips
import ZIPFoundation

extension Collections {
    /// What an export wrote.
    public struct Export: Sendable, Codable {
        public var file: URL
        /// Images written, numbered from 1.
        public var images: Int
        public var bytes: Int
    }

    /// A contact sheet of the collection's members (JPEG), made with the library.
    public func contactSheet(_ id: String, owner: UserID) async throws -> Data {
        _ = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            let items = try await dependencies.collections.items(of: id)
            var cells: [ContactSheet.Cell] = []
            for item in items.prefix(ContactSheet.maximumCells) {
                let (record, data) = try await dependencies.media.data(item.media, owner: owner)
                cells.append(record.kind == .model ? .model(record.id) : .image(data))
            }
            guard !cells.isEmpty else { throw StudioError(.invalidParams, "collection \(id) holds nothing to show yet") }
            let sheet = ContactSheet(cells: cells)
            return try await dependencies.media.dependencies.workers.run { try sheet.jpeg() }
        }
    }

    /// Writes the collection as a zip at `file` (replaced if there), whole or not at all:
    ///
    /// - `images/1.png`, `2.png`… : a generative collection's approved pieces by number (with
    ///   `includePending`, made pieces not rejected), or a plain collection's images in order,
    ///   each in its stored format;
    /// - `erc721/N.json` and `metaplex/N.json`: name, description, image and attributes (the
    ///   piece's traits) in both shapes;
    /// - `contact-sheet.jpg`; and for a series `rarity.txt`, `rarity.json`, `rarity.png`;
    /// - `collection.json`: the collection, its series and models.
    public func export(_ id: String, owner: UserID, to file: URL, includePending: Bool = false) async throws -> Export {
        let collection = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            let store = dependencies.collections, media = dependencies.media
            let items = try await store.items(of: id)
            let pieces = try await store.pieces(of: id)
            // What goes in: (media id, traits) in order.
            var chosen: [(media: String, traits: [(String, String)])] = []
            if let series = collection.series {
                for piece in pieces where piece.state == .made && (piece.review == .approved || (includePending && piece.review == .pending)) {
                    guard let image = piece.media else { continue }
                    chosen.append((image, series.traits.compactMap { trait in piece.traits[trait.name].map { (trait.name, $0) } }))
                }
            } else {
                chosen = items.filter { $0.kind == .image }.map { ($0.media, []) }
            }
            guard !chosen.isEmpty else {
                throw StudioError(.collectionStateConflict, collection.series == nil
                    ? "collection \(id) holds no images to export"
                    : "collection \(id) has no approved pieces to export (approve some, or export with pending ones)")
            }
            let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).partial")
            defer { try? FileManager.default.removeItem(at: partial) }
            let archive = try Archive(url: partial, accessMode: .create)
            func add(_ path: String, _ data: Data, compress: Bool) throws {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: compress ? .deflate : .none) { position, size in
                    data.subdata(in: Int(position) ..< Int(position) + size)
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var sheetCells: [ContactSheet.Cell] = []
            for (index, entry) in chosen.enumerated() {
                let number = index + 1
                let (record, data) = try await media.data(entry.media, owner: owner)
                let name = "\(number).\(record.format == "jpeg" ? "jpg" : record.format)"
                try add("images/\(name)", data, compress: false)
                let metadata = PieceMetadata(name: "\(collection.name) #\(number)", description: collection.description, image: name,
                                             mimeType: "image/\(record.format)",
                                             attributes: entry.traits.map { .init(traitType: $0.0, value: $0.1) })
                try add("erc721/\(number).json", try encoder.encode(metadata.erc721), compress: true)
                try add("metaplex/\(number).json", try encoder.encode(metadata.metaplex(symbol: Self.symbol(collection.name))), compress: true)
                if sheetCells.count < ContactSheet.maximumCells { sheetCells.append(.image(data)) }
            }
            let sheet = ContactSheet(cells: sheetCells)
            try add("contact-sheet.jpg", try await media.dependencies.workers.run { try sheet.jpeg() }, compress: false)
            if let series = collection.series {
                let report = RarityReport(series: series, pieces: pieces)
                try add("rarity.txt", Data((report.table + "\n").utf8), compress: true)
                try add("rarity.json", try encoder.encode(report), compress: true)
                let chart = RarityChart(report: report)
                try add("rarity.png", try await media.dependencies.workers.run { try chart.png() }, compress: false)
            }
            let models = items.filter { $0.kind == .model }.map(\.media)
            try add("collection.json", try encoder.encode(Summary(collection: collection, images: chosen.count, models: models)), compress: true)
            // Only a whole archive takes the name.
            if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
            try FileManager.default.moveItem(at: partial, to: file)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            return Export(file: file, images: chosen.count, bytes: bytes)
        }
    }

    /// `collection.json`.
    private struct Summary: Encodable {
        var collection: MediaCollection
        var images: Int
        var models: [String]
    }

    /// A Metaplex symbol: the name's letters and digits, upper-cased, at most 10.
    static func symbol(_ name: String) -> String {
        let symbol = String(name.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(10))
        return symbol.isEmpty ? "DARKROOM" : symbol
    }
}
