import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct ConcurrencyTests {
    let folder = TemporaryDirectory()

    @Test func manyJobsFromManyTasksAllComeBackRight() async throws {
        // Given: six source files and a pool of four threads
        let pool = ImageWorkerPool(threads: 4)
        let paths = try (0..<6).map { index in
            try TestImages.write(TestImages.photo(width: 320 + index * 16, height: 240, seed: UInt64(index)),
                                 "photo\(index).jpg", in: folder)
        }
        // When: 48 tasks each ask for a thumbnail of their own width
        let results = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
            for job in 0..<48 {
                let path = paths[job % paths.count], width = 40 + job
                group.addTask {
                    try await pool.run {
                        let jpeg = try Image.thumbnail(ofFile: path, width: width).data(format: .jpeg)
                        let decoded = try Image(data: jpeg)
                        return (job, decoded.width, decoded.height)
                    }
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = ($1.1, $1.2) }
        }
        // Then
        #expect(results.count == 48)
        for job in 0..<48 {
            let sourceWidth = Double(320 + (job % paths.count) * 16)
            #expect(results[job]?.0 == 40 + job)
            #expect(results[job]?.1 == Int((240 * Double(40 + job) / sourceWidth).rounded()))
        }
        try await pool.shutdown()
    }

    @Test func blockedWorkersLeaveTheCooperativePoolFree() async throws {
        // Every worker blocks until a task on the cooperative pool releases it. Were the work on
        // the cooperative pool (2 threads here), that task could never run and the waits would
        // time out.
        let workers = 4
        let pool = ImageWorkerPool(threads: workers)
        let gate = DispatchSemaphore(value: 0)
        // On Swift's own executor, not the suite's test threads: that is the pool this is about.
        let outcomes = try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<workers {
                    // Generous: other tests' synchronous work can hold the cooperative threads for a
                    // while; a real deadlock still fails here.
                    group.addTask { try await pool.run { gate.wait(timeout: .now() + 120) == .success } }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(100))
                    for _ in 0..<workers { gate.signal() }
                    return true
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(outcomes.count == workers + 1 && outcomes.allSatisfy { $0 })
        try await pool.shutdown()
    }

    @Test func concurrentFailuresEachNameTheirOwnInput() async throws {
        // libvips has one process-wide error buffer; our errors must never mix inputs up.
        let whole = try TestImages.photo(width: 300, height: 300).data(format: .jpeg)
        let paths = try (0..<8).map { try folder.write(BadInputs.truncated(whole, keeping: 0.3), to: "cut\($0).jpg") }
        let errors = await withTaskGroup(of: (String, VipsError?).self) { group in
            for path in paths {
                group.addTask {
                    do {
                        _ = try await ImageWorkerPool.shared.run { try Image(contentsOfFile: path).resize(scale: 0.5).data(format: .png) }
                        return (path, nil)
                    } catch { return (path, error as? VipsError) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(errors.count == 8)
        for (path, error) in errors {
            #expect(error?.code == .loadFailed && error?.input == path, "\(String(describing: error))")
        }
    }

    @Test func aCancelledTaskNeverStartsItsJob() async throws {
        let ran = ManagedFlag()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await ImageWorkerPool.shared.run { ran.set() }
        }
        let result = await task.result
        #expect(throws: VipsError.self) { try result.get() }
        if case .failure(let error as VipsError) = result { #expect(error.code == .cancelled) }
        #expect(!ran.isSet)
    }
}

/// A thread-safe flag for tests.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

@Suite(.onTestThreads, .serialized) struct RuntimeTests {
    @Test func configureAppliesTheCacheAndThreadSettings() {
        // Given
        let original = VipsRuntime.configuration
        defer { VipsRuntime.configure(original) }
        var custom = original
        custom.maxCachedOperations = 7
        custom.maxCacheMemory = 3 * 1024 * 1024
        custom.maxCachedFiles = 2
        custom.concurrency = 3
        // When
        VipsRuntime.configure(custom)
        // Then
        let effective = VipsRuntime.effectiveSettings
        #expect(effective.cachedOperations == 7 && effective.cacheMemory == 3 * 1024 * 1024 && effective.cachedFiles == 2)
        #expect(effective.concurrency == 3)
        #expect(VipsRuntime.configuration == custom)
        // And nil gives libvips its own default back.
        custom.concurrency = nil
        VipsRuntime.configure(custom)
        #expect(VipsRuntime.effectiveSettings.concurrency == Int(ProcessInfo.processInfo.environment["VIPS_CONCURRENCY"] ?? "") ?? System.coreCount)
    }

    @Test func theLibvipsVersionIsReported() {
        let parts = VipsRuntime.libvipsVersion.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count >= 2 && parts[0] == 8 && parts[1] >= 14)
    }

    @Test func everyFormatWeTestCanBeSaved() {
        for format in ImageFormat.allCases { #expect(VipsRuntime.canSave(format), "\(format)") }
    }

    @Test func theDefaultsSuitAServiceOfUntrustedInput() {
        let defaults = VipsConfiguration()
        #expect(defaults.blockUntrustedLoaders && defaults.silenceWarnings)
        #expect(defaults.maxCachedOperations == 100 && defaults.maxCacheMemory == 50 * 1024 * 1024 && defaults.maxCachedFiles == 20)
        #expect(defaults.concurrency == nil && VipsConfiguration.server.concurrency == 1)
        #expect(defaults.workerThreads == System.coreCount)
        #expect(Limits.default == Limits(maxPixels: 100_000_000, maxInputBytes: 100 * 1024 * 1024, maxFrames: 1_000))
    }
}
