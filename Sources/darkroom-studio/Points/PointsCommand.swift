import ArgumentParser
import CommandSupport
import Foundation
import Studio

/// `darkroom points [show | grant N]`: a user's balance and ledger, and an operator's grant of credits.
struct PointsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "points",
        abstract: "Show a user's points and ledger, or grant credits, in the embedded store.",
        discussion: Help.discussion("""
            Points are the regenerating allowance (from standing) plus credits. Every hold,
            settlement, release and grant is in the ledger, newest first. A grant is idempotent by
            --key: the same key twice grants once. The user is --user (DARKROOM_USER).

            Exit codes: 0 success, 64 bad usage, 65 refused.
            """),
        subcommands: [PointsShowCommand.self, PointsGrantCommand.self],
        defaultSubcommand: PointsShowCommand.self
    )
}

/// `darkroom points show`.
struct PointsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "The balance and the newest ledger entries.",
                                                    discussion: Help.discussion("", examples: ["darkroom points --user telegram:5472638766"]))

    @Option(help: "Ledger entries to show.") var limit = 20
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var balance: PointsBalance
        var ledger: [LedgerEntry]
    }

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let (balance, ledger) = try await WorkflowExit.running {
            (try await composition.points.balance(of: user), try await composition.points.ledger(of: user, limit: max(0, min(limit, 1_000))))
        }
        if json { return JSONOutput.print(Report(balance: balance, ledger: ledger)) }
        Console.line("\(balance.available) available (\(balance.capacity - balance.used) allowance, \(balance.credits) credits), \(balance.held) held")
        for entry in ledger {
            Console.line("  \(entry.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(entry.amount).padding(toLength: 7, withPad: " ", startingAt: 0)) \(entry.job ?? entry.key)\(entry.note.map { "  \($0)" } ?? "")")
        }
    }
}

/// `darkroom points grant N`.
struct PointsGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Add credits to the user's points.",
        discussion: Help.discussion("", examples: ["darkroom points grant 100000 --user telegram:5472638766 --note 'beta tester'"]))

    @Argument(help: "Credits to add (1 or more).") var credits: Int
    @Option(help: "The grant's idempotency key (default: a new one).") var key: String?
    @Option(help: "Why (kept in the ledger).") var note: String?
    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        guard credits > 0 else { throw ValidationError("credits must be 1 or more, not \(credits)") }
    }

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let balance = try await WorkflowExit.running {
            try await composition.points.addCredits(credits, to: user, key: key ?? "grant:\(UUID().uuidString.lowercased())", note: note)
        }
        Console.line("granted \(credits) credits to \(user); \(balance.available) available")
    }
}
