#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Studio
import Synchronization

/// The jobs this process follows, under leases that it renews: the way several instances over one
/// database share the open jobs. A job is recorded with this instance's lease and renewed every
/// ``renewal`` while it is followed; when an instance dies, its leases run out and
/// another instance's ``MakeImage/resumeOpenJobs()`` takes the jobs over, exactly one instance
/// each (the store's claim is atomic). One value per process, shared by every workflow in it.
public final class JobLeases: Sendable {
    /// This process's id in the leases it holds.
    public let instance: String
    /// How long a lease lasts unless renewed.
    public let duration: Duration
    /// How often a followed job's lease is renewed.
    public let renewal: Duration
    private let followed = Mutex<Set<String>>([])

    /// `instance` defaults to a new random id, so that a restarted process is another instance;
    /// `renewal` to a third of `duration`.
    public init(instance: String? = nil, duration: Duration = .seconds(30), renewal: Duration? = nil) {
        self.instance = instance ?? "instance-" + UUID().uuidString.prefix(8).lowercased()
        self.duration = duration
        self.renewal = renewal ?? duration / 3
    }

    /// A lease from `now` for ``duration``.
    func lease(from now: Date) -> JobLease {
        JobLease(owner: instance, until: now.addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18))
    }

    /// Marks `job` followed here; `false` when it already is (a sweep must not follow it twice).
    func follow(_ job: String) -> Bool {
        followed.withLock { $0.insert(job).inserted }
    }

    /// Marks `job` no longer followed here.
    func unfollow(_ job: String) {
        _ = followed.withLock { $0.remove(job) }
    }

    /// The jobs followed here now.
    public var jobs: Set<String> { followed.withLock { $0 } }

    /// Renews `job`'s lease every ``renewal`` until cancelled, or until the lease was lost (this
    /// process stalled past it and another took the job over: that one finishes it).
    func keepRenewing(_ job: String, in store: any JobStore, clock: any StudioClock) async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: renewal)) != nil else { return }
            guard (try? await store.claim(job, lease: lease(from: clock.now()), now: clock.now())) != false else { return }
        }
    }
}
