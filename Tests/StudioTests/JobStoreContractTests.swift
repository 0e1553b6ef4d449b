import ComfyUIModel
import Foundation
import Studio
import TestSupport
import Testing
import StudioTestSupport

/// The job part of the store contract, run against every engine: jobs come back whole, a
/// per-user cap that concurrent inserts cannot overrun, updates guarded by the expected state
/// (two resumers cannot both finish a job), open jobs for a restart.
@Suite(.onTestThreads) struct JobStoreContractTests {
    let user = UserID("telegram:5472638766")!
    let other = UserID("web:alice")!

    func job(_ owner: UserID, at seconds: Double = 1_000) -> GenerationJob {
        GenerationJob(user: owner, template: "text2img", prompt: "a lighthouse", values: ["seed": .integer(42), "prompt": .string("a lighthouse")],
                      estimate: 25, deadline: Date(timeIntervalSince1970: seconds + 600), createdAt: Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: StoreEngine.all)
    func jobsComeBackWholeAndSurviveAReopen(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            var first = job(user, at: 1_000)
            try await stores.jobs.insert(first, maxOpen: nil)
            first.state = .submitted
            first.ticket = JobTicket(server: URL(string: "http://127.0.0.1:8188")!, promptID: "p-1", clientID: "darkroom-make-1")
            first.updatedAt = Date(timeIntervalSince1970: 1_001)
            #expect(try await stores.jobs.update(first, expecting: [.held]))
            let second = job(user, at: 2_000)
            try await stores.jobs.insert(second, maxOpen: nil)
            #expect(try await stores.jobs.job(id: first.id) == first)
            #expect(try await stores.jobs.jobs(of: user, limit: 10).map(\.id) == [second.id, first.id])
            let reopened = try await stores.reopened()
            #expect(try await reopened.jobs.job(id: first.id) == first)
            #expect(try await reopened.jobs.openJobs().map(\.id) == [first.id, second.id])
        }
    }

    @Test(arguments: StoreEngine.all)
    func aJobIDIsRecordedOnceAndASecondInsertWritesNothing(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let first = job(user)
            // Eight inserts of one id at once (a request retried, an update handled twice): one is recorded.
            let jobs = stores.jobs
            let refusals = await withTaskGroup(of: String?.self) { group in
                for index in 0..<8 {
                    var copy = first
                    copy.prompt = "attempt \(index)"
                    group.addTask { [copy] in
                        do { try await jobs.insert(copy, maxOpen: nil, lease: nil); return nil } catch { return (error as? StudioError)?.code.rawValue ?? "\(error)" }
                    }
                }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(refusals.filter { $0 == nil }.count == 1)
            #expect(refusals.compactMap { $0 } == Array(repeating: "duplicate_id", count: 7))
            let recorded = try #require(try await stores.jobs.job(id: first.id))
            // Another user's job under a taken id is refused too, and the recorded one stays as it was.
            var other = job(self.other, at: 5_000)
            other.id = first.id
            do {
                try await stores.jobs.insert(other, maxOpen: nil)
                Issue.record("a second job with a taken id was recorded")
            } catch {
                #expect((error as? StudioError)?.code == .duplicateID)
                #expect((error as? StudioError)?.message == "job \(first.id) already exists")
            }
            #expect(try await stores.jobs.job(id: first.id) == recorded)
            #expect(try await stores.jobs.jobs(of: self.other, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.all)
    func anUpdateHappensOnlyFromTheStateItExpects(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            var held = job(user)
            try await stores.jobs.insert(held, maxOpen: nil)
            held.state = .completed
            held.media = ["m_1"]
            held.cost = 12
            // Two resumers finish the same job: exactly one wins.
            let jobs = stores.jobs, finished = held
            let wins = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { (try? await jobs.update(finished, expecting: GenerationJob.State.open)) ?? false } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            var late = held
            late.state = .failed
            #expect(try await !stores.jobs.update(late, expecting: GenerationJob.State.open))
            #expect(try await stores.jobs.job(id: held.id)?.state == .completed)
            #expect(try await stores.jobs.openJobs().isEmpty)
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentInsertsNeverPassTheCap(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let jobs = stores.jobs, user = user
            let made = (0..<10).map { _ in job(user) }
            let inserted = await withTaskGroup(of: Bool.self) { group in
                for candidate in made { group.addTask { (try? await jobs.insert(candidate, maxOpen: 3)) != nil } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(inserted == 3)
            do {
                try await jobs.insert(job(user), maxOpen: 3)
                Issue.record("a fourth open job was accepted")
            } catch let error as StudioError {
                #expect(error.code == .tooManyJobs)
            }
            // A finished job no longer counts; another user has a cap of their own.
            var done = try #require(try await jobs.openJobs().first)
            done.state = .cancelled
            #expect(try await jobs.update(done, expecting: [.held]))
            try await jobs.insert(job(user), maxOpen: 3)
            try await jobs.insert(job(other), maxOpen: 3)
        }
    }

    @Test(arguments: StoreEngine.all)
    func exactlyOneInstanceTakesOverAJobWhoseLeaseEnded(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let now = Date(timeIntervalSince1970: 5_000)
            let followed = job(user)
            try await stores.jobs.insert(followed, maxOpen: nil, lease: JobLease(owner: "a", until: now.addingTimeInterval(30)))
            #expect(try await stores.jobs.lease(of: followed.id) == JobLease(owner: "a", until: now.addingTimeInterval(30)))
            // While the lease runs only its owner renews it.
            #expect(try await !stores.jobs.claim(followed.id, lease: JobLease(owner: "b", until: now.addingTimeInterval(60)), now: now))
            #expect(try await stores.jobs.claim(followed.id, lease: JobLease(owner: "a", until: now.addingTimeInterval(40)), now: now.addingTimeInterval(10)))
            // Once it has ended, of many instances claiming at once (half through another connection), exactly one gets it.
            let later = now.addingTimeInterval(41)
            let instances = [stores.jobs, try await stores.reopened().jobs]
            let winners = await withTaskGroup(of: String?.self) { group in
                for index in 0..<20 {
                    let jobs = instances[index % 2]
                    group.addTask {
                        let owner = "instance-\(index)"
                        return (try? await jobs.claim(followed.id, lease: JobLease(owner: owner, until: later.addingTimeInterval(30)), now: later)) == true ? owner : nil
                    }
                }
                return await group.reduce(into: [String]()) { if let owner = $1 { $0.append(owner) } }
            }
            #expect(winners.count == 1)
            #expect(try await stores.jobs.lease(of: followed.id)?.owner == winners.first)
            // A clean stop gives the lease back at once; a job that ended cannot be claimed.
            try await stores.jobs.releaseLease(followed.id, owner: "not the owner")
            #expect(try await stores.jobs.lease(of: followed.id) != nil)
            try await stores.jobs.releaseLease(followed.id, owner: try #require(winners.first))
            #expect(try await stores.jobs.lease(of: followed.id) == nil)
            var ended = followed
            ended.state = .cancelled
            #expect(try await stores.jobs.update(ended, expecting: [.held]))
            #expect(try await !stores.jobs.claim(followed.id, lease: JobLease(owner: "c", until: later.addingTimeInterval(90)), now: later))
            // An unfollowed job (recorded without a lease) is free to claim.
            let orphan = job(other)
            try await stores.jobs.insert(orphan, maxOpen: nil)
            #expect(try await stores.jobs.lease(of: orphan.id) == nil)
            #expect(try await stores.jobs.claim(orphan.id, lease: JobLease(owner: "c", until: later), now: later))
        }
    }

    @Test(arguments: StoreEngine.all)
    func aWorkLeaseIsHeldByOneInstanceUntilItEndsOrIsGivenBack(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            let now = Date(timeIntervalSince1970: 5_000)
            let leases = [stores.leases, try await stores.reopened().leases]
            #expect(try await leases[0].lease(of: "cook:c1") == nil)
            #expect(try await leases[0].claim("cook:c1", lease: JobLease(owner: "a", until: now.addingTimeInterval(30)), now: now))
            #expect(try await !leases[1].claim("cook:c1", lease: JobLease(owner: "b", until: now.addingTimeInterval(30)), now: now.addingTimeInterval(29)))
            #expect(try await leases[1].claim("cook:c1", lease: JobLease(owner: "a", until: now.addingTimeInterval(60)), now: now.addingTimeInterval(29)),
                    "the owner renews")
            // Ended: of many claimers at once, exactly one wins.
            let later = now.addingTimeInterval(61)
            let winners = await withTaskGroup(of: String?.self) { group in
                for index in 0..<20 {
                    let store = leases[index % 2]
                    group.addTask {
                        let owner = "instance-\(index)"
                        return (try? await store.claim("cook:c1", lease: JobLease(owner: owner, until: later.addingTimeInterval(30)), now: later)) == true ? owner : nil
                    }
                }
                return await group.reduce(into: [String]()) { if let owner = $1 { $0.append(owner) } }
            }
            #expect(winners.count == 1)
            let winner = try #require(winners.first)
            #expect(try await leases[0].lease(of: "cook:c1") == JobLease(owner: winner, until: later.addingTimeInterval(30)))
            // Only the owner gives it back; then anyone may claim it at once.
            try await leases[1].release("cook:c1", owner: "someone else")
            #expect(try await leases[1].lease(of: "cook:c1")?.owner == winner)
            try await leases[1].release("cook:c1", owner: winner)
            #expect(try await leases[0].lease(of: "cook:c1") == nil)
            #expect(try await leases[0].claim("cook:c1", lease: JobLease(owner: "c", until: later), now: later))
            #expect(try await leases[0].lease(of: "training:c1") == nil, "keys are apart")
        }
    }

    @Test(arguments: StoreEngine.all)
    func recentRunTimesComeFromCompletedJobsOfTheTemplateNewestFirst(_ engine: StoreEngine) async throws {
        try await engine.withStores { stores in
            func finished(_ owner: UserID, template: String = "text2img", state: GenerationJob.State = .completed,
                          seconds: Double?, at time: Double) async throws {
                var made = job(owner, at: time)
                made.template = template
                try await stores.jobs.insert(made, maxOpen: nil)
                made.state = state
                made.runSeconds = seconds
                made.updatedAt = Date(timeIntervalSince1970: time + 10)
                #expect(try await stores.jobs.update(made, expecting: [.held]))
            }
            try await finished(user, seconds: 4.5, at: 1_000)
            try await finished(other, seconds: 2.25, at: 2_000)
            try await finished(user, template: "upscale", seconds: 9, at: 3_000)
            try await finished(user, state: .failed, seconds: nil, at: 4_000)
            try await finished(other, seconds: 3, at: 5_000)
            #expect(try await stores.jobs.recentRunSeconds(template: "text2img", limit: 10) == [3, 2.25, 4.5])
            #expect(try await stores.jobs.recentRunSeconds(template: "text2img", limit: 2) == [3, 2.25])
            #expect(try await stores.jobs.recentRunSeconds(template: "upscale", limit: 10) == [9])
            #expect(try await stores.jobs.recentRunSeconds(template: "rmbg", limit: 10).isEmpty)
        }
    }
}
