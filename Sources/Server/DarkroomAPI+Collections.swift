import ComfyUIModel
import Foundation
public import Hummingbird
public import Studio
import Workflows

extension DarkroomAPI {
    /// A user's collections under `/v1/users/{user}/collections`: create, list, read, change,
    /// delete; members (add, remove, reorder) and a contact sheet; the cook (in the background,
    /// with events), pause and stop; pieces, their review and redoing, the rarity report and the zip
    /// export.
    func addCollections(to v1: RouterGroup<APIContext>) {
        let workflow = dependencies.collections, events = self.events
        let users = v1.group("/users/:user")
        users.post("/collections") { request, context in
            let user = try context.pathUser()
            let body = try await JSONBody.decode(CollectionBody.self, from: request)
            guard let name = body.name else { throw APIError(.badRequest, "invalid_json", "at name: this field is required") }
            return try JSONBody.response(try await Self.workflow {
                try await workflow.create(owner: user, name: name, description: body.description ?? "", series: body.series)
            }, status: .created)
        }
        users.get("/collections") { _, context in
            let user = try context.pathUser()
            return try JSONBody.response(["collections": try await Self.workflow { try await workflow.collections(of: user) }])
        }
        let one = users.group("/collections/:id")
        one.get { _, context in
            let (user, id) = try Self.collection(context)
            return try JSONBody.response(try await Self.workflow { try await workflow.detail(id, owner: user) })
        }
        one.patch { request, context in
            let (user, id) = try Self.collection(context)
            let body = try await JSONBody.decode(CollectionBody.self, from: request)
            return try JSONBody.response(try await Self.workflow {
                try await workflow.update(id, owner: user, name: body.name, description: body.description, series: body.series)
            })
        }
        one.delete { request, context in
            let (user, id) = try Self.collection(context)
            let deleteMedia = try QueryParameter.flag("delete_media", of: request)
            return try JSONBody.response(try await Self.workflow { try await workflow.delete(id, owner: user, deleteMedia: deleteMedia) })
        }
        one.post("/items") { request, context in
            let (user, id) = try Self.collection(context)
            let body = try await JSONBody.decode(ItemsBody.self, from: request)
            return try JSONBody.response(["items": try await Self.workflow { try await workflow.add(body.media, to: id, owner: user) }])
        }
        one.put("/items") { request, context in
            let (user, id) = try Self.collection(context)
            let body = try await JSONBody.decode(ItemsBody.self, from: request)
            return try JSONBody.response(["items": try await Self.workflow { try await workflow.reorder(id, owner: user, as: body.media) }])
        }
        one.delete("/items/:media") { _, context in
            let (user, id) = try Self.collection(context)
            let media = context.parameters.get("media") ?? ""
            return try JSONBody.response(["items": try await Self.workflow { try await workflow.remove(media, from: id, owner: user) }])
        }
        one.get("/sheet") { _, context in
            let (user, id) = try Self.collection(context)
            let sheet = try await Self.workflow { try await workflow.contactSheet(id, owner: user) }
            return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: sheet)))
        }
        one.get("/pieces") { _, context in
            let (user, id) = try Self.collection(context)
            return try JSONBody.response(["pieces": try await Self.workflow { try await workflow.pieces(of: id, owner: user) }])
        }
        one.post("/review") { request, context in
            let (user, id) = try Self.collection(context)
            let body = try await JSONBody.decode(PieceReview.self, from: request)
            return try JSONBody.response(["pieces": try await Self.workflow {
                try await workflow.review(id, owner: user, pieces: body.pieces, approve: body.approve)
            }])
        }
        one.post("/redo") { request, context in
            let (user, id) = try Self.collection(context)
            let body = try await JSONBody.decode(PieceNumbers.self, from: request)
            return try JSONBody.response(["pieces": try await Self.workflow { try await workflow.redo(id, owner: user, pieces: body.pieces) }])
        }
        one.get("/rarity") { _, context in
            let (user, id) = try Self.collection(context)
            return try JSONBody.response(try await Self.workflow { try await workflow.rarity(of: id, owner: user) })
        }
        one.post("/cook") { _, context in
            let (user, id) = try Self.collection(context)
            return try JSONBody.response(try await Self.startCook(id, owner: user, collections: workflow, events: events), status: .accepted)
        }
        one.post("/pause") { _, context in
            let (user, id) = try Self.collection(context)
            return try JSONBody.response(try await Self.workflow { try await workflow.pause(id, owner: user) })
        }
        one.post("/stop") { _, context in
            let (user, id) = try Self.collection(context)
            return try JSONBody.response(try await Self.workflow { try await workflow.stop(id, owner: user) })
        }
        one.get("/events") { request, context in
            let (user, id) = try Self.collection(context)
            let current = try await Self.workflow { try await workflow.collection(id, owner: user) }
            let lastID = Self.lastEventID(of: request)
            let stream = events.events(of: id, after: lastID) ?? Self.single(id, "ended", current.cook)
            return Self.eventStream(stream)
        }
        one.get("/export") { request, context in
            let (user, id) = try Self.collection(context)
            let includePending = try QueryParameter.flag("include_pending", of: request)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("\(id).zip")
            let zip: ResponseBody
            do {
                _ = try await Self.workflow { try await workflow.export(id, owner: user, to: file, includePending: includePending) }
                zip = try await FileIO().loadFile(path: file.path, context: context)
            } catch {
                try? FileManager.default.removeItem(at: folder)
                throw error
            }
            // Streamed from the file in chunks, and the folder removed once the body is written (or fails).
            let body = ResponseBody(contentLength: zip.contentLength) { writer in
                defer { try? FileManager.default.removeItem(at: folder) }
                try await zip.write(writer)
            }
            return Response(status: .ok, headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(id).zip\""],
                            body: body)
        }
    }

    /// Starts a cook in a task of its own and answers once it is claimed (or with the error that
    /// stopped it before: no series, already cooking); its progress goes to the collection's events.
    static func startCook(_ id: String, owner: UserID, collections: Collections, events: JobEventLog) async throws -> CookStarted {
        events.reopen(id)
        let started = CookStarted(collection: id, events: "/v1/users/\(owner)/collections/\(id)/events")
        return try await inBackground(id, events: events) { answer in
            try await collections.cook(id, owner: owner) { progress in
                appendCook(progress, of: id, to: events)
                if case .piece = progress { answer(started) }
                if case .ended = progress { answer(started) }
            }
        }
    }

    /// Carries on the cooks a stopped process left running, each in a task of its own with its
    /// events in the log as if started here. Call after makeImage's open jobs are resumed.
    public func resumeOpenCooks() async throws -> [MediaCollection] {
        let log = events
        let open = try await dependencies.collections.dependencies.collections.collections(cooking: [.cooking])
        open.forEach { log.reopen($0.id) }
        let ended = try await dependencies.collections.resumeOpenCooks { id, progress in Self.appendCook(progress, of: id, to: log) }
        for collection in ended { log.append(collection.id, "completed", collection, last: true) }
        return ended
    }

    static func appendCook(_ progress: CookProgress, of id: String, to events: JobEventLog) {
        switch progress {
        case .piece(let number, let made, let supply, let prompt):
            events.append(id, "piece", PieceEvent(number: number, made: made, supply: supply, prompt: prompt))
        case .generation(let number, .generation(.progress(_, let value, let max))):
            events.append(id, "progress", ["number": number, "value": value, "max": max])
        case .generation(let number, .queued(let position, _)):
            events.append(id, "queued", ["number": number, "position": position ?? -1])
        case .generation:
            break
        case .made(let number, let media, let made, let supply):
            events.append(id, "made", ["number": .integer(Int64(number)), "media": .string(media), "made": .integer(Int64(made)),
                                       "supply": .integer(Int64(supply))] as [String: JSONValue])
        case .failed(let number, let code, let message):
            events.append(id, "piece_failed", ["number": .integer(Int64(number)), "code": .string(code), "message": .string(message)] as [String: JSONValue])
        case .ended(let cook):
            events.append(id, "ended", cook)
        }
    }

    private static func collection(_ context: APIContext) throws -> (UserID, String) {
        (try context.pathUser(), context.parameters.get("id") ?? "")
    }

    /// What `POST …/cook` answers.
    struct CookStarted: Encodable, Sendable {
        var collection: String
        var events: String
    }

    struct PieceEvent: Encodable {
        var number: Int
        var made: Int
        var supply: Int
        var prompt: String
    }

    /// `POST` (name required) and `PATCH` (each optional) of a collection.
    struct CollectionBody: Decodable {
        var name: String?
        var description: String?
        var series: GenerativeSeries?
    }

    struct ItemsBody: Decodable {
        var media: [String]
    }

    struct PieceNumbers: Decodable {
        var pieces: [Int]
    }

    struct PieceReview: Decodable {
        var pieces: [Int]
        var approve: Bool
    }
}
