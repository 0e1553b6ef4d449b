public import Foundation

/// Where the poller keeps the id of the next update to ask for, so that a restart neither loses
/// nor repeats an update.
public protocol TelegramOffsetStore: Sendable {
    func load() async throws -> Int?
    func save(_ offset: Int) async throws
}

/// The offset in a small file (the data folder's `telegram.offset`), replaced atomically.
public struct FileOffsetStore: TelegramOffsetStore {
    public let file: URL

    public init(file: URL) { self.file = file }

    public func load() async throws -> Int? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func save(_ offset: Int) async throws {
        try Data("\(offset)\n".utf8).write(to: file, options: .atomic)
    }
}
