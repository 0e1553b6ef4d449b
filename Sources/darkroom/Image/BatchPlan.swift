import Foundation
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
            let name = (file as NSString).lastPathComponent
            let base = (name as NSString).deletingPathExtension
            let ext = format?.fileExtension ?? ImageFormat(path: file).map { _ in (name as NSString).pathExtension } ?? "png"
            let output = (outputFolder as NSString).appendingPathComponent("\(base).\(ext)")
            if let owner = claimed[output] {
                return Item(input: file, output: output, conflict: "its output \(output) would overwrite the result of \(owner)")
            }
            claimed[output] = file
            return Item(input: file, output: output)
        }
    }
}
