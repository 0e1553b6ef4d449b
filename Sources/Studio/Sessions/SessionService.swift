#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Sessions (docs/ARCHITECTURE.md, Sessions): get-or-create by `platform:id`, preferences validated against
/// the limits of the user's standing, generation history (newest first, the last 50), and the
/// cached standing with its check time (valid 24 hours).
public struct SessionService: Sendable {
    /// Entries kept in a user's history.
    public static let historyLimit = 50
    /// How long a checked standing is trusted.
    public static let standingValidity: TimeInterval = 24 * 60 * 60

    private let store: any SessionStore
    private let points: PointsService
    private let clock: any StudioClock

    public init(store: any SessionStore, points: PointsService, clock: any StudioClock = SystemClock()) {
        self.store = store
        self.points = points
        self.clock = clock
    }

    /// The user's session, created with the defaults on first use.
    public func session(of user: UserID) async throws -> Session {
        let now = clock.now()
        var session = try await store.session(of: user, creating: Session(user: user, now: now))
        session.standing = try await points.balance(of: user).standing
        return session
    }

    /// The preferences and the limits that apply to this user.
    public func preferences(of user: UserID) async throws -> (settings: GenerationSettings, limits: SettingsLimits) {
        let session = try await session(of: user)
        return (session.preferences, SettingsLimits(standing: session.standing))
    }

    /// Applies several changes together (all or nothing; see ``GenerationSettings/applying(_:limits:choices:)``).
    @discardableResult
    public func updatePreferences(of user: UserID, _ changes: [String: SettingValue],
                                  choices: SettingChoices = .unknown) async throws -> GenerationSettings {
        let session = try await session(of: user)
        let updated = try session.preferences.applying(changes, limits: SettingsLimits(standing: session.standing), choices: choices)
        try await store.savePreferences(updated, of: user, at: clock.now())
        return updated
    }

    /// Back to the defaults.
    @discardableResult
    public func resetPreferences(of user: UserID) async throws -> GenerationSettings {
        _ = try await session(of: user)
        try await store.savePreferences(.defaults, of: user, at: clock.now())
        return .defaults
    }

    /// Records a finished generation; only the newest ``historyLimit`` are kept.
    public func recordGeneration(_ entry: HistoryEntry, of user: UserID) async throws {
        _ = try await session(of: user)
        try await store.appendHistory(entry, of: user, keeping: Self.historyLimit)
    }

    /// Newest first, at most ``historyLimit``.
    public func history(of user: UserID, limit: Int = SessionService.historyLimit) async throws -> [HistoryEntry] {
        try await store.history(of: user, limit: min(max(1, limit), Self.historyLimit))
    }

    /// The standing, if it was checked within the last 24 hours; `nil` means check it again.
    public func cachedStanding(of user: UserID) async throws -> Int? {
        let session = try await session(of: user)
        guard let checked = session.standingCheckedAt, clock.now().timeIntervalSince(checked) < Self.standingValidity else {
            return nil
        }
        return session.standing
    }

    /// Records a freshly checked standing: the points capacity follows it, and the check time
    /// starts the 24 hours.
    public func recordStanding(_ standing: Int, of user: UserID) async throws {
        _ = try await session(of: user)
        try await points.setStanding(standing, of: user)
        try await store.recordStandingCheck(of: user, at: clock.now())
    }
}
