import CommandSupport
import Vips

/// Reports a batch as it runs: a progress bar on a terminal, one plain line per file otherwise,
/// failures always on standard error, and a summary at the end. Used from one task only.
final class BatchProgress {
    enum Outcome: Sendable {
        case done(OperationResult)
        case error(String, VipsError)
        case failed(String, Failure)
    }

    let total: Int
    private(set) var finished = 0
    private(set) var failed = 0
    private let quiet: Bool
    private let verbose: Bool
    private let drawsBar: Bool

    init(total: Int, quiet: Bool, verbose: Bool) {
        self.total = total
        self.quiet = quiet
        self.verbose = verbose
        drawsBar = !quiet && Console.standardErrorIsTerminal
    }

    func record(_ outcome: Outcome) {
        finished += 1
        switch outcome {
        case .done(let result):
            if !quiet, !drawsBar { Console.line("[\(finished)/\(total)] \(result.input) → \(result.output) (\(result.outputWidth)×\(result.outputHeight), \(ByteCount(result.bytes))) in \(Milliseconds(result.seconds))") }
        case .error(_, let error):
            failed += 1
            clearBar()
            _ = Failure(error, verbose: verbose).report()
        case .failed(_, let failure):
            failed += 1
            clearBar()
            _ = failure.report()
        }
        if drawsBar { drawBar() }
    }

    func summarise(seconds: Double, skipped: Int) {
        clearBar()
        guard !quiet else { return }
        let rate = seconds > 0 ? Format.oneDecimal(Double(finished) / seconds) : "–"
        var line = "batch: \(finished) files in \(Milliseconds(seconds)) (\(rate) files/s): \(finished - failed) done, \(failed) failed"
        if skipped > 0 { line += ", \(skipped) not started" }
        Console.line(line)
    }

    private func drawBar() {
        let width = 30
        let filled = total > 0 ? width * finished / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let failures = failed > 0 ? " · \(failed) failed" : ""
        Console.error("\r\u{1B}[K\(bar) \(finished)/\(total)\(failures)")
    }

    private func clearBar() {
        if drawsBar { Console.error("\r\u{1B}[K") }
    }
}
