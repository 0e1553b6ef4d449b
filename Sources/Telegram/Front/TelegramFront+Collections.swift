import Foundation
import Media
import Studio
import Workflows

/// Collections in chat:
///
/// - `/collections` lists a user's collections, their members and cooks;
/// - `/collection <name>` shows one (its contact sheet, with cook buttons when it has a series),
///   or starts an empty one by that name;
/// - "Keep" under a generated image (and under a photo sent to the bot) asks which collection it
///   goes into;
/// - `/cook <name>` (or the button) cooks a collection's series, one status message following the
///   pieces, with pause and stop buttons.
///
/// Buttons name a collection by the first eight hex digits of its id (`into:1f2e3d4c:<job>`),
/// looked up among the presser's own collections only.
extension TelegramFront {
    // MARK: Commands

    func listCollections(of user: UserID, in chat: Int64) async throws {
        let collections = try collectionsWorkflow()
        var details: [Collections.Detail] = []
        for collection in try await collections.collections(of: user) {
            details.append(try await collections.detail(collection.id, owner: user))
        }
        try await say(TelegramWording.collections(details), to: chat)
    }

    /// Shows the collection named `name` (any case), or starts an empty one by that name.
    func showCollection(_ name: String, for user: UserID, in chat: Int64) async throws {
        guard !name.isEmpty else { return try await say("Name it: /collection Beach days", to: chat) }
        let collections = try collectionsWorkflow()
        guard let found = try await collections.collections(of: user).first(where: { $0.name.lowercased() == name.lowercased() }) else {
            let created = try await collections.create(owner: user, name: name)
            return try await say(TelegramWording.collectionCreated(created), to: chat)
        }
        let detail = try await collections.detail(found.id, owner: user)
        let caption = String(TelegramWording.collection(detail).prefix(BotAPILimits.captionLength))
        let keyboard = Self.cookKeyboard(detail.collection)
        guard !detail.items.isEmpty else {
            _ = try await dependencies.outbox.send(to: chat) { client throws(BotAPIError) in
                try await client.sendMessage(chat: chat, text: caption, keyboard: keyboard)
            }
            return
        }
        let sheet = try await collections.contactSheet(found.id, owner: user)
        let fileName = "\(Self.reference(found.id)).jpeg"
        _ = try await dependencies.outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.sendPhoto(chat: chat, photo: sheet, fileName: fileName, caption: caption, keyboard: keyboard)
        }
    }

    /// "/cook Mushrooms": the collection's series cooked.
    func cookCollection(_ name: String, for user: UserID, in chat: Int64) async throws {
        guard !name.isEmpty else { return try await say("Name the collection to cook: /cook Cats", to: chat) }
        guard let collection = try await collectionsWorkflow().collections(of: user).first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw WorkflowError(StudioError(.collectionNotFound, "you have no collection named \(name)"))
        }
        try await startCook(collection, for: user, in: chat)
    }

    // MARK: Buttons

    /// A collection button: "keep:<job or media>", "into:<collection>:<job or media>",
    /// "cook:<collection>", "pause:<collection>", "stop:<collection>". Returns the press's short answer.
    func pressCollection(_ action: String, _ data: String, for user: UserID, in chat: Int64) async throws -> String {
        let collections = try collectionsWorkflow()
        switch action {
        case "keep":
            let own = try await collections.collections(of: user)
            guard !own.isEmpty else {
                try await say("You have no collection to keep it in; start one with /collection Beach days, then press Keep again.", to: chat)
                return "No collection yet."
            }
            let rows = own.prefix(8).map { [InlineKeyboardButton(String($0.name.prefix(40)), data: "into:\(Self.reference($0.id)):\(data)")] }
            _ = try await dependencies.outbox.send(to: chat) { client throws(BotAPIError) in
                try await client.sendMessage(chat: chat, text: "Keep it in which collection?", keyboard: InlineKeyboardMarkup(Array(rows)))
            }
            return "Choose a collection."
        case "into":
            let (reference, kept) = Self.button(data)
            let collection = try await ownCollection(reference, of: user)
            let media = kept.hasPrefix("m_") ? [kept] : try await dependencies.makeImage.job(kept, user: user).media
            guard !media.isEmpty else { throw WorkflowError(.mediaNotFound, "that job made no image") }
            let items = try await collections.add(media, to: collection.id, owner: user)
            return "Kept in \(collection.name) (\(items.count) now)."
        case "cook":
            try await startCook(try await ownCollection(data, of: user), for: user, in: chat)
            return "Cooking."
        case "pause":
            _ = try await collections.pause(try await ownCollection(data, of: user).id, owner: user)
            return "Pausing once this piece is made."
        case "stop":
            _ = try await collections.stop(try await ownCollection(data, of: user).id, owner: user)
            return "Stopped; the piece under way is cancelled and its points are back."
        default:
            return "That button no longer does anything."
        }
    }

    // MARK: Cooking

    /// Cooks `collection` in a task of its own, one status message following the pieces.
    private func startCook(_ collection: MediaCollection, for user: UserID, in chat: Int64) async throws {
        guard collection.series != nil else {
            throw WorkflowError(StudioError(.collectionStateConflict, "\(collection.name) has no series to cook; it holds what you keep in it"))
        }
        guard collection.cook.state != .cooking else {
            throw WorkflowError(StudioError(.collectionStateConflict, "\(collection.name) is cooking already"))
        }
        let (deps, collections) = (dependencies, try collectionsWorkflow())
        let buttons = Self.cookingKeyboard(collection.id)
        let status = try await TelegramStatus.open("Cooking \(collection.name)…", keyboard: buttons, in: chat, outbox: deps.outbox)
        // Followed under a lease, so that after a restart another process says how it ended.
        Task {
            let followed = (try? await follow(Self.followKey("cook", collection.id, bot: deps.botID)) {
                do {
                    let cooked = try await collections.cook(collection.id, owner: user) { progress in
                        if let text = TelegramWording.cooking(collection.name, progress) { status.show(text, keyboard: buttons) }
                    }
                    status.end(TelegramWording.cooked(cooked), keyboard: Self.cookKeyboard(cooked))
                } catch {
                    status.end(TelegramWording.failure(error))
                }
            }) ?? false
            if !followed { status.end(TelegramWording.failure(WorkflowError(StudioError(.collectionStateConflict, "\(collection.name) is cooking already")))) }
        }
    }

    /// Pause and stop, for a cook under way.
    static func cookingKeyboard(_ id: String) -> InlineKeyboardMarkup {
        let reference = reference(id)
        return InlineKeyboardMarkup([[InlineKeyboardButton("Pause", data: "pause:\(reference)"), InlineKeyboardButton("Stop", data: "stop:\(reference)")]])
    }

    /// "Cook" for a series that is not cooking; nothing otherwise.
    static func cookKeyboard(_ collection: MediaCollection) -> InlineKeyboardMarkup? {
        guard collection.series != nil, collection.cook.state != .cooking else { return nil }
        return InlineKeyboardMarkup([[InlineKeyboardButton("Cook", data: "cook:\(reference(collection.id))")]])
    }

    // MARK: Lookups

    /// The collections workflow, or a refusal a user understands when this bot has none.
    func collectionsWorkflow() throws -> Collections {
        guard let collections = dependencies.collections else { throw WorkflowError(.invalidParams, "collections are not offered by this bot") }
        return collections
    }

    private func ownCollection(_ reference: String, of user: UserID) async throws -> MediaCollection {
        let matching = try await collectionsWorkflow().collections(of: user).filter {
            Self.reference($0.id) == reference && reference.count == 8
        }
        guard matching.count == 1, let collection = matching.first else {
            throw WorkflowError(StudioError(.collectionNotFound, "that collection is gone"))
        }
        return collection
    }
}
