import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection cook <id>`: makes the series' pieces, with progress.
struct CollectionCookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cook", abstract: "Make a series' pieces through makeImage until its supply, with progress.",
        discussion: Help.discussion("""
            Pieces are made one at a time, each charged like any generation. The cook stops by
            itself when the supply is reached, when credits run low, or when pieces fail three times
            in a row; `pause` lets the piece in progress finish, `stop` (or Ctrl-C) cancels it and
            releases its points. A cook picks up where the last one ended. --resume carries on the
            cooks a stopped process left running (after finishing their open jobs). Servers:
            --server, else DARKROOM_COMFYUI, else http://127.0.0.1:8188.
            """, examples: ["darkroom collection cook col-…", "darkroom collection cook --resume"]))

    @Argument(help: "The collection id.") var id: String?
    @Flag(help: "Carry on the cooks a stopped process left running, instead of starting one.") var resume = false
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print the collection as JSON; progress stays on standard error.") var json = false

    func validate() throws {
        guard resume == (id == nil) else { throw ValidationError(resume ? "--resume takes no collection id" : "give a collection id, or --resume") }
    }

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let servers = try serverOptions.urls()
        let workflow = composition.collections(servers: servers, requestTimeout: serverOptions.timeout)
        if resume {
            _ = try await WorkflowExit.running { try await workflow.dependencies.makeImage.resumeOpenJobs() }
            let ended = try await WorkflowExit.running { try await workflow.resumeOpenCooks { _, progress in Self.report(progress) } }
            if ended.isEmpty { Console.line("no cook was left running") }
            for collection in ended { json ? JSONOutput.print(collection) : Console.line(CollectionOutput.line(collection)) }
            return
        }
        let user = try dataOptions.userID()
        let id = self.id ?? ""
        // Ctrl-C stops the cook: the piece in progress is cancelled and its points released.
        let interrupt = InterruptSignal { Task { _ = try? await workflow.stop(id, owner: user) } }
        defer { interrupt.stop() }
        let collection = try await WorkflowExit.running { try await workflow.cook(id, owner: user) { Self.report($0) } }
        json ? JSONOutput.print(collection) : Console.line(CollectionOutput.line(collection))
        // A cook that stopped by itself (credits, a server down, failures) exits as that error would.
        if collection.cook.state == .stopped, let code = collection.cook.code {
            throw WorkflowExit.failure(WorkflowError(WorkflowError.Code(passing: code), collection.cook.reason ?? code))
        }
    }

    static func report(_ progress: CookProgress) {
        switch progress {
        case .piece(let number, let made, let supply, let prompt):
            Console.errorLine("piece \(number) (\(made) of \(supply) made): \(prompt)")
        case .generation(_, .queued(let position?, _)) where position > 0:
            Console.errorLine("  queued: \(position) ahead")
        case .generation:
            break
        case .made(let number, let media, _, _):
            Console.errorLine("  made piece \(number): \(media)")
        case .failed(let number, let code, let message):
            Console.errorLine("  piece \(number) failed [\(code)]: \(message)")
        case .ended(let cook):
            Console.errorLine("cook \(cook.state.rawValue)\(cook.reason.map { ": \($0)" } ?? "")")
        }
    }
}
