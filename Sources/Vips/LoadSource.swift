internal import CVips
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input opened exactly once — a descriptor we opened and checked, or bytes we hold — as a
/// libvips source, with the loader chosen for it by name.
///
/// Nothing is ever opened by a name libvips parses: a path ending in `[…]` would be read as
/// loader options (`a.png[unlimited]`), and a file could be swapped between our checks and a
/// later open. With untrusted loaders blocked (the default), the loader comes from
/// ``FormatSniffer`` and libvips' own probe never sees unrecognised bytes; with them allowed
/// (trusted input), libvips' probe picks it, with the risk that an input it cannot classify
/// keeps a thread busy for good (8.14's SVG sniffer on a malformed gzip member).
final class LoadSource {
    let pointer: UnsafeMutablePointer<VipsSource>
    /// The source loader's nickname (`jpegload_source`).
    let loader: String
    /// The input's name in messages.
    let input: String

    /// Opens `path` once and checks it: it exists, is a regular readable file, is not empty and is
    /// within ``Limits/maxInputBytes``; then reads its first bytes to choose the loader.
    convenience init(file path: String, limits: Limits) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == EACCES ? "the file is not readable" : errno == ENOENT || errno == ENOTDIR ? "no such file"
                                                                               : "the file cannot be opened: \(FileSystem.lastError)"
            throw VipsError(.fileNotFound, operation: "load", input: path, message: reason)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw VipsError(.fileNotFound, operation: "load", input: path, message: "the file cannot be read: \(FileSystem.lastError)")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw VipsError(.fileNotFound, operation: "load", input: path, message: "this is a directory, not a file")
        case S_IFREG: break
        default: throw VipsError(.unsupportedFormat, operation: "load", input: path, message: "this is not a regular file")
        }
        let size = Int(info.st_size)
        try Self.checkSize(size, limits: limits, input: path, noun: "file")
        // Enough for the format's magic bytes and, for a TIFF, its first directory.
        var header = [UInt8](repeating: 0, count: Self.headerLength)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else {
            throw VipsError(.loadFailed, operation: "load", input: path, message: "the file cannot be read: \(FileSystem.lastError)")
        }
        // The source keeps a duplicate of the descriptor: the file it reads is the one checked.
        guard let source = vips_source_new_from_descriptor(descriptor) else {
            throw VipsError.libvips(.loadFailed, operation: "load", input: path, message: "the file cannot be read")
        }
        try self.init(source: source, header: header[..<count], input: path)
    }

    /// Checks `buffer` (not empty, within the byte limit) and chooses its loader. The bytes must
    /// outlive every image made from them (the image's lineage keeps the ``InputBuffer``).
    convenience init(buffer: InputBuffer, limits: Limits) throws {
        let input = "\(buffer.count)-byte buffer"
        try Self.checkSize(buffer.count, limits: limits, input: input, noun: "input")
        guard let source = vips_source_new_from_memory(buffer.baseAddress, buffer.count) else {
            throw VipsError.libvips(.loadFailed, operation: "load", input: input, message: "the bytes cannot be read")
        }
        let header = UnsafeRawBufferPointer(start: buffer.baseAddress, count: min(buffer.count, Self.headerLength))
        try self.init(source: source, header: Array(header)[...], input: input)
    }

    private init(source: UnsafeMutablePointer<VipsSource>, header: ArraySlice<UInt8>, input: String) throws {
        do {
            loader = try Self.chooseLoader(source: source, header: header, input: input)
        } catch {
            g_object_unref(source)
            throw error
        }
        pointer = source
        self.input = input
    }

    deinit { g_object_unref(pointer) }

    /// The leading bytes read to choose the loader.
    static let headerLength = 4096

    /// Runs the chosen loader on the source: the first page, or every page (`n = -1`).
    func load(options: LoadOptions, allPages: Bool) -> UnsafeMutablePointer<VipsImage>? {
        cvips_load_source(loader, pointer, options.access.vips, options.failOn.vips, allPages ? -1 : 1)
    }

    /// Whether libvips' own loader takes a fast shrink-on-load (when ``DirectDecode`` leaves the
    /// input to it): JPEG's scaled DCT, where libvips' thumbnail decodes at twice the fraction
    /// needed (its WebP and HEIF shrink-on-load already decode at the box).
    var hasFastShrinkOnLoad: Bool { loader == "jpegload_source" }

    /// The first page decoded at 1/`shrink` of its size (a loader that ``hasFastShrinkOnLoad``).
    func load(options: LoadOptions, shrink: Int) -> UnsafeMutablePointer<VipsImage>? {
        cvips_load_source_shrunk(loader, pointer, options.access.vips, options.failOn.vips, Int32(shrink))
    }

    private static func checkSize(_ size: Int, limits: Limits, input: String, noun: String) throws {
        guard size > 0 else {
            throw VipsError(.emptyInput, operation: "load", input: input, message: noun == "file" ? "the file is empty" : "the input has no bytes")
        }
        guard size <= limits.maxInputBytes else {
            throw VipsError(.limitExceeded, operation: "load", input: input,
                            message: "the \(noun) has \(size) bytes, more than the limit of \(limits.maxInputBytes)")
        }
    }

    /// Untrusted loaders blocked: the format from the first bytes, or a refusal at once. Allowed:
    /// libvips' probe.
    private static func chooseLoader(source: UnsafeMutablePointer<VipsSource>, header: ArraySlice<UInt8>,
                                     input: String) throws -> String {
        if VipsRuntime.configuration.blockUntrustedLoaders {
            switch FormatSniffer.verdict(header) {
            case .readable(let format, let loader):
                if let module = ModuleLoader.module(for: format) { _ = VipsRuntime.loadDeferredModules(module) }
                if format == .tiff, let reason = TIFFCheck.unsupportedVariant(Array(header)) {
                    throw VipsError(.unsupportedFormat, operation: "load", input: input, message: "a TIFF with \(reason)")
                }
                return loader
            case .untrusted(let name):
                throw VipsError(.untrustedFormat, operation: "load", input: input,
                                message: "only an untrusted loader reads \(name), and untrusted loaders are blocked")
            case .unknown:
                throw VipsError(.unsupportedFormat, operation: "load", input: input,
                                message: "the content is not an image format this build reads")
            }
        }
        let found = vips_foreign_find_load_source(source) ?? {
            guard VipsRuntime.loadDeferredModules() else { return nil }
            _ = VipsError.takeDetail()
            return vips_foreign_find_load_source(source)
        }()
        guard let found, let nickname = cvips_nickname_of_type(found) else {
            _ = VipsError.takeDetail()
            throw VipsError(.unsupportedFormat, operation: "load", input: input,
                            message: "the content is not an image format this build reads")
        }
        guard cvips_operation_is_blocked(found) == 0 else {
            throw VipsError(.untrustedFormat, operation: "load", input: input,
                            message: "only an untrusted loader (\(String(cString: found))) reads this format, and untrusted loaders are blocked")
        }
        return String(cString: nickname)
    }
}
