#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Leases on long work other than image jobs, by key (`cook:<collection>`, `training:<dataset>`):
/// which instance follows the work and until when. Image jobs keep theirs beside the job
/// (``JobStore/claim(_:lease:now:)``), where recording and leasing are one transaction.
public protocol WorkLeaseStore: Sendable {
    /// Gives `lease` on `key` when nobody holds it, when its lease ended before `now`, or when it
    /// is already `lease.owner`'s (a renewal); returns whether it did. Atomic: of several
    /// instances claiming one key at once, exactly one gets it.
    func claim(_ key: String, lease: JobLease, now: Date) async throws -> Bool
    /// Ends `owner`'s lease on `key` (the work ended, or the process stops cleanly).
    func release(_ key: String, owner: String) async throws
    /// The lease on `key`, if someone holds one.
    func lease(of key: String) async throws -> JobLease?
}
