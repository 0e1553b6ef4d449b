import CommandSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Expands command-line inputs into image files: a folder (its image files, sorted), a glob
/// pattern such as `'photos/*.jpg'` (quoted, so the shell leaves it alone), or a file.
enum InputFiles {
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "webp", "gif", "tif", "tiff",
                                               "heic", "heif", "avif", "jxl", "jp2", "svg", "pdf"]

    static func expand(_ arguments: [String]) throws -> [String] {
        try arguments.flatMap { try expand($0) }
    }

    static func expand(_ argument: String) throws -> [String] {
        var isDirectory = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) {
            guard isDirectory else { return [argument] }
            let names = try FileManager.default.contentsOfDirectory(atPath: argument)
            return names.filter { imageExtensions.contains(FilePath($0).extension?.lowercased() ?? "") && !$0.hasPrefix(".") }
                .sorted().map { FilePath(argument).appending($0).string }
        }
        guard argument.contains(where: { "*?[".contains($0) }) else {
            throw Failure(.input, "\(argument): no such file or folder")
        }
        return glob(argument)
    }

    private static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }
}
