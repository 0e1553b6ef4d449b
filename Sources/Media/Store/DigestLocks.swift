/// Serialises, within this process, the changes that touch the same content digest: storing
/// bytes and recording them, against deleting the last record and removing the bytes. Without
/// it a delete could remove bytes that a concurrent add has just found present.
actor DigestLocks {
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` while no other call holds `digest`.
    func withLock<Result: Sendable>(_ digest: String, _ body: @Sendable () async throws -> Result) async throws -> Result {
        if waiting[digest] != nil {
            await withCheckedContinuation { waiting[digest, default: []].append($0) }
        } else {
            waiting[digest] = []
        }
        defer { unlock(digest) }
        return try await body()
    }

    private func unlock(_ digest: String) {
        guard var queue = waiting[digest], !queue.isEmpty else {
            waiting[digest] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[digest] = queue
        next.resume()
    }
}
