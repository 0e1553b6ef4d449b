import ComfyUI
import ComfyUITestSupport
import Foundation
import Studio
import StudioSQLite
import StudioTestSupport
import TestSupport
import Testing
import Workflows

/// The settings workflow on a real SQLite file, the shipped catalogue and the ComfyUI test
/// server's lists: limits by standing, changes all or nothing, names checked against what the
/// servers list, reset, and preferences that outlive the process.
@Suite(.onTestThreads) struct UserSettingsTests {
    let user = UserID.telegramTester

    func workflow(_ database: TestDatabase, servers: [URL]) async throws -> UserSettings {
        let catalogue = WorkflowCatalogue(store: database.database.templates)
        _ = try await catalogue.seed(from: MediaProcessingFixture.shippedTemplates)
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: servers, failureThreshold: 1, requestTimeout: .seconds(5)))
        return UserSettings(.init(sessions: database.sessions, catalogue: catalogue, generator: runner))
    }

    @Test func theSettingsComeWithTheLimitsOfTheStandingAndWhatTheServerLists() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let database = try TestDatabase()
        let settings = try await workflow(database, servers: [server.url])
        let fresh = try await settings.get(user)
        #expect(fresh.settings == .defaults && fresh.limits == SettingsLimits(standing: 0) && fresh.note == nil)
        #expect(fresh.choices.samplers?.contains("dpmpp_2m") == true && fresh.choices.schedulers?.contains("karras") == true)
        #expect(fresh.choices.checkpoints?.contains("tiny-random-sd15.safetensors") == true)
        #expect(fresh.choices.templates == ["text2img"])
        _ = try await database.points.setStanding(3_000_000, of: user)
        let standing = try await settings.get(user)
        #expect((standing.limits.maxSide, standing.limits.maxSteps, standing.limits.maxBatch) == (2_048, 33, 4))
        #expect(standing.limits.canDisableWatermark)
    }

    @Test func severalChangesAreAppliedTogetherOrNotAtAll() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let database = try TestDatabase()
        let settings = try await workflow(database, servers: [server.url])
        let changed = try await settings.change(user, ["width": .int(768), "height": .int(512), "sampler": .string("dpmpp_2m"),
                                                       "scheduler": .string("karras"), "base_prompt": .string("film grain")])
        #expect((changed.settings.width, changed.settings.height, changed.settings.sampler) == (768, 512, "dpmpp_2m"))
        do {
            _ = try await settings.change(user, ["steps": .int(20), "width": .int(13), "sampler": .string("euler_imaginary"),
                                                 "checkpoint": .string("missing.safetensors"), "watermark": .bool(false)])
            Issue.record("invalid settings were accepted")
        } catch let error as WorkflowError {
            #expect(error.code.rawValue == "invalid_settings")
            #expect(error.problems.count == 4, "\(error.problems)")
            #expect(error.problems.contains { $0.contains("width") && $0.contains("multiple of 8") && $0.contains("13") })
            #expect(error.problems.contains { $0.contains("sampler") && $0.contains("dpmpp_2m") && $0.contains("euler_imaginary") })
            #expect(error.problems.contains { $0.contains("checkpoint") && $0.contains("tiny-random-sd15.safetensors") })
            #expect(error.problems.contains { $0.contains("watermark") && $0.contains("200000") })
        }
        // Nothing of the refused request was applied, not even the valid steps.
        let kept = try await settings.get(user).settings
        #expect(kept == changed.settings && kept.steps == 30)
        let unknown = await #expect(throws: WorkflowError.self) { try await settings.change(user, ["template": .string("upscale")]) }
        #expect(unknown?.problems.first?.contains("text2img") == true)
    }

    @Test func resetBringsBackTheDefaultsAndPreferencesOutliveTheProcess() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let database = try TestDatabase()
        _ = try await workflow(database, servers: [server.url]).change(user, ["steps": .int(12), "cfg": .double(4.5)])
        let reopened = try database.reopened()
        let points = PointsService(store: reopened.points)
        let again = UserSettings(.init(sessions: SessionService(store: reopened.sessions, points: points),
                                       catalogue: WorkflowCatalogue(store: reopened.templates),
                                       generator: ComfyUIRunner(pool: ComfyUIPool(servers: [server.url]))))
        let kept = try await again.get(user).settings
        #expect((kept.steps, kept.cfg) == (12, 4.5))
        #expect(try await again.reset(user).settings == .defaults)
        #expect(try await again.get(user).settings == .defaults)
    }

    @Test func withNoServerAnsweringNamesAreCheckedWhenAJobRuns() async throws {
        let database = try TestDatabase()
        let settings = try await workflow(database, servers: [URL(string: "http://127.0.0.1:9")!])
        let changed = try await settings.change(user, ["sampler": .string("dpmpp_2m"), "steps": .int(20)])
        #expect(changed.settings.sampler == "dpmpp_2m" && changed.choices.samplers == nil)
        #expect(changed.note?.contains("checked when a job runs") == true)
        #expect(changed.choices.templates == ["text2img"])
    }
}
