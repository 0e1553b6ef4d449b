#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Which process follows an open job, and until when: the owner renews it while it follows the
/// job; once it has expired (the owner died), another process may take the job over. Kept beside
/// the job (not in it), so a job's own updates never overwrite it.
public struct JobLease: Sendable, Equatable {
    /// The following process's instance id.
    public var owner: String
    /// When the lease ends unless renewed.
    public var until: Date

    public init(owner: String, until: Date) {
        self.owner = owner
        self.until = until
    }
}
