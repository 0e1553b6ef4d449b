#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered standard streams, without Foundation's FileHandle (FoundationEssentials keeps the
/// process light): progress shows up at once even when standard output is a pipe.
public enum Console {
    /// Writes a line to standard output, made ``safe(_:)`` first: lines carry names, ids and
    /// messages from outside, and none of them may steer the terminal.
    public static func line(_ text: String) { write(safe(text) + "\n", to: STDOUT_FILENO) }

    /// Writes a line to standard error, made ``safe(_:)`` first.
    public static func errorLine(_ text: String) { write(safe(text) + "\n", to: STDERR_FILENO) }

    /// Writes text to standard error as it is (progress bars, which move the cursor on purpose):
    /// anything from outside in it must go through ``safe(_:)``.
    public static func error(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Writes bytes to standard output (an image for `-`).
    public static func output(_ data: Data) {
        data.withUnsafeBytes { writeAll($0, to: STDOUT_FILENO) }
    }

    /// Reads standard input to its end (an image for `-`), but never more than `limit` bytes:
    /// `nil` when there is more (the rest is left unread, so an endless stream costs nothing).
    public static func readStandardInput(limit: Int) -> Data? {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            guard data.count + count <= limit else { return nil }
            data.append(contentsOf: chunk[..<count])
        }
        return data
    }

    /// `text` safe to print on a terminal: control characters (escape sequences that could move
    /// the cursor, rewrite lines or set the clipboard, carriage returns, C1 controls) are shown
    /// as `\u{1B}` instead of acting. Line feeds and tabs stay. Every string that came from
    /// outside (a server, an image's metadata, a file name) goes through this before printing.
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether standard error is a terminal (progress bars go there).
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// Facts about files, from `stat`.
public enum FileInfo {
    /// The size in bytes of the file at `path` (0 when it cannot be read).
    public static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}

/// Numbers for people.
public enum Format {
    /// `value` with one decimal: `23.4`.
    public static func oneDecimal(_ value: Double) -> String { decimal(value, places: 1) }

    /// A rough length of time: `40 s`, `3 min`, `2 h 5 min`.
    public static func roughly(_ duration: Duration) -> String {
        let seconds = Int((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18).rounded())
        if seconds < 90 { return "\(max(1, seconds)) s" }
        let minutes = (seconds + 30) / 60
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }

    public static func decimal(_ value: Double, places: Int) -> String {
        let scale = (0..<places).reduce(1.0) { result, _ in result * 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text[text.index(after: dot)...].count
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
        } else if places > 0 {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }
}
