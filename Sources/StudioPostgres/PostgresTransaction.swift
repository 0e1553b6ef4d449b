import Logging
import PostgresNIO

/// One open transaction on a leased connection: what a store's change runs its queries on.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger

    /// The rows `query` returns, read whole.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRecord] {
        try await connection.query(query, logger: logger).collect().map(PostgresRecord.init)
    }

    /// Runs `query`, discarding any rows.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// How many rows `query` returns: with `RETURNING 1`, how many rows a change touched.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await connection.query(query, logger: logger).collect().count
    }

    /// Waits for, then holds until the transaction ends, the lock named `name`: every change that
    /// reads before it writes takes the locks of what it reads, always in the same order (a hold,
    /// then a ledger key, then an account or an owner's rows), so two never wait on each other.
    func lock(_ name: String) async throws {
        try await lock([name])
    }

    /// Takes the locks named, in their order (a select list is evaluated left to right), in one round trip.
    func lock(_ names: [String]) async throws {
        guard !names.isEmpty else { return }
        var query = PostgresQuery(unsafeSQL: "SELECT " + names.indices.map { "pg_advisory_xact_lock(hashtextextended($\($0 + 1), 0))" }
            .joined(separator: ", "))
        for name in names { query.binds.append(name) }
        try await execute(query)
    }
}

/// One row of a result, read by column name.
struct PostgresRecord {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    subscript<Value: PostgresDecodable>(_ column: String) -> Value {
        get throws { try row[column].decode(Value.self) }
    }

    /// The first column.
    func first<Value: PostgresDecodable>(_ type: Value.Type = Value.self) throws -> Value {
        try row[0].decode(Value.self)
    }
}
