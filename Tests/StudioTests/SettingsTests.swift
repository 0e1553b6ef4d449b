import Studio
import TestSupport
import Testing

@Suite(.onTestThreads) struct SettingsTests {
    @Test func theDefaultsAreTheTablesDefaults() {
        let settings = GenerationSettings.defaults
        #expect(settings.width == 1024 && settings.height == 1024 && settings.steps == 30 && settings.batch == 1)
        #expect(settings.cfg == 7 && settings.strength == 0.6 && settings.seed == -1)
        #expect(settings.sampler == "euler" && settings.scheduler == "normal" && settings.template == "text2img")
        #expect(settings.negativePrompt == "" && settings.basePrompt == nil && settings.checkpoint == nil && settings.watermark)
    }

    @Test(arguments: [
        (0, 1024, 30, 1, false),
        (150_000, 1174, 30, 1, false),
        (200_000, 1224, 30, 1, true),
        (1_000_000, 2024, 31, 2, true),
        (2_500_000, 2048, 32, 3, true),
        (1_000_000_000, 2048, 48, 6, true),
    ])
    func limitsFollowStanding(standing: Int, maxSide: Int, maxSteps: Int, maxBatch: Int, watermarkOptional: Bool) {
        let limits = SettingsLimits(standing: standing)
        #expect(limits.maxSide == maxSide && limits.maxSteps == maxSteps && limits.maxBatch == maxBatch)
        #expect(limits.canDisableWatermark == watermarkOptional)
        #expect(limits.minSide == 64 && limits.cfg == 0...30 && limits.strength == 0...1 && limits.maxSeed == 4_294_967_295)
    }

    @Test func validChangesAreAppliedTogether() throws {
        let changed = try GenerationSettings.defaults.applying(
            ["width": .int(768), "height": .string("512"), "steps": .int(25), "cfg": .double(4.5), "seed": .int(42),
             "negative_prompt": .string("blurry"), "sampler": .string("dpmpp_2m")],
            limits: SettingsLimits(standing: 0), choices: SettingChoices(samplers: ["euler", "dpmpp_2m"]))
        #expect(changed.width == 768 && changed.height == 512 && changed.steps == 25 && changed.cfg == 4.5)
        #expect(changed.seed == 42 && changed.negativePrompt == "blurry" && changed.sampler == "dpmpp_2m")
    }

    @Test func badChangesAreAllReportedAndNoneApplied() {
        let settings = GenerationSettings.defaults
        do {
            _ = try settings.applying(["width": .int(1004), "steps": .int(99), "colour": .string("red"), "cfg": .double(7)],
                                      limits: SettingsLimits(standing: 0))
            Issue.record("invalid settings were accepted")
        } catch let error as StudioError {
            #expect(error.code == .invalidSettings)
            #expect(error.problems == [
                .init(setting: "colour", allowed: "one of \(GenerationSettings.settingNames.joined(separator: ", "))", received: "\"red\""),
                .init(setting: "steps", allowed: "1 to 30", received: "99"),
                .init(setting: "width", allowed: "a multiple of 8 from 64 to 1024", received: "1004"),
            ])
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func boundsAreChecked() {
        let limits = SettingsLimits(standing: 0)
        let refused: [String: SettingValue] = [
            "width": .int(2048), "height": .int(56), "batch": .int(2), "cfg": .double(30.5), "strength": .double(-0.1),
            "seed": .int(4_294_967_296), "watermark": .bool(false), "sampler": .string("made_up"),
        ]
        for (name, value) in refused {
            #expect(throws: StudioError.self, "\(name) = \(value)") {
                try GenerationSettings.defaults.applying([name: value], limits: limits, choices: SettingChoices(samplers: ["euler"]))
            }
        }
        #expect(throws: Never.self) {
            _ = try GenerationSettings.defaults.applying(["seed": .int(-1)], limits: limits)
            _ = try GenerationSettings.defaults.applying(["seed": .int(4_294_967_295)], limits: limits)
            _ = try GenerationSettings.defaults.applying(["watermark": .bool(false)], limits: SettingsLimits(standing: 200_000))
        }
    }

    @Test func nullResetsOneSetting() throws {
        var settings = GenerationSettings.defaults
        settings.steps = 12
        settings.checkpoint = "sdxl.safetensors"
        let reset = try settings.applying(["steps": .null, "checkpoint": .null], limits: SettingsLimits(standing: 0))
        #expect(reset.steps == 30 && reset.checkpoint == nil)
    }

    @Test func theWatermarkIsForcedBelowStanding200000() {
        var settings = GenerationSettings.defaults
        settings.watermark = false
        #expect(settings.watermarkApplies(standing: 199_999))
        #expect(!settings.watermarkApplies(standing: 200_000))
    }

    @Test func changesDecodeFromJSON() throws {
        let json = #"{"width": 640, "cfg": 5.5, "sampler": "euler", "watermark": true, "checkpoint": null}"#
        let changes = try JSONDecoder().decode([String: SettingValue].self, from: Data(json.utf8))
        #expect(changes == ["width": .int(640), "cfg": .double(5.5), "sampler": .string("euler"), "watermark": .bool(true), "checkpoint": .null])
    }
}

import Foundation
