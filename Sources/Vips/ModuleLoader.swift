internal import CVips
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Holds libvips' optional modules back at start-up and loads each on first need
/// (``VipsConfiguration/loadModulesOnDemand``).
///
/// libvips 8.14 loads every module in `<libdir>/vips-modules-8.14` during `vips_init`, finding
/// the folder from `VIPSHOME` or its compile-time prefix, and offers no switch. So for the
/// duration of `vips_init` only, this points `VIPSHOME` at a folder without
/// modules; the real folder is found beforehand from where `libvips.so` is mapped.
enum ModuleLoader {
    /// Nothing held back; or the module folder, the modules asked for so far, and the `VIPSHOME`
    /// this process was started with (put back once libvips has read the placeholder).
    private enum State { case none, deferred(folder: String, loaded: Set<String>, home: String?) }
    private static let state = NIOLockedValueBox(State.none)
    private static let placeholderHome = "/nonexistent/darkroom-deferred-vips-modules"

    /// Sets `VIPSHOME` so that `vips_init` finds no modules. Returns whether it did: not on other
    /// systems, when the module folder cannot be found, or when `VIPSHOME` names another install
    /// (the user's choice of modules). A `VIPSHOME` that holds this install's folder is not a
    /// choice: libvips sets it to its own prefix as it starts, so every child of a process that
    /// uses libvips (a test, a supervisor written with pyvips) inherits `/usr`.
    static func deferModules() -> Bool {
        #if os(Linux)
        guard let folder = moduleFolder() else { return false }
        let home = getenv("VIPSHOME").map { String(cString: $0) }
        if let home, !folder.hasPrefix(home.hasSuffix("/") ? home : home + "/") { return false }
        state.withLockedValue { $0 = .deferred(folder: folder, loaded: [], home: home) }
        return setenv("VIPSHOME", placeholderHome, 1) == 0
        #else
        return false
        #endif
    }

    /// Puts `VIPSHOME` back as it was once libvips has read the placeholder.
    static func restoreEnvironment() {
        guard let value = getenv("VIPSHOME"), String(cString: value) == placeholderHome else { return }
        guard case .deferred(_, _, let home) = state.withLockedValue({ $0 }) else { return }
        if let home { setenv("VIPSHOME", home, 1) } else { unsetenv("VIPSHOME") }
    }

    /// The module that holds `format`'s loader and saver, when a module does: HEIF and AVIF in
    /// `vips-heif.so`, JPEG XL in `vips-jxl.so`. The other modules (PDF, ImageMagick, OpenSlide)
    /// hold only loaders that untrusted input never reaches.
    static func module(for format: ImageFormat) -> String? {
        switch format {
        case .heif, .avif: "vips-heif.so"
        case .jxl: "vips-jxl.so"
        default: nil
        }
    }

    /// Loads held-back modules, each once: `module` (a file name in the module folder), or every
    /// one when `nil`. Returns whether it loaded any now. A module asked for before costs nothing:
    /// every HEIF or AVIF input asks.
    static func loadDeferred(_ module: String? = nil) -> Bool {
        state.withLockedValue { state in
            guard case .deferred(let folder, var loaded, let home) = state else { return false }
            if let module, loaded.contains(module) { return false }
            let present = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".so") }
            let wanted = present.filter { (module == nil || $0 == module) && !loaded.contains($0) }.sorted()
            for name in wanted {
                _ = cvips_load_module("\(folder)/\(name)")
                loaded.insert(name)
            }
            if let module { loaded.insert(module) }  // also when this install has no such module
            state = .deferred(folder: folder, loaded: loaded, home: home)
            return !wanted.isEmpty
        }
    }

    /// Reads a /proc file to its end. (Foundation's readers trust the reported size, which is 0.)
    private static func readProcFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `<folder of libvips.so>/vips-modules-<major>.<minor>`, if it exists.
    private static func moduleFolder() -> String? {
        guard let maps = readProcFile("/proc/self/maps") else { return nil }
        guard let library = maps.split(separator: "\n").lazy
            .compactMap({ line in line.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) })
            .first(where: { $0.hasPrefix("/") && $0.contains("/libvips.so") }) else { return nil }
        let folder = FilePath(library).removingLastComponent().appending("vips-modules-\(vips_version(0)).\(vips_version(1))").string
        return FileSystem.kind(folder) == .directory ? folder : nil
    }
}
