import CommandSupport
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Vips

/// `darkroom image batch`: one operation over many files, in parallel.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run one operation over a folder (or glob) of images, in parallel.",
        discussion: Help.discussion("""
            The operation's own options follow its name, exactly as for the single command
            (see `darkroom image <operation> --help`). Outputs keep the input's base name, with
            the extension of the operation's --format (or the input's). A file that fails is
            reported and the others still finish; the exit code is then 1. Ctrl-C stops
            starting new files, lets the running ones finish, and exits 130.
            """, examples: [
            "darkroom image batch photos/ thumbs/ thumbnail --width 256",
            "darkroom image batch 'shoot/*.png' web/ convert --format webp --quality 80 --jobs 4",
            "darkroom image batch photos/ marked/ watermark --text '© me' --position bottom-right",
        ])
    )

    /// The operations a batch can run.
    enum Operation: String, ExpressibleByArgument, CaseIterable {
        case thumbnail, resize, convert, crop, rotate, watermark

        var command: any ImageOperation.Type {
            switch self {
            case .thumbnail: ThumbnailCommand.self
            case .resize: ResizeCommand.self
            case .convert: ConvertCommand.self
            case .crop: CropCommand.self
            case .rotate: RotateCommand.self
            case .watermark: WatermarkCommand.self
            }
        }
    }

    @Argument(help: "A folder of images, or a quoted glob pattern such as 'photos/*.jpg'.") var input: String
    @Argument(help: "The folder to write into (created when missing).") var outputFolder: String
    @Argument(help: "The operation: thumbnail, resize, convert, crop, rotate, watermark.") var operation: Operation
    @Argument(parsing: .captureForPassthrough, help: "The operation's options, and --jobs N (default: one per core).")
    var operationArguments: [String] = []

    mutating func run() async throws {
        let (jobs, rest) = try Self.extractJobs(operationArguments)
        let template = try parseOperation(rest)
        // Each file is read once: libvips' operation cache would only cost hashing and memory.
        template.inputOptions.configureRuntime(concurrency: jobs > 1 ? 1 : nil, cachedOperations: 0)
        let files = try InputFiles.expand(input)
        guard !files.isEmpty else { throw Failure(.input, "\(input): no images found") }
        try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        let plan = BatchPlan(files: files, outputFolder: outputFolder, format: template.outputOptions.format)
        let progress = BatchProgress(total: files.count, quiet: template.inputOptions.quiet, verbose: template.inputOptions.verbose)
        let interrupt = InterruptSignal {
            Console.errorLine("\ndarkroom: interrupted — finishing the files in progress (Ctrl-C again to stop now)")
        }
        let pool = ImageWorkerPool(threads: jobs)
        defer { Task { try? await pool.shutdown() } }

        let started = ContinuousClock.now
        await withTaskGroup(of: BatchProgress.Outcome.self) { group in
            var pending = plan.items.makeIterator()
            func startNext() -> Bool {
                guard !interrupt.isSet, let item = pending.next() else { return false }
                group.addTask { await Self.process(item, template: template, pool: pool) }
                return true
            }
            for _ in 0..<jobs where startNext() {}
            for await outcome in group {
                progress.record(outcome)
                _ = startNext()
            }
        }
        let skipped = files.count - progress.finished
        progress.summarise(seconds: (ContinuousClock.now - started).seconds, skipped: skipped)
        if interrupt.isSet { throw Failure(.interrupted, "interrupted: \(skipped) files not started") }
        if progress.failed > 0 { throw Failure(.partial, "\(progress.failed) of \(files.count) files failed") }
    }

    /// Runs one file on the pool.
    private static func process(_ item: BatchPlan.Item, template: any ImageOperation, pool: ImageWorkerPool) async -> BatchProgress.Outcome {
        if let conflict = item.conflict { return .failed(item.input, Failure(.usage, "\(item.input): \(conflict)")) }
        do {
            let result = try await pool.run {
                var operation = template
                operation.paths.input = item.input
                operation.paths.output = item.output
                return try operation.execute(describingInput: false)
            }
            return .done(result)
        } catch let error as VipsError {
            return .error(item.input, error)
        } catch let failure as Failure {
            return .failed(item.input, failure)
        } catch {
            return .failed(item.input, Failure(.processing, "\(item.input): \(error)"))
        }
    }

    /// Parses the operation's options with the operation's own parser and validation.
    private func parseOperation(_ arguments: [String]) throws -> any ImageOperation {
        func parse<Command: ImageOperation>(_ type: Command.Type) throws -> any ImageOperation {
            do {
                return try Command.parse(["batch-input", "batch-output"] + arguments)
            } catch {
                throw Failure(.usage, "batch \(operation.rawValue): \(Command.message(for: error))")
            }
        }
        return try parse(operation.command)
    }

    /// Takes `--jobs N` / `--jobs=N` out of the passthrough arguments.
    static func extractJobs(_ arguments: [String]) throws -> (Int, [String]) {
        var jobs = System.coreCount
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            var value: String?
            if argument == "--jobs" || argument == "-j" {
                guard index + 1 < arguments.count else { throw Failure(.usage, "--jobs needs a number") }
                value = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--jobs=") {
                value = String(argument.dropFirst("--jobs=".count))
            } else {
                rest.append(argument)
            }
            if let value {
                guard let number = Int(value), number > 0 else { throw Failure(.usage, "--jobs must be a positive number, not '\(value)'") }
                jobs = number
            }
            index += 1
        }
        return (jobs, rest)
    }
}
