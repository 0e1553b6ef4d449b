import CommandSupport
import Vips

extension Failure {
    /// Maps a library error to its line and exit code: our words first, the code in brackets,
    /// libvips' own text only with `--verbose`.
    init(_ error: VipsError, verbose: Bool) {
        var line = error.input.map { "\($0): " } ?? ""
        line += "\(error.operation): \(error.message) [\(error.code)]"
        if error.code == .untrustedFormat {
            line += " (for a file you trust, --trusted allows it)"
        }
        if verbose, let detail = error.detail { line += "\n  libvips: \(detail)" }
        self.init(Self.status(for: error.code), line, code: error.code.rawValue)
    }

    static func status(for code: VipsError.Code) -> Status {
        switch code {
        case .invalidArgument: .usage
        case .fileNotFound, .emptyInput, .unsupportedFormat, .untrustedFormat, .loadFailed, .limitExceeded: .input
        case .cancelled: .interrupted
        default: .processing
        }
    }
}
