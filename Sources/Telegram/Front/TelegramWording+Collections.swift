import Foundation
import Studio
import Workflows

/// What the bot says about collections and their cooks.
extension TelegramWording {
    static let collectionsHelp = """
        Collections: /collection Beach days starts one (or shows it); press “Keep” under an image to put it in one; \
        /collections lists them; /cook Name cooks a collection's series (set up through the API).
        """

    static func collections(_ details: [Collections.Detail]) -> String {
        guard !details.isEmpty else { return "No collections yet. " + collectionsHelp }
        let lines = details.map { "• " + summary($0) }
        return String(("Your collections:\n" + lines.joined(separator: "\n")).prefix(BotAPILimits.textLength))
    }

    static func collectionCreated(_ collection: MediaCollection) -> String {
        "Started the collection \(collection.name). Press “Keep” under an image (or a photo you send) to put it in."
    }

    /// A collection in a line or two: members, and a series' pieces and cook.
    static func collection(_ detail: Collections.Detail) -> String {
        summary(detail) + (detail.collection.description.isEmpty ? "" : "\n\(detail.collection.description.prefix(300))")
    }

    private static func summary(_ detail: Collections.Detail) -> String {
        let collection = detail.collection
        var text = "\(collection.name): \(detail.items.count) item\(detail.items.count == 1 ? "" : "s")"
        if let series = collection.series {
            text += "; series of \(series.supply), \(detail.pieces.made + detail.pieces.approved + detail.pieces.rejected) made"
            text += ", cook \(collection.cook.state.rawValue)"
            if let reason = collection.cook.reason, collection.cook.state != .cooking { text += " (\(reason.prefix(120)))" }
        }
        return text
    }

    /// The status of a cook for `progress`; `nil` for steps not worth an edit.
    static func cooking(_ name: String, _ progress: CookProgress) -> String? {
        switch progress {
        case .piece(let number, let made, let supply, let prompt):
            "Cooking \(name): piece \(number) (\(made) of \(supply) made): “\(prompt.prefix(200))”"
        case .generation(let number, let step):
            status(step).map { "Cooking \(name): piece \(number). \($0)" }
        case .made(let number, _, let made, let supply):
            "Cooking \(name): piece \(number) made, \(made) of \(supply)."
        case .failed(let number, _, let message):
            "Cooking \(name): piece \(number) failed (\(message.prefix(200))); trying again."
        case .ended:
            nil
        }
    }

    /// The status of a cook picked up after a restart.
    static func stillCooking(_ collection: MediaCollection) -> String {
        "Still cooking \(collection.name) after a restart…"
    }

    static func cooked(_ collection: MediaCollection) -> String {
        let cook = collection.cook
        return switch cook.state {
        case .finished: "\(collection.name) is cooked. /collection \(collection.name) shows it."
        case .paused: "\(collection.name) is paused; Cook carries it on."
        default: "\(collection.name) stopped" + (cook.reason.map { ": \($0.prefix(300))" } ?? "") + ". Cook carries it on."
        }
    }
}
