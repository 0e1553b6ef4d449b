import CommandSupport
import ComfyUIModel
import Foundation
import Studio
import Workflows

/// How collections read on a terminal, and the series file they are given.
enum CollectionOutput {
    /// `col-…  "cats"  12 items  cooking`.
    static func line(_ collection: MediaCollection) -> String {
        let series = collection.series.map { "  series of \($0.supply), cook \(collection.cook.state.rawValue)" } ?? ""
        return "\(collection.id)  \"\(collection.name)\"\(series)"
    }

    static func print(_ detail: Collections.Detail, pieces: [CollectionPiece]?, json: Bool) {
        if json { return JSONOutput.print(detail) }
        let collection = detail.collection
        Console.line(line(collection))
        if !collection.description.isEmpty { Console.line("  \(collection.description)") }
        if let reason = collection.cook.reason { Console.line("  cook      \(collection.cook.state.rawValue): \(reason)") }
        if let series = collection.series {
            let counts = detail.pieces
            Console.line("  pieces    \(counts.made) made of \(series.supply) (\(counts.approved) approved, \(counts.rejected) rejected, \(counts.pending) to review)"
                + (counts.failed > 0 ? ", \(counts.failed) failed" : "") + (counts.stale > 0 ? ", \(counts.stale) under an older configuration" : ""))
            Console.line("  config    \(detail.configHash ?? "")  seed \(series.seed)")
        }
        Console.line("  items     \(detail.items.count)")
        for item in detail.items { Console.line("    \(String(item.position).padding(toLength: 4, withPad: " ", startingAt: 0))\(item.media)  \(item.kind.rawValue)") }
        for piece in pieces ?? [] { Console.line(self.piece(piece)) }
    }

    /// `  #3  made  approved  m_…  "a portrait of a cat…"`.
    static func piece(_ piece: CollectionPiece) -> String {
        let review = piece.state == .made ? "  \(piece.review.rawValue)" : ""
        let failure = piece.failure.map { "  [\($0.code)] \($0.message)" } ?? ""
        return "  #\(piece.number)  \(piece.state.rawValue)\(review)  \(piece.media ?? "-")  \"\(piece.prompt)\"\(failure)"
    }

    /// The series in a JSON file, refused with where it is wrong.
    static func series(from path: String) throws -> GenerativeSeries {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Failure(.input, "\(path): cannot be read", code: "invalid_params")
        }
        do { return try JSONDecoder().decode(GenerativeSeries.self, from: data) } catch let error as DecodingError {
            throw Failure(.input, "\(path): \(WorkflowTemplate.describe(error))", code: "invalid_params")
        }
    }
}
