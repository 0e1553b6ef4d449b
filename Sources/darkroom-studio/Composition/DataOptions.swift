import ArgumentParser
import CommandSupport
import Foundation
import Media
import Studio
import StudioPostgres

/// Where the embedded default keeps its state, and on whose behalf a command acts.
struct DataOptions: ParsableArguments {
    @Option(help: "The data folder: studio.sqlite and media/ (default: DARKROOM_DATA, else ./darkroom-data).")
    var data: String?

    @Option(help: ArgumentHelp("The database: a postgres:// URL for a PostgreSQL server several instances share (default: DARKROOM_DATABASE_URL, else studio.sqlite in the data folder).",
                               valueName: "url"))
    var database: String?

    /// How many connections a PostgreSQL database may open (`darkroom serve` sets it from its settings).
    var databaseConnections = 4

    /// How long this process's claim on a job lasts unless renewed (`darkroom serve` sets it from its settings).
    var jobLease: Duration = .seconds(30)

    @Option(help: "The templates folder seeded into the catalogue (default: DARKROOM_TEMPLATES, else ./templates when it exists).")
    var templates: String?

    @Option(help: "The user acted for, as platform:id.")
    var user: String = "cli:operator"

    @Option(name: .customLong("allow-network"),
            help: "An address block URL fetches may reach although it is private (CIDR, e.g. 10.1.0.0/16); repeat for several. Also DARKROOM_FETCH_ALLOW, comma-separated.")
    var allowedNetworks: [String] = []

    var dataFolder: URL {
        URL(fileURLWithPath: data ?? ProcessInfo.processInfo.environment["DARKROOM_DATA"] ?? "darkroom-data")
    }

    /// The PostgreSQL server named by --database or DARKROOM_DATABASE_URL; `nil` for the embedded SQLite file.
    func postgresAddress() throws -> PostgresAddress? {
        guard let text = database ?? ProcessInfo.processInfo.environment["DARKROOM_DATABASE_URL"], !text.isEmpty else { return nil }
        do { return try PostgresAddress(url: text) } catch {
            throw ValidationError("database.url (--database, DARKROOM_DATABASE_URL): \(error)")
        }
    }

    var templatesFolder: URL? {
        if let folder = templates ?? ProcessInfo.processInfo.environment["DARKROOM_TEMPLATES"] { return URL(fileURLWithPath: folder) }
        let local = URL(fileURLWithPath: "templates")
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: local.path, isDirectory: &isFolder) && isFolder.boolValue ? local : nil
    }

    func userID() throws -> UserID {
        guard let id = UserID(user) else { throw ValidationError("'\(user)' is not a user id of the form platform:id") }
        return id
    }

    func addressPolicy() throws -> AddressPolicy {
        let listed = allowedNetworks + (ProcessInfo.processInfo.environment["DARKROOM_FETCH_ALLOW"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return AddressPolicy(allowed: try listed.map { text in
            guard let network = IPNetwork(text) else { throw ValidationError("'\(text)' is not an address block such as 10.1.0.0/16") }
            return network
        })
    }
}
