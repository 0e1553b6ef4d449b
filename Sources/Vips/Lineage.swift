internal import CVips
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The inputs an image was made from. Keeps input memory alive while libvips may still read it
/// (libvips reads buffers lazily, at save time) and lets errors name the input that failed.
struct Lineage: Sendable {
    var sources: [ImageSource]

    static let none = Lineage(sources: [])

    init(sources: [ImageSource]) { self.sources = sources }
    init(_ source: ImageSource) { self.sources = [source] }

    func merging(_ others: [Lineage]) -> Lineage {
        var merged = sources
        for other in others { merged += other.sources }
        return Lineage(sources: merged)
    }

    /// `a.jpg`, or `a.jpg, logo.png` for a composite; `nil` for generated images.
    var description: String? {
        let names = sources.compactMap(\.name)
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }
}

/// One input of an image, with the options it was loaded with.
enum ImageSource: Sendable {
    case file(path: String, options: LoadOptions)
    case buffer(InputBuffer, options: LoadOptions)
    case pixels

    var name: String? {
        switch self {
        case .file(let path, _): path
        case .buffer(let buffer, _): "\(buffer.count)-byte buffer"
        case .pixels: nil
        }
    }

    /// Decodes the input afresh, every pixel; returns why that failed, if it did. Only called
    /// after an evaluation failed, to tell a bad input from a failed operation.
    ///
    /// The bytes are copied into a new buffer first: libvips caches loaders by their arguments
    /// (8.14 has no `revalidate`), and reopening with the same ones could hand back the loader
    /// that just failed instead of decoding again.
    func decodeError() -> VipsError? {
        let bytes: InputBuffer, options: LoadOptions
        switch self {
        case .pixels:
            return nil
        case .file(let path, let loadOptions):
            guard let data = FileManager.default.contents(atPath: path) else {
                return VipsError(.fileNotFound, operation: "load", input: path, message: "the file can no longer be read")
            }
            bytes = data.withUnsafeBytes { InputBuffer(copying: $0) }
            options = loadOptions
        case .buffer(let buffer, let loadOptions):
            bytes = InputBuffer(copying: UnsafeRawBufferPointer(start: buffer.baseAddress, count: buffer.count))
            options = loadOptions
        }
        var sequential = options
        sequential.access = .sequential
        let source: LoadSource
        do { source = try LoadSource(buffer: bytes, limits: .unlimited) } catch { return error as? VipsError }
        guard let image = source.load(options: sequential, allPages: options.allPages) else {
            return .libvips(.loadFailed, operation: "load", input: name, message: "the image is corrupt")
        }
        defer { g_object_unref(image) }
        var average = 0.0
        guard withExtendedLifetime(bytes, { cvips_avg(image, &average) }) == 0 else {
            return .libvips(.loadFailed, operation: "load", input: name, message: "the image is corrupt or truncated")
        }
        return nil
    }
}

/// A private copy of input bytes that libvips may read until the last image made from it is gone.
final class InputBuffer: @unchecked Sendable {
    // @unchecked: the bytes are written once in init and only read afterwards; deallocated in
    // deinit, after every image holding this buffer (through its lineage) has been released.
    let storage: UnsafeMutableRawBufferPointer

    init(copying bytes: UnsafeRawBufferPointer) {
        storage = .allocate(byteCount: max(1, bytes.count), alignment: 16)
        if let base = bytes.baseAddress, bytes.count > 0 {
            storage.baseAddress!.copyMemory(from: base, byteCount: bytes.count)
        }
        count = bytes.count
    }

    let count: Int
    var baseAddress: UnsafeMutableRawPointer { storage.baseAddress! }

    deinit { storage.deallocate() }
}
