#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemPackage
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
        items = files.map { file in
            let name = FilePath(file).lastComponent
            let base = name?.stem ?? "image"
            let ext = format?.fileExtension ?? ImageFormat(path: file).flatMap { _ in name?.extension } ?? "png"
            let output = FilePath(outputFolder).appending("\(base).\(ext)").string
            if let owner = claimed[output] {
                return Item(input: file, output: output, conflict: "its output \(output) would overwrite the result of \(owner)")
            }
            claimed[output] = file
            return Item(input: file, output: output)
        }
    }
}
