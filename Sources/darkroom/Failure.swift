#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Vips

/// A command's failure: one line on standard error and a documented exit code.
struct Failure: Error {
    /// Exit codes, in the spirit of sysexits.h.
    enum Status: Int32 {
        case partial = 1
        case usage = 64
        case input = 65
        case processing = 70
        case interrupted = 130
    }

    var status: Status
    var message: String

    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// Maps a library error to its line and exit code: our words first, the code in brackets,
    /// libvips' own text only with `--verbose`.
    init(_ error: VipsError, verbose: Bool) {
        var line = error.input.map { "\($0): " } ?? ""
        line += "\(error.operation): \(error.message) [\(error.code)]"
        if error.code == .untrustedFormat {
            line += " (for a file you trust, --trusted allows it)"
        }
        if verbose, let detail = error.detail { line += "\n  libvips: \(detail)" }
        self.init(Self.status(for: error.code), line)
    }

    static func status(for code: VipsError.Code) -> Status {
        switch code {
        case .invalidArgument: .usage
        case .fileNotFound, .emptyInput, .unsupportedFormat, .untrustedFormat, .loadFailed, .limitExceeded: .input
        case .cancelled: .interrupted
        default: .processing
        }
    }

    /// Prints the line and returns the exit code.
    func report() -> Int32 {
        Console.errorLine("darkroom: \(message)")
        return status.rawValue
    }
}
