import Foundation
public import TestSupport
public import Studio
public import StudioSQLite

/// A real SQLite file in a temporary folder, with the Studio services on it.
public struct TestDatabase: Sendable {
    public let folder: TemporaryDirectory
    public let path: String
    public let database: StudioDatabase
    public let clock: ManualClock
    public let points: PointsService
    public let sessions: SessionService

    public init(clock: ManualClock = ManualClock()) throws {
        folder = TemporaryDirectory("darkroom-db")
        path = folder.path("studio.sqlite")
        database = try StudioDatabase(path: path)
        self.clock = clock
        points = PointsService(store: database.points, clock: clock)
        sessions = SessionService(store: database.sessions, points: points, clock: clock)
    }

    /// The same file opened again, as a restarted process would.
    public func reopened() throws -> StudioDatabase { try StudioDatabase(path: path) }

    /// The stores of this file, on this database's clock (reopened: another pool on the file).
    public var stores: StudioStores {
        let (path, clock) = (path, clock)
        @Sendable func open(_ database: StudioDatabase) -> StudioStores {
            StudioStores(database.storage, clock: clock, reopened: { open(try StudioDatabase(path: path)) })
        }
        return open(database)
    }
}

extension UserID {
    /// The user of the architecture document's examples.
    public static let telegramTester = UserID("telegram:5472638766")!
}
