/// `/queue`: what runs and what waits, pending in the order it will run (the server's list is a
/// heap, so it is sorted here by queue number).
public struct QueueState: Sendable, Equatable {
    /// One prompt in the queue.
    public struct Entry: Sendable, Equatable {
        /// Queue priority: lower runs first (negative for prompts sent to the front).
        public var number: Double
        public var promptID: String
        /// The client id it was submitted with (`extra_data.client_id`), when there was one.
        public var clientID: String?
        /// How many nodes the graph has.
        public var nodeCount: Int
        /// The output nodes that will run.
        public var outputNodes: [String]

        public init(number: Double, promptID: String, clientID: String? = nil, nodeCount: Int = 0, outputNodes: [String] = []) {
            self.number = number
            self.promptID = promptID
            self.clientID = clientID
            self.nodeCount = nodeCount
            self.outputNodes = outputNodes
        }

        /// Submitted by darkroom (its client ids start with ``ClientID/prefix``).
        public var isOurs: Bool { ClientID.isOurs(clientID) }

        /// Reads `[number, prompt_id, prompt, extra_data, outputs_to_execute]`.
        package init?(_ item: JSONValue) {
            guard let fields = item.array, fields.count >= 2, let id = fields[1].string else { return nil }
            self.init(number: fields[0].number ?? 0, promptID: id,
                      clientID: fields.count > 3 ? fields[3].object?["client_id"]?.string : nil,
                      nodeCount: fields.count > 2 ? fields[2].object?.count ?? 0 : 0,
                      outputNodes: fields.count > 4 ? (fields[4].array ?? []).compactMap(\.string) : [])
        }
    }

    public var running: [Entry]
    public var pending: [Entry]

    /// Nothing running, nothing waiting.
    public static let empty = QueueState(running: [], pending: [])

    public init(running: [Entry], pending: [Entry]) {
        self.running = running
        self.pending = pending
    }

    package init(_ body: [String: JSONValue]) {
        running = (body["queue_running"]?.array ?? []).compactMap(Entry.init)
        pending = (body["queue_pending"]?.array ?? []).compactMap(Entry.init).sorted { $0.number < $1.number }
    }

    /// Whether `promptID` is running or waiting.
    public func contains(_ promptID: String) -> Bool {
        running.contains { $0.promptID == promptID } || pending.contains { $0.promptID == promptID }
    }
}
