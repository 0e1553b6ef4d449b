import Foundation
public import StudioPostgres

/// The PostgreSQL server the tests use: DARKROOM_POSTGRES_URL, which the test command
/// (`scripts/test`) sets after starting a private server, or which names one of your own.
public enum TestPostgres {
    /// The server's address; fails, saying how to get one, when DARKROOM_POSTGRES_URL is unset.
    public static func address() throws -> PostgresAddress {
        guard let url = ProcessInfo.processInfo.environment["DARKROOM_POSTGRES_URL"], !url.isEmpty else {
            throw Unset()
        }
        return try PostgresAddress(url: url)
    }

    /// The server's address in a new schema of its own (created when first opened).
    public static func freshSchema() throws -> PostgresAddress {
        try address().inSchema("t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())
    }

    struct Unset: Error, CustomStringConvertible {
        var description: String {
            "DARKROOM_POSTGRES_URL is not set: run the tests with scripts/test, which starts a private PostgreSQL, or set it to a server of yours (postgres://user@host:port/database)"
        }
    }
}
