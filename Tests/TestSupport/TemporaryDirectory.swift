public import Foundation

/// A fresh folder under the system's temporary directory, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: `url` is immutable; the folder is only removed in deinit.
    public let url: URL

    public init(_ label: String = "darkroom-test") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Names of the entries in the folder (or in `subfolder`), sorted.
    public func entries(_ subfolder: String = "") -> [String] {
        let folder = subfolder.isEmpty ? url.path : path(subfolder)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// Every file below the folder, as paths relative to it, sorted.
    public func allFiles(_ subfolder: String = "") -> [String] {
        let root = subfolder.isEmpty ? url : url.appendingPathComponent(subfolder)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { relative in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    /// Writes `data` to `name` and returns its path.
    @discardableResult
    public func write(_ data: Data, to name: String) throws -> String {
        let target = path(name)
        try data.write(to: URL(fileURLWithPath: target))
        return target
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
