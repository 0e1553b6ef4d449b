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
    /// Where the leases on cooks and training runs are kept; `nil`: this process is the only one
    /// (they are then followed by this process's own bookkeeping alone).
    public let store: (any WorkLeaseStore)?
    private let followed = Mutex<Set<String>>([])

    /// `instance` defaults to a new random id, so that a restarted process is another instance;
    /// `renewal` to a third of `duration`.
    public init(instance: String? = nil, store: (any WorkLeaseStore)? = nil, duration: Duration = .seconds(30), renewal: Duration? = nil) {
        self.instance = instance ?? "instance-" + UUID().uuidString.prefix(8).lowercased()
        self.store = store
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
        await keepRenewing(clock: clock) { lease, now in try await store.claim(job, lease: lease, now: now) }
    }

    private func keepRenewing(clock: any StudioClock, _ claim: (JobLease, Date) async throws -> Bool) async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: renewal)) != nil else { return }
            guard (try? await claim(lease(from: clock.now()), clock.now())) != false else { return }
        }
    }

    /// Runs `body` while this process follows the work under `key` (a cook, a training run):
    /// claims its lease in ``store``, renews it meanwhile, and gives it back after. `nil`, without
    /// running `body`, when this process already follows it or another live instance does.
    public func following<Result: Sendable>(_ key: String, clock: any StudioClock,
                                      _ body: () async throws -> Result) async throws -> Result? {
        guard follow(key) else { return nil }
        defer { unfollow(key) }
        guard let store else { return try await body() }
        guard try await store.claim(key, lease: lease(from: clock.now()), now: clock.now()) else { return nil }
        let renewal = Task { await keepRenewing(clock: clock) { lease, now in try await store.claim(key, lease: lease, now: now) } }
        do {
            let result = try await body()
            renewal.cancel()
            try? await store.release(key, owner: instance)
            return result
        } catch {
            renewal.cancel()
            try? await store.release(key, owner: instance)
            throw error
        }
    }
}
