/// `/system_stats`: the server's version and memory, and its devices.
public struct SystemStats: Sendable, Equatable, Decodable {
    public struct System: Sendable, Equatable, Decodable {
        public var os: String
        public var comfyuiVersion: String
        public var pythonVersion: String
        public var ramTotal: Int64
        public var ramFree: Int64

        enum CodingKeys: String, CodingKey {
            case os, comfyuiVersion = "comfyui_version", pythonVersion = "python_version", ramTotal = "ram_total", ramFree = "ram_free"
        }
    }

    public struct Device: Sendable, Equatable, Decodable {
        public var name: String
        public var type: String
        public var vramTotal: Int64
        public var vramFree: Int64

        enum CodingKeys: String, CodingKey { case name, type, vramTotal = "vram_total", vramFree = "vram_free" }
    }

    public var system: System
    public var devices: [Device]
}

/// `/queue`: what runs and what waits (pending sorted by queue number: the server's list is a heap).
public struct QueueState: Sendable, Equatable {
    public var running: [String]
    public var pending: [String]

    /// Nothing running, nothing waiting.
    public static let empty = QueueState(running: [], pending: [])

    public init(running: [String], pending: [String]) {
        self.running = running
        self.pending = pending
    }

    init(_ body: [String: JSONValue]) {
        func items(_ key: String) -> [(number: Double, id: String)] {
            (body[key]?.array ?? []).compactMap { item in
                guard let fields = item.array, fields.count >= 2, let id = fields[1].string else { return nil }
                return (fields[0].number ?? 0, id)
            }
        }
        running = items("queue_running").map(\.id)
        pending = items("queue_pending").sorted { $0.number < $1.number }.map(\.id)
    }
}
