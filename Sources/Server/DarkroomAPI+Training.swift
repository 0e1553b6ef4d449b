import ComfyUIModel
import Foundation
public import Hummingbird
import Studio
import Workflows

extension DarkroomAPI {
    /// A user's datasets under `/v1/users/{user}/datasets`: create, list, read, set and clear
    /// slots, delete, submit, train (in the background, with events), cancel; the price; and the
    /// admin's review at `/v1/reviews`.
    func addTraining(to v1: RouterGroup<APIContext>) {
        let deps = dependencies, events = self.events
        let users = v1.group("/users/:user")
        users.get("/training/price") { _, context in try JSONBody.response(try await Self.workflow { try await deps.trainModel.price(for: try context.pathUser()) }) }
        users.post("/datasets") { request, context in
            let user = try context.pathUser()
            let body = try await JSONBody.decode(NewDataset.self, from: request)
            return try JSONBody.response(try await Self.workflow { try await deps.trainModel.createDataset(owner: user, name: body.name, triggerWord: body.triggerWord) },
                                         status: .created)
        }
        users.get("/datasets") { _, context in
            let user = try context.pathUser()
            return try JSONBody.response(["datasets": try await Self.workflow { try await deps.trainModel.datasets(of: user) }])
        }
        let dataset = users.group("/datasets/:id")
        dataset.get { _, context in
            let (user, id) = try Self.dataset(context)
            return try JSONBody.response(try await Self.workflow { try await deps.trainModel.dataset(id, owner: user) })
        }
        dataset.delete { _, context in
            let (user, id) = try Self.dataset(context)
            try await Self.workflow { try await deps.trainModel.deleteDataset(id, owner: user) }
            return Response(status: .noContent)
        }
        dataset.put("/slots/:slot") { request, context in
            let (user, id) = try Self.dataset(context)
            let slot = try Self.slot(context)
            let body = try await JSONBody.decode(SlotBody.self, from: request)
            return try JSONBody.response(try await Self.workflow {
                try await deps.trainModel.setSlot(slot, of: id, owner: user, image: body.image.map(MediaInput.stored), caption: body.caption)
            })
        }
        dataset.delete("/slots/:slot") { _, context in
            let (user, id) = try Self.dataset(context)
            let slot = try Self.slot(context)
            return try JSONBody.response(try await Self.workflow { try await deps.trainModel.clearSlot(slot, of: id, owner: user) })
        }
        dataset.post("/submit") { _, context in
            let (user, id) = try Self.dataset(context)
            return try JSONBody.response(try await Self.workflow { try await deps.trainModel.submit(id, owner: user) })
        }
        dataset.post("/cancel") { _, context in
            let (user, id) = try Self.dataset(context)
            return try JSONBody.response(try await Self.workflow { try await deps.trainModel.cancelTraining(id, owner: user) })
        }
        dataset.post("/train") { _, context in
            let (user, id) = try Self.dataset(context)
            return try JSONBody.response(try await Self.startTraining(id, owner: user, trainModel: deps.trainModel, events: events), status: .accepted)
        }
        dataset.get("/events") { request, context in
            let (user, id) = try Self.dataset(context)
            let current = try await Self.workflow { try await deps.trainModel.dataset(id, owner: user) }
            let lastID = Self.lastEventID(of: request)
            let stream = events.events(of: id, after: lastID) ?? Self.single(id, "state", ["state": current.state.rawValue])
            return Self.eventStream(stream)
        }
        v1.get("/reviews") { _, context in
            try context.requireAdmin()
            return try JSONBody.response(["datasets": try await Self.workflow { try await deps.trainModel.pendingReview() }])
        }
        v1.post("/datasets/:id/review") { request, context in
            try context.requireAdmin()
            let body = try await JSONBody.decode(ReviewBody.self, from: request)
            let reviewer = "api:\(try context.requireKey().id)"
            let id = context.parameters.get("id") ?? ""
            return try JSONBody.response(try await Self.workflow { try await deps.trainModel.review(id, reviewer: reviewer, approve: body.approve, note: body.note) })
        }
    }

    /// Starts training in a task of its own and answers once the dataset is claimed and a server
    /// chosen (or with the error that stopped it before: not approved, no server, a node missing).
    static func startTraining(_ id: String, owner: UserID, trainModel: TrainModel, events: JobEventLog) async throws -> TrainingStarted {
        events.reopen(id)
        return try await inBackground(id, events: events) { answer in
            try await trainModel.train(id, owner: owner) { event in
                if case .serverChosen(let url) = event {
                    events.append(id, "training", ["server": url.absoluteString])
                    answer(TrainingStarted(dataset: id, server: url.absoluteString, events: "/v1/users/\(owner)/datasets/\(id)/events"))
                }
                appendGeneration(event, of: id, to: events)
            }
        }
    }

    private static func dataset(_ context: APIContext) throws -> (UserID, String) {
        (try context.pathUser(), context.parameters.get("id") ?? "")
    }

    private static func slot(_ context: APIContext) throws -> Int {
        guard let text = context.parameters.get("slot"), let slot = Int(text) else {
            throw APIError(.badRequest, "invalid_params", "slot: expected a number 1 … \(TrainingDataset.slotCount)")
        }
        return slot
    }

    /// What `POST …/train` answers: the dataset, the server it trains on, where its events are.
    struct TrainingStarted: Encodable, Sendable {
        var dataset: String
        var server: String
        var events: String
    }

    struct NewDataset: Decodable {
        var name: String
        var triggerWord: String
        enum CodingKeys: String, CodingKey { case name, triggerWord = "trigger_word" }
    }

    struct SlotBody: Decodable {
        /// A stored media id.
        var image: String?
        var caption: String?
    }

    struct ReviewBody: Decodable {
        var approve: Bool
        var note: String?
    }
}
