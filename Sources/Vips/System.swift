#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the machine that the runtime settings derive from.
public enum System {
    /// Cores this process may use (at least 1).
    public static var coreCount: Int {
        #if canImport(Glibc)
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        #else
        let count = sysconf(_SC_NPROCESSORS_ONLN)
        #endif
        return max(1, Int(count))
    }
}
