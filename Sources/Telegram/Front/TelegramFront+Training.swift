import ComfyUIModel
import Foundation
import Studio
import Workflows

/// Training in chat. A user keeps datasets as the trainModel workflow defines them; the one the
/// chat works on is their draft changed last (a new one, or the one they last added to):
///
/// - `/dataset <name> <trigger word>` starts a draft; `/datasets` lists them with what comes next;
/// - a photo sent while a draft exists offers "Add to ‹draft›": the photo goes into the first slot
///   without an image, the photo's caption (if it had one) as the slot's caption;
/// - `/caption <slot> <text>` and `/clear <slot>` change the draft worked on;
/// - `/submit` shows the price and asks for a press before anything is held;
/// - `/train` (or a dataset's "Train" button under `/datasets`) trains an approved dataset, one
///   status message edited with the steps and a cancel button, the model announced at the end.
///
/// Buttons name a dataset by the first eight hex digits of its id (`slot:1f2e3d4c:m_…`), looked
/// up among the presser's own datasets only, so that every button fits Telegram's 64 bytes.
extension TelegramFront {
    // MARK: Commands

    /// The user's datasets, with a "Train" button for each approved one.
    func listDatasets(of user: UserID, in chat: Int64) async throws {
        let datasets = try await trainModel().datasets(of: user)
        let text = TelegramWording.datasets(datasets, workedOn: Self.workedOn(datasets)?.id)
        let rows = datasets.filter { $0.state == .approved }.prefix(5).map {
            [InlineKeyboardButton("Train \($0.name.prefix(40))", data: "train:\(Self.reference($0.id))")]
        }
        let keyboard = rows.isEmpty ? nil : InlineKeyboardMarkup(Array(rows))
        _ = try await dependencies.outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.sendMessage(chat: chat, text: text, keyboard: keyboard)
        }
    }

    /// "/dataset My dog rexdog": a draft named "My dog" whose trigger word is "rexdog".
    func createDataset(_ argument: String, for user: UserID, in chat: Int64) async throws {
        let words = argument.split(separator: " ").map(String.init)
        guard words.count >= 2, let trigger = words.last else {
            return try await say("Name it and give it a trigger word: /dataset My dog rexdog (the last word is the trigger word).", to: chat)
        }
        let dataset = try await trainModel().createDataset(owner: user, name: words.dropLast().joined(separator: " "), triggerWord: trigger)
        try await say(TelegramWording.created(dataset), to: chat)
    }

    /// "/caption 3 a photo of rexdog on the beach".
    func captionSlot(_ argument: String, for user: UserID, in chat: Int64) async throws {
        let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, let slot = Int(parts[0]) else {
            return try await say("Say which image and what it shows: /caption 3 a photo of rexdog on the beach", to: chat)
        }
        let draft = try await workedOnDraft(of: user)
        let dataset = try await trainModel().setSlot(slot, of: draft.id, owner: user, caption: parts[1])
        try await say(TelegramWording.captioned(dataset, slot: slot), to: chat)
    }

    /// "/clear 3": the slot emptied (its image stays among the user's media).
    func clearSlot(_ argument: String, for user: UserID, in chat: Int64) async throws {
        guard let slot = Int(argument) else { return try await say("Say which image: /clear 3", to: chat) }
        let draft = try await workedOnDraft(of: user)
        let dataset = try await trainModel().clearSlot(slot, of: draft.id, owner: user)
        try await say("Image \(slot) of \(dataset.name) is cleared. " + TelegramWording.remaining(dataset), to: chat)
    }

    /// The price of submitting the draft worked on, and a button to submit it for that: nothing
    /// is held before the press.
    func offerSubmission(for user: UserID, in chat: Int64) async throws {
        let deps = dependencies, train = try trainModel()
        let draft = try await workedOnDraft(of: user)
        let images = draft.slots.filter { $0.image != nil }
        guard images.count >= TrainingDataset.minimumImages, images.allSatisfy({ !($0.caption ?? "").isEmpty }) else {
            return try await say("\(draft.name) is not ready yet: " + TelegramWording.remaining(draft), to: chat)
        }
        let price = try await train.price(for: user)
        let balance = try await deps.points.balance(of: user)
        let keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Submit for \(price.amount) points", data: "submit:\(Self.reference(draft.id))")]])
        _ = try await deps.outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.sendMessage(chat: chat, text: TelegramWording.submission(draft, price: price, available: balance.available), keyboard: keyboard)
        }
    }

    /// `/train`: the newest approved dataset starts training.
    func trainNewestApproved(for user: UserID, in chat: Int64) async throws {
        let datasets = try await trainModel().datasets(of: user)
        guard let approved = datasets.filter({ $0.state == .approved }).max(by: { $0.updatedAt < $1.updatedAt }) else {
            return try await say(TelegramWording.nothingToTrain(datasets), to: chat)
        }
        try await startTraining(approved, for: user, in: chat)
    }

    // MARK: Buttons

    /// A training button: "slot:<dataset>:<media>", "submit:<dataset>", "train:<dataset>",
    /// "untrain:<dataset>". Returns the press's short answer.
    func pressTraining(_ action: String, _ data: String, for user: UserID, in chat: Int64, message: Message?) async throws -> String {
        let (reference, media) = Self.button(data)
        let dataset = try await ownDataset(reference, of: user)
        let train = try trainModel()
        switch action {
        case "slot":
            // A second press of the same button (or of an older offer of the same photo).
            if let taken = dataset.slots.firstIndex(where: { $0.image == media }) { return "Already image \(taken + 1) of \(dataset.name)." }
            guard let slot = dataset.slots.firstIndex(where: { $0.image == nil }).map({ $0 + 1 }) else {
                throw WorkflowError(.invalidParams, "all \(TrainingDataset.slotCount) images of \(dataset.name) are taken; /clear one first")
            }
            let caption = message?.text.flatMap(TelegramWording.photoCaption(in:))
            let changed = try await train.setSlot(slot, of: dataset.id, owner: user, image: .stored(media), caption: caption)
            try await say(TelegramWording.added(changed, slot: slot), to: chat)
            return "Added as image \(slot)."
        case "submit":
            let submitted = try await train.submit(dataset.id, owner: user)
            if submitted.state == .approved {
                try await startTraining(submitted, for: user, in: chat)
                return "Submitted; training starts."
            }
            try await say(TelegramWording.submitted(submitted), to: chat)
            return "Submitted."
        case "train":
            try await startTraining(dataset, for: user, in: chat)
            return "Training starts."
        case "untrain":
            _ = try await train.cancelTraining(dataset.id, owner: user)
            return "Cancelled; your points are back."
        default:
            return "That button no longer does anything."
        }
    }

    // MARK: Training

    /// Trains `dataset` in a task of its own, one status message following it to its end.
    private func startTraining(_ dataset: TrainingDataset, for user: UserID, in chat: Int64) async throws {
        guard dataset.state == .approved else {
            throw WorkflowError(StudioError(.datasetStateConflict, "\(dataset.name) is \(dataset.state.rawValue); only an approved dataset can start training"))
        }
        let deps = dependencies, train = try trainModel()
        let cancel = Self.cancelTraining(dataset.id)
        let status = try await TelegramStatus.open(TelegramWording.trainingStarts(dataset), keyboard: cancel, in: chat, outbox: deps.outbox)
        // Followed under a lease, so that after a restart another process says how it ended.
        Task {
            let followed = (try? await follow(Self.followKey("training", dataset.id, bot: deps.botID)) {
                do {
                    let trained = try await train.train(dataset.id, owner: user) { event in
                        if let text = TelegramWording.training(dataset, event) { status.show(text, keyboard: cancel) }
                    }
                    status.end(TelegramWording.trained(trained))
                } catch {
                    status.end(TelegramWording.failure(error))
                }
            }) ?? false
            if !followed { status.end(TelegramWording.failure(WorkflowError(.duplicateID, "dataset \(dataset.id) is followed elsewhere"))) }
        }
    }

    /// A training button's keyboard: cancel.
    static func cancelTraining(_ id: String) -> InlineKeyboardMarkup {
        InlineKeyboardMarkup([[InlineKeyboardButton("Cancel training", data: "untrain:\(reference(id))")]])
    }

    // MARK: Lookups

    /// The trainModel workflow, or a refusal a user understands when this bot has none.
    func trainModel() throws -> TrainModel {
        guard let train = dependencies.trainModel else { throw WorkflowError(.invalidParams, "training is not offered by this bot") }
        return train
    }

    /// The draft a user works on: their draft changed last.
    static func workedOn(_ datasets: [TrainingDataset]) -> TrainingDataset? {
        datasets.filter { $0.state == .draft }.max { $0.updatedAt < $1.updatedAt }
    }

    private func workedOnDraft(of user: UserID) async throws -> TrainingDataset {
        guard let draft = Self.workedOn(try await trainModel().datasets(of: user)) else {
            throw WorkflowError(.invalidParams, "you have no dataset in the making; start one with /dataset My dog rexdog")
        }
        return draft
    }

    /// The drafts a photo may be added to, the one worked on first (three at most).
    func draftsOffered(to user: UserID) async -> [TrainingDataset] {
        guard let train = dependencies.trainModel, let datasets = try? await train.datasets(of: user) else { return [] }
        return Array(datasets.filter { $0.state == .draft }.sorted { $0.updatedAt > $1.updatedAt }.prefix(3))
    }

    /// A dataset's or a collection's reference in a button: the first eight hex digits of the
    /// UUID in its id (`ds-1f2e3d4c-…` → `1f2e3d4c`).
    static func reference(_ id: String) -> String { String((id.split(separator: "-", maxSplits: 1).last ?? "").prefix(8)) }

    private func ownDataset(_ reference: String, of user: UserID) async throws -> TrainingDataset {
        let matching = try await trainModel().datasets(of: user).filter { Self.reference($0.id) == reference && reference.count == 8 }
        guard matching.count == 1, let dataset = matching.first else {
            throw WorkflowError(StudioError(.datasetNotFound, "that dataset is gone"))
        }
        return dataset
    }
}
