import Foundation
import GumbelGAN

#if canImport(Glibc)
    import Glibc
#endif

/// The one memory check of every subcommand: sizes are estimated (``MemoryEstimate``) and
/// refused before anything is allocated, so that no size ends in a failed allocation.
enum MemoryLimit {
    /// `--memory-limit` GB, else the machine's memory or `ulimit -v`, whichever is lower.
    static func bytes(gigabytes: Double?) -> Double {
        var address = rlimit()
        let limited = getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &address) == 0 && address.rlim_cur != rlim_t.max
        let addressLimit = limited ? Double(address.rlim_cur) : .infinity
        return gigabytes.map { $0 * 1e9 } ?? min(Double(ProcessInfo.processInfo.physicalMemory), addressLimit)
    }

    /// Refuses `bytes` over `limit`: "`what` needs about N GB (`sizes`), more than the limit …".
    static func require(_ bytes: Double, limit: Double, _ what: String, _ sizes: String) throws {
        guard bytes > limit else { return }
        throw UserError(
            String(
                format: "%@ needs about %.1f GB (%@), more than the limit of %.1f GB; lower them or set --memory-limit", what, bytes / 1e9, sizes,
                limit / 1e9))
    }
}
