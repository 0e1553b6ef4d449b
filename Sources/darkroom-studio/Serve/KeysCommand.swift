import ArgumentParser
import CommandSupport
import Server
import Studio
import StudioSQLite

/// `darkroom keys create|list|revoke`: the API keys of the embedded store.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke the HTTP API's keys.",
        discussion: Help.discussion("""
            A client key acts for the users of one platform (--platform telegram: users
            telegram:*); an admin key (--admin) acts for anyone and may grant credits. Only a hash
            is stored: the key is shown once, when made.
            """, examples: ["darkroom keys create 'telegram bot' --platform telegram", "darkroom keys list", "darkroom keys revoke key-3f2a…"]),
        subcommands: [Create.self, List.self, Revoke.self], defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key and print it (once).")
        @Argument(help: "What the key is for.") var name: String
        @Option(help: "The platform whose users a client key acts for.") var platform: String?
        @Flag(help: "An admin key.") var admin = false
        @Option(help: "Requests a minute.") var rate = 600
        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            let keys = APIKeys(store: try await Composition(dataOptions).storage.apiKeys)
            let made = try await KeysCommand.running { try await keys.create(name: name, role: admin ? .admin : .client, platform: platform, requestsPerMinute: rate) }
            Console.line(made.secret)
            Console.errorLine("made \(made.key.id) (\(made.key.role.rawValue)\(made.key.platform.map { " for \($0) users" } ?? "")); the key is shown only now")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every key (never its secret).")
        @OptionGroup var dataOptions: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let keys = try await APIKeys(store: try await Composition(dataOptions).storage.apiKeys).list()
            if json { return JSONOutput.print(keys) }
            if keys.isEmpty { Console.line("no keys") }
            for key in keys {
                Console.line("\(key.id)  \(key.role.rawValue)\(key.platform.map { " \($0)" } ?? "")  \(key.requestsPerMinute)/min  \"\(key.name)\"\(key.revokedAt == nil ? "" : "  revoked")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: it is refused from now on.")
        @Argument(help: "The key id (key-…).") var id: String
        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            let keys = APIKeys(store: try await Composition(dataOptions).storage.apiKeys)
            try await KeysCommand.running { try await keys.revoke(id) }
            Console.line("revoked \(id)")
        }
    }

    /// An API error as the command line reports it: 65 and the message.
    static func running<Value>(_ body: () async throws -> Value) async throws -> Value {
        do { return try await body() } catch let error as APIError { throw Failure(.input, error.message, code: error.code) }
    }
}
