import CommandSupport
import Foundation
import Studio

/// How a media record is printed: one line for people, the record itself with `--json`.
enum MediaRecordOutput {
    static func line(_ record: MediaRecord) -> String {
        let size = record.width.flatMap { width in record.height.map { "\(width)×\($0)" } } ?? "-"
        let derived = record.derivedFrom.map { " from \($0)" } ?? ""
        return "\(record.id)  \(record.format)  \(size)  \(bytes(record.byteCount))  \(record.source)\(derived)"
    }

    static func bytes(_ count: Int) -> String {
        switch count {
        case ..<1_024: "\(count) B"
        case ..<(1_024 * 1_024): String(format: "%.1f KiB", Double(count) / 1_024)
        default: String(format: "%.1f MiB", Double(count) / 1_048_576)
        }
    }
}
