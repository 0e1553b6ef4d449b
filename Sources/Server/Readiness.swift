public import Foundation

/// What `GET /ready` reports: whether the database answers and which ComfyUI servers do. The
/// server is ready when its database is; without ComfyUI it still serves everything that does
/// not generate.
public struct Readiness: Sendable, Encodable {
    public struct Server: Sendable, Encodable {
        public var url: URL
        public var answers: Bool

        public init(url: URL, answers: Bool) {
            self.url = url
            self.answers = answers
        }
    }

    public var database: Bool
    public var comfyui: [Server]

    public init(database: Bool, comfyui: [Server]) {
        self.database = database
        self.comfyui = comfyui
    }

    /// Whether anything can generate.
    public var generation: Bool { comfyui.contains(where: \.answers) }

    enum CodingKeys: String, CodingKey { case database, comfyui, generation }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(database, forKey: .database)
        try container.encode(comfyui, forKey: .comfyui)
        try container.encode(generation, forKey: .generation)
    }
}
