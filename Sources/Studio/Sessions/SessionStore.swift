#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Storage for sessions. Narrow: ``SessionService`` holds the rules.
public protocol SessionStore: Sendable {
    /// The session of `user`, created from `fresh` if there is none (atomically: two concurrent
    /// callers get the same session).
    func session(of user: UserID, creating fresh: Session) async throws -> Session
    /// Stores new preferences.
    func savePreferences(_ preferences: GenerationSettings, of user: UserID, at: Date) async throws
    /// Records when the standing was checked (the standing itself is the points account's).
    func recordStandingCheck(of user: UserID, at: Date) async throws
    /// Adds an entry and keeps only the newest `limit`.
    func appendHistory(_ entry: HistoryEntry, of user: UserID, keeping limit: Int) async throws
    /// Newest first.
    func history(of user: UserID, limit: Int) async throws -> [HistoryEntry]
}
