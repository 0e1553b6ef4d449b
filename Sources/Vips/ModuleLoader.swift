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

/// Holds libvips' optional modules back at start-up and loads them on first need
/// (``VipsConfiguration/loadModulesOnDemand``).
///
/// libvips 8.14 loads every module in `<libdir>/vips-modules-8.14` during `vips_init`, finding
/// the folder from `VIPSHOME` or its compile-time prefix, and offers no switch. So for the
/// duration of `vips_init` only, this points `VIPSHOME` at a folder without
/// modules; the real folder is found beforehand from where `libvips.so` is mapped.
enum ModuleLoader {
    private enum State { case none, deferred(String), loaded }
    private static let state = NIOLockedValueBox(State.none)
    private static let placeholderHome = "/nonexistent/darkroom-deferred-vips-modules"

    /// Sets `VIPSHOME` so that `vips_init` finds no modules. Returns whether it did: not when
    /// the user set `VIPSHOME`, on other systems, or when the module folder cannot be found.
    static func deferModules() -> Bool {
        #if os(Linux)
        guard getenv("VIPSHOME") == nil, let folder = moduleFolder() else { return false }
        state.withLockedValue { $0 = .deferred(folder) }
        return setenv("VIPSHOME", placeholderHome, 1) == 0
        #else
        return false
        #endif
    }

    /// Removes the placeholder `VIPSHOME` once libvips has read it.
    static func restoreEnvironment() {
        if let value = getenv("VIPSHOME"), String(cString: value) == placeholderHome { unsetenv("VIPSHOME") }
    }

    /// Loads the held-back modules once. Returns whether it loaded them now.
    static func loadDeferred() -> Bool {
        state.withLockedValue { state in
            guard case .deferred(let folder) = state else { return false }
            state = .loaded
            let modules = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".so") }
            for module in modules.sorted() { _ = cvips_load_module("\(folder)/\(module)") }
            return !modules.isEmpty
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
