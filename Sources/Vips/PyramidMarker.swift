#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a deep-zoom pyramid this library wrote is told from anything else at the same name, so
/// that writing a pyramid again replaces the old one and nothing else.
enum PyramidMarker {
    /// The empty file left in each folder of a pyramid.
    static let fileName = ".darkroom-pyramid"

    /// Marks a produced folder (files are recognised by their shape instead).
    static func mark(_ url: URL) {
        guard FileSystem.kind(url.path) == .directory else { return }
        _ = FileManager.default.createFile(atPath: url.appendingPathComponent(fileName).path, contents: Data())
    }

    /// Whether `url` is part of a pyramid called `pyramidName` that this library wrote: a folder
    /// with the marker; a `.dzi` whose `_files` folder has it; a zip whose first entry is the
    /// pyramid's. Nothing at `url` counts as ours.
    static func isOurs(_ url: URL, pyramidName: String) -> Bool {
        switch FileSystem.kind(url.path) {
        case nil: return true
        case .directory: return FileSystem.kind(url.appendingPathComponent(fileName).path) == .file
        case .other: return false
        case .file: break
        }
        switch url.pathExtension.lowercased() {
        case "dzi":
            let files = url.deletingPathExtension().lastPathComponent + "_files"
            return FileSystem.kind(url.deletingLastPathComponent().appendingPathComponent(files).appendingPathComponent(fileName).path) == .file
        case "zip":
            let header = firstBytes(of: url.path, count: 30 + 512)
            guard header.count >= 30, header.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return false }
            let nameLength = Int(header[26]) | Int(header[27]) << 8
            guard header.count >= 30 + nameLength else { return false }
            return String(decoding: header[30..<(30 + nameLength)], as: UTF8.self).hasPrefix(pyramidName)
        default:
            return false
        }
    }

    private static func firstBytes(of path: String, count: Int) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, 0) }
        return Array(bytes.prefix(max(0, read)))
    }
}
