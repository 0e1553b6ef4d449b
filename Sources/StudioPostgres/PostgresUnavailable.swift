import PostgresNIO

/// The PostgreSQL server could not be reached or refused the login; the message names the
/// address (never the password) and the reason the server or the network gave.
public struct PostgresUnavailable: Error, Sendable, CustomStringConvertible {
    public let address: PostgresAddress
    public let reason: String

    public var description: String { "PostgreSQL at \(address) cannot be used: \(reason)" }

    /// A short reason from what postgres-nio threw: the server's own message when it sent one
    /// (a wrong password, an unknown database), else the network's (refused, unknown host).
    static func reason(of error: any Error) -> String {
        guard let error = error as? PSQLError else { return plain("\(error)") }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return plain("\(underlying)") }
        return "\(error.code)"
    }

    /// The network's reason without NIO's wrapping, for the common cases.
    private static func plain(_ text: String) -> String {
        if text.contains("Connection refused") { return "connection refused (is the server running, on that port?)" }
        if text.contains("Connect timeout") || text.contains("connectTimeout") { return "no answer before the connect timeout" }
        if text.contains("NXDOMAIN") || text.contains("Name or service not known") || text.contains("unknown host") {
            return "the host name is not known"
        }
        return text
    }
}
