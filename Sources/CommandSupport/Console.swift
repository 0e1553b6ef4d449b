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
    /// Writes a line to standard output.
    public static func line(_ text: String) { write(text + "\n", to: STDOUT_FILENO) }

    /// Writes a line to standard error.
    public static func errorLine(_ text: String) { write(text + "\n", to: STDERR_FILENO) }

    /// Writes text to standard error as it is (progress bars).
    public static func error(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Writes bytes to standard output (an image for `-`).
    public static func output(_ data: Data) {
        data.withUnsafeBytes { writeAll($0, to: STDOUT_FILENO) }
    }

    /// Reads standard input to its end (an image for `-`).
    public static func readStandardInput() -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: chunk[..<count])
        }
        return data
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
