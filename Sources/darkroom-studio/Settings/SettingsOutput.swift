import CommandSupport
import Foundation
import Studio
import Workflows

/// How settings read on a terminal: one line per setting, its value and what it may be.
enum SettingsOutput {
    static func print(_ view: UserSettings.View, json: Bool) {
        if json { return JSONOutput.print(view) }
        rows(view).forEach { name, value, allowed in
            Console.line(name.padding(toLength: 16, withPad: " ", startingAt: 0) + value.padding(toLength: 24, withPad: " ", startingAt: 0) + allowed)
        }
        if let note = view.note { Console.errorLine("note: \(note)") }
    }

    static func rows(_ view: UserSettings.View) -> [(String, String, String)] {
        let (settings, limits, choices) = (view.settings, view.limits, view.choices)
        func list(_ names: [String]?) -> String {
            guard let names else { return "as the server lists" }
            return names.count <= 6 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + ", … (\(names.count))"
        }
        let side = "\(limits.minSide) … \(limits.maxSide), multiples of \(limits.sideMultiple)"
        return [
            ("width", "\(settings.width)", side),
            ("height", "\(settings.height)", side),
            ("steps", "\(settings.steps)", "1 … \(limits.maxSteps)"),
            ("batch", "\(settings.batch)", "1 … \(limits.maxBatch)"),
            ("cfg", "\(settings.cfg)", "\(limits.cfg.lowerBound) … \(limits.cfg.upperBound)"),
            ("strength", "\(settings.strength)", "\(limits.strength.lowerBound) … \(limits.strength.upperBound) (img2img)"),
            ("seed", "\(settings.seed)", "-1 (random) or 0 … \(limits.maxSeed)"),
            ("sampler", settings.sampler, list(choices.samplers)),
            ("scheduler", settings.scheduler, list(choices.schedulers)),
            ("checkpoint", settings.checkpoint ?? "(the template's)", list(choices.checkpoints)),
            ("template", settings.template, list(choices.templates)),
            ("negative_prompt", quoted(settings.negativePrompt), "text, at most 2000 characters"),
            ("base_prompt", settings.basePrompt.map(quoted) ?? "(none)", "text, at most 2000 characters"),
            ("watermark", settings.watermark ? "on" : "off", limits.canDisableWatermark ? "on or off" : "on (off needs standing 200000)"),
        ]
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
