/// Process-wide libvips settings. Apply them once at start-up with ``VipsRuntime/configure(_:)``.
///
/// The defaults suit a long-running service that handles untrusted uploads:
/// a small operation cache (the figures sharp uses), untrusted loaders blocked, libvips'
/// warnings kept off standard error. ``server`` instead gives each job one libvips thread and
/// gets its parallelism from the worker pool, as sharp and govips do, and keeps no cache.
public struct VipsConfiguration: Sendable, Equatable {
    /// Most operations libvips keeps in its cache. Default 100.
    public var maxCachedOperations: Int = 100
    /// Most memory, in bytes, that cached operations may pin. Default 50 MiB.
    public var maxCacheMemory: Int = 50 * 1024 * 1024
    /// Most open files the cache may hold. Default 20.
    public var maxCachedFiles: Int = 20
    /// Threads libvips uses inside one evaluation. `nil` keeps libvips' own choice
    /// (the `VIPS_CONCURRENCY` environment variable, else the number of cores): right for one
    /// large job at a time, as in the command line. Servers set 1.
    public var concurrency: Int?
    /// Dedicated threads of ``ImageWorkerPool/shared``, which runs blocking libvips work for
    /// async callers. Default: one per core. Read when the shared pool is first used.
    public var workerThreads: Int = System.coreCount
    /// Refuse files that only libvips' untrusted loaders read (ImageMagick, PDF, SVG, FITS,
    /// JPEG XL, raw, …). Savers are never blocked. Default `true`: every upload is untrusted.
    public var blockUntrustedLoaders: Bool = true
    /// Drop libvips' GLib warnings instead of printing them. Failures still throw ``VipsError``.
    public var silenceWarnings: Bool = true
    /// Start libvips without its optional modules (HEIF/AVIF, JPEG XL, ImageMagick, OpenSlide,
    /// PDF) and load each the first time a format needs it: HEIF's for a HEIF or AVIF, JPEG XL's
    /// for a JPEG XL; all of them only when untrusted loaders are allowed and libvips' probe
    /// needs them. Saves about 20 ms and 8 MB per process (a command line's start, a server's
    /// memory); Linux only. libvips reads its module folder from the `VIPSHOME` environment
    /// variable once, at start-up, so this sets it for that moment: configure before other
    /// threads start (a command's `main`). Default `false`.
    public var loadModulesOnDemand: Bool = false

    /// The defaults described above.
    public init() {}

    /// Settings for a server: one libvips thread per job, parallelism from the worker pool, and
    /// no operation cache (a server sees each source once per request, from a new buffer or a
    /// file it has no reason to keep open: a cache would only pin memory).
    public static var server: VipsConfiguration {
        var configuration = VipsConfiguration()
        configuration.concurrency = 1
        configuration.maxCachedOperations = 0
        configuration.maxCacheMemory = 0
        configuration.maxCachedFiles = 0
        return configuration
    }
}
