#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Vips

/// Which output each input of a batch goes to, with clashes found before anything runs.
struct BatchPlan {
    struct Item: Sendable {
        var input: String
        var output: String
        /// Why this input cannot run (its output would overwrite another's), if so.
        var conflict: String?
    }

    var items: [Item]

    init(files: [String], outputFolder: String, format: ImageFormat?) {
        var claimed: [String: String] = [:]
        // Inputs by file identity, so an output that is an input is found whatever the spelling
        // (another path, a symbolic link, a case-insensitive volume).
        var inputs: [FileIdentity: String] = [:]
        for file in files { if let identity = FileIdentity(file) { inputs[identity] = file } }
        items = files.map { file in
            let name = FilePath(file).lastComponent
            let base = name?.stem ?? "image"
            let ext = format?.fileExtension ?? ImageFormat(path: file).flatMap { _ in name?.extension } ?? "png"
            let output = FilePath(outputFolder).appending("\(base).\(ext)").string
            if let identity = FileIdentity(output), let input = inputs[identity] {
                return Item(input: file, output: output, conflict: "its output \(output) is the input \(input), which would be overwritten")
            }
            if let owner = claimed[output] {
                return Item(input: file, output: output, conflict: "its output \(output) would overwrite the result of \(owner)")
            }
            claimed[output] = file
            return Item(input: file, output: output)
        }
    }
}

/// A file's device and inode: the same file, however its path is spelled.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    /// `nil` when nothing is at `path`.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
