public import Vips

/// The errors of the Media service: a stable snake_case code, our message, and for a refused
/// fetch the address that was refused.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// No media with that id, or not one the asking user owns.
        public static let mediaNotFound = Code("media_not_found")
        /// The bytes, the pixels or the frames are past the limits.
        public static let mediaTooLarge = Code("media_too_large")
        /// Not an image this service reads (unknown, untrusted or corrupt bytes).
        public static let unsupportedMedia = Code("unsupported_media")
        /// A fetch refused before any byte was sent: scheme, address, port or redirect.
        public static let fetchRefused = Code("fetch_refused")
        /// A fetch that was allowed but did not deliver: no answer, an error status, too slow.
        public static let fetchFailed = Code("fetch_failed")
        /// A transform plan or a request value is malformed or out of range.
        public static let invalidParams = Code("invalid_params")
        /// The image could not be processed or encoded.
        public static let processingFailed = Code("processing_failed")
        /// The bytes could not be written to or read from the content store.
        public static let storageFailed = Code("storage_failed")
        /// Storing would take the user past their storage quota.
        public static let storageQuotaExceeded = Code("storage_quota_exceeded")

        public var description: String { rawValue }

        /// Lets `catch MediaError.Code.fetchRefused` match a thrown ``MediaError``.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? MediaError)?.code == code
        }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension MediaError {
    /// The Media code for an imaging error: limits become `media_too_large`, unreadable input
    /// `unsupported_media`, bad arguments `invalid_params`; the rest `processing_failed`.
    public init(vips error: VipsError) {
        let code: Code = switch error.code {
        case .limitExceeded: .mediaTooLarge
        case .unsupportedFormat, .untrustedFormat, .loadFailed, .emptyInput, .fileNotFound: .unsupportedMedia
        case .invalidArgument: .invalidParams
        default: .processingFailed
        }
        self.init(code, error.message)
    }
}
