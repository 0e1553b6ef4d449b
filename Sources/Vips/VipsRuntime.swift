internal import CVips
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// libvips' process-wide state: started once, configured through ``VipsConfiguration``.
///
/// Every entry point of this module calls ``start()`` implicitly; call ``configure(_:)`` at
/// start-up to change the settings. `vips_shutdown` is never called here, except by
/// ``shutdownReportingLeaks()`` at the very end of a process that asked for a leak report.
public enum VipsRuntime {
    private static let state = NIOLockedValueBox(VipsConfiguration())

    /// Starts libvips exactly once per process (a `static let` runs its initialiser once).
    private static let started: Bool = {
        let configuration = state.withLockedValue { $0 }
        let deferred = configuration.loadModulesOnDemand && ModuleLoader.deferModules()
        let status = cvips_init("darkroom")
        if deferred { ModuleLoader.restoreEnvironment() }
        guard status == 0 else {
            fatalError("libvips failed to start: \(VipsError.takeDetail() ?? "unknown reason")")
        }
        apply(configuration)
        return true
    }()

    /// Makes sure libvips is running. Cheap after the first call.
    @discardableResult
    public static func start() -> Bool { started }

    /// The settings in force.
    public static var configuration: VipsConfiguration { state.withLockedValue { $0 } }

    /// Applies new settings. Cache, thread and blocking settings take effect at once; the worker
    /// pool's width only if the shared pool has not been used yet; ``VipsConfiguration/loadModulesOnDemand``
    /// and ``VipsConfiguration/silenceWarnings`` only before libvips has started.
    public static func configure(_ configuration: VipsConfiguration) {
        state.withLockedValue { $0 = configuration }
        if started { apply(configuration) }
    }

    /// What libvips itself reports it is using now: threads per evaluation and the cache caps.
    /// (Differs from ``configuration`` only where the configuration left libvips' default.)
    public static var effectiveSettings: (concurrency: Int, cachedOperations: Int, cacheMemory: Int, cachedFiles: Int) {
        start()
        return (Int(vips_concurrency_get()), Int(vips_cache_get_max()), Int(vips_cache_get_max_mem()),
                Int(vips_cache_get_max_files()))
    }

    /// The libvips version this process runs, e.g. `8.14.1`.
    public static var libvipsVersion: String {
        start()
        return String(cString: vips_version_string())
    }

    /// Whether the installed libvips can write `format` (JPEG XL and HEIF depend on the build).
    public static func canSave(_ format: ImageFormat) -> Bool {
        start()
        if vips_type_find("VipsOperation", format.saverNickname) != 0 { return true }
        guard let module = ModuleLoader.module(for: format) else { return false }
        return loadDeferredModules(module) && vips_type_find("VipsOperation", format.saverNickname) != 0
    }

    /// Loads optional modules that ``VipsConfiguration/loadModulesOnDemand`` held back —
    /// `module` (`vips-heif.so`), or all of them when `nil` — then applies the configuration
    /// again so that their untrusted loaders are blocked too. Returns whether anything was loaded.
    @discardableResult
    static func loadDeferredModules(_ module: String? = nil) -> Bool {
        start()
        guard ModuleLoader.loadDeferred(module) else { return false }
        apply(configuration)
        return true
    }

    /// Shuts libvips down so that, with `VIPS_LEAK=1` in the environment, it reports objects and
    /// memory still alive on standard error. Call only as the last thing a process does: libvips
    /// cannot be started again afterwards.
    public static func shutdownReportingLeaks() {
        guard started else { return }
        vips_shutdown()
    }

    /// Installs the log handler once (GLib keeps every handler it is given).
    private static let warningsSilenced: Void = cvips_silence_warnings()

    /// libvips' own start-up default, computed here because once a value has been set,
    /// `vips_concurrency_set(0)` keeps it instead of going back to the default.
    private static var defaultConcurrency: Int {
        if let value = ProcessInfo.processInfo.environment["VIPS_CONCURRENCY"].flatMap(Int.init), value > 0 { return value }
        return System.coreCount
    }

    private static func apply(_ configuration: VipsConfiguration) {
        vips_cache_set_max(Int32(clamping: configuration.maxCachedOperations))
        vips_cache_set_max_mem(configuration.maxCacheMemory)
        vips_cache_set_max_files(Int32(clamping: configuration.maxCachedFiles))
        vips_concurrency_set(Int32(clamping: max(1, configuration.concurrency ?? defaultConcurrency)))
        if configuration.blockUntrustedLoaders {
            vips_block_untrusted_set(1)
            // Untrusted *savers* (JPEG XL among them) write our own pixels: keep them usable.
            vips_operation_block_set("VipsForeignSave", 0)
        } else {
            vips_block_untrusted_set(0)
        }
        if configuration.silenceWarnings { _ = warningsSilenced }
    }
}
