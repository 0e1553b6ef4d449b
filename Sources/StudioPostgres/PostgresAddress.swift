import Foundation

/// Where a PostgreSQL server is and how to log in, read from a connection URL:
/// `postgres://user:password@host:port/database?sslmode=disable&search_path=schema`.
///
/// `postgresql://` is accepted too. `sslmode` is `disable`, `prefer` (the default, as libpq) or
/// `require`; `search_path` names the schema the tables live in (default: the server's, `public`).
/// `host=/run/postgresql` in the query connects through that folder's Unix socket instead.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    /// The folder of the server's Unix socket, when connecting through it.
    public var socketFolder: String?
    public var username: String
    public var password: String?
    public var database: String?
    public var tls: TLSMode
    /// The schema the tables are created in and read from.
    public var searchPath: String?

    /// Parses a connection URL; the error says what is wrong with it (never echoing the password).
    public init(url text: String) throws(PostgresAddressError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw PostgresAddressError("'\(Self.redacted(text))' is not a URL such as postgres://user@localhost:5432/darkroom")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresAddressError("'\(scheme)://' is not a PostgreSQL address: use postgres://user@host:port/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"].flatMap { $0.hasPrefix("/") ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw PostgresAddressError("port \(port) is out of range 1…65535") }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? query["user"]
        guard let user else { throw PostgresAddressError("'\(Self.redacted(text))' names no user: postgres://USER@host/database") }
        username = user.removingPercentEncoding ?? user
        password = (components.password ?? query["password"]).map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path
        if let mode = query["sslmode"] {
            guard let parsed = TLSMode(rawValue: mode.lowercased()) else {
                throw PostgresAddressError("sslmode '\(mode)' is not one of disable, prefer, require")
            }
            tls = parsed
        } else {
            tls = .prefer
        }
        if let schema = query["search_path"] ?? query["schema"], !schema.isEmpty {
            guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw PostgresAddressError("search_path '\(schema)' must be one schema name (letters, digits, _)")
            }
            searchPath = schema
        }
    }

    /// The address with another schema: what the tests use to give each database its own.
    public func inSchema(_ schema: String) -> PostgresAddress {
        var copy = self
        copy.searchPath = schema
        return copy
    }

    /// The address without its password, for logs and banners.
    public var description: String {
        var text = "postgres://\(username)@\(host):\(port)/\(database ?? username)"
        var query: [String] = []
        if let socketFolder { query.append("host=\(socketFolder)") }
        if tls != .prefer { query.append("sslmode=\(tls.rawValue)") }
        if let searchPath { query.append("search_path=\(searchPath)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "…"
        return components.string ?? text
    }
}

/// A PostgreSQL address that cannot be used; the message says why.
public struct PostgresAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
