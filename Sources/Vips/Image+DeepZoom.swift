internal import CVips
import SystemPackage
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Image {
    /// Writes a deep-zoom tile pyramid.
    ///
    /// `path` names the pyramid without extension, e.g. `out/photo`: DeepZoom writes
    /// `out/photo.dzi` and `out/photo_files/`; Google, IIIF and Zoomify write the folder
    /// `out/photo/`; a zip container writes `out/photo.zip` (a trailing `.zip` in `path` is
    /// accepted). Everything is written into a temporary folder first and moved into place when
    /// complete, replacing an older pyramid of the same name; a failure leaves nothing behind.
    ///
    /// - Returns: the paths created, spelled like `path`: `["out/photo.dzi", "out/photo_files"]`.
    @discardableResult
    public func deepZoom(to path: String, options: DeepZoomOptions = DeepZoomOptions()) throws -> [String] {
        try options.validate()
        let operation = "deep zoom"
        var url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "zip" { url.deletePathExtension() }
        let name = url.lastPathComponent
        let parent = url.deletingLastPathComponent()
        guard !name.isEmpty, name != "." else {
            throw VipsError.invalidArgument(operation, "expected a pyramid name but received '\(path)'")
        }
        let output = try OutputFile(parent.appendingPathComponent(name).path, operation: operation)
        let manager = FileManager.default
        let staging = URL(fileURLWithPath: output.temporaryPath)
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw VipsError(.saveFailed, operation: operation, input: path, message: "cannot create a temporary folder: \(error)")
        }
        defer { try? manager.removeItem(at: staging) }

        let zip = options.container == .zip
        let target = staging.appendingPathComponent(zip ? "\(name).zip" : name).path
        let container = zip ? VIPS_FOREIGN_DZ_CONTAINER_ZIP : VIPS_FOREIGN_DZ_CONTAINER_FS
        guard cvips_dzsave(pointer, target, options.layout.vips, options.suffix, Int32(options.resolvedOverlap),
                           Int32(options.resolvedTileSize), container, options.layout.depth,
                           options.stripMetadata ? 1 : 0) == 0 else {
            throw evaluationError(.saveFailed, operation: operation, message: "writing the pyramid failed")
        }
        let produced: [String]
        do { produced = try manager.contentsOfDirectory(atPath: staging.path).sorted() } catch {
            throw VipsError(.saveFailed, operation: operation, input: path, message: "cannot read the pyramid written: \(error)")
        }
        // Only a pyramid this library wrote is replaced, unless asked: `tile photo.jpg ~/Pictures`
        // must not delete a folder of pictures.
        for entry in produced where !options.replaceAnything {
            let destination = parent.appendingPathComponent(entry)
            if manager.fileExists(atPath: destination.path), !PyramidMarker.isOurs(destination, pyramidName: name) {
                throw VipsError(.invalidArgument, operation: operation, input: path,
                                message: "\(destination.path) exists and is not a pyramid darkroom wrote; nothing was replaced")
            }
        }
        do {
            let folder = FilePath(path).removingLastComponent()
            return try produced.map { entry in
                let source = staging.appendingPathComponent(entry), destination = parent.appendingPathComponent(entry)
                PyramidMarker.mark(source)
                if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }
                try manager.moveItem(at: source, to: destination)
                return folder.appending(entry).string
            }
        } catch {
            throw VipsError(.saveFailed, operation: operation, input: path, message: "cannot move the pyramid into place: \(error)")
        }
    }
}
