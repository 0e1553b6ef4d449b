#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system questions the binding asks, answered with `stat`, so the module needs
/// only FoundationEssentials (no ICU: a lighter, faster-starting process).
enum FileSystem {
    enum Kind { case file, directory, other }

    /// What is at `path`, or `nil` when nothing is.
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// The size in bytes of the file at `path`, or `nil`.
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }
    static func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

    /// The text of the last system error.
    static var lastError: String { String(cString: strerror(errno)) }
}
