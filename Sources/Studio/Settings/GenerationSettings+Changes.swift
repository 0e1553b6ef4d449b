extension GenerationSettings {
    /// The names a change may use.
    public static let settingNames = ["width", "height", "steps", "batch", "cfg", "strength", "seed", "sampler",
                                      "scheduler", "negative_prompt", "base_prompt", "checkpoint", "template", "watermark"]

    /// These settings with `changes` applied, all checked together: either every change is valid
    /// and all are applied, or `invalid_settings` lists each refused one (its name, the allowed
    /// range, the value received) and nothing changes. `null` resets a setting to its default.
    ///
    /// Names (sampler, scheduler, checkpoint, template) are checked against `choices` where it
    /// knows them.
    public func applying(_ changes: [String: SettingValue], limits: SettingsLimits,
                         choices: SettingChoices = .unknown) throws -> GenerationSettings {
        var result = self
        var problems: [StudioError.SettingProblem] = []
        func refuse(_ name: String, _ allowed: String, _ value: SettingValue) {
            problems.append(.init(setting: name, allowed: allowed, received: value.description))
        }
        let defaults = GenerationSettings.defaults
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "width", "height":
                let allowed = "a multiple of \(limits.sideMultiple) from \(limits.minSide) to \(limits.maxSide)"
                if value == .null { name == "width" ? (result.width = defaults.width) : (result.height = defaults.height); continue }
                guard let side = value.integer, side >= limits.minSide, side <= limits.maxSide,
                      side % Int64(limits.sideMultiple) == 0 else { refuse(name, allowed, value); continue }
                if name == "width" { result.width = Int(side) } else { result.height = Int(side) }
            case "steps":
                if value == .null { result.steps = defaults.steps; continue }
                guard let steps = value.integer, (1...Int64(limits.maxSteps)).contains(steps) else {
                    refuse(name, "1 to \(limits.maxSteps)", value); continue
                }
                result.steps = Int(steps)
            case "batch":
                if value == .null { result.batch = defaults.batch; continue }
                guard let batch = value.integer, (1...Int64(limits.maxBatch)).contains(batch) else {
                    refuse(name, "1 to \(limits.maxBatch)", value); continue
                }
                result.batch = Int(batch)
            case "cfg":
                if value == .null { result.cfg = defaults.cfg; continue }
                guard let cfg = value.number, limits.cfg.contains(cfg) else { refuse(name, "0 to 30", value); continue }
                result.cfg = cfg
            case "strength":
                if value == .null { result.strength = defaults.strength; continue }
                guard let strength = value.number, limits.strength.contains(strength) else { refuse(name, "0 to 1", value); continue }
                result.strength = strength
            case "seed":
                if value == .null { result.seed = defaults.seed; continue }
                guard let seed = value.integer, seed == -1 || (0...limits.maxSeed).contains(seed) else {
                    refuse(name, "-1 (random) or 0 to \(limits.maxSeed)", value); continue
                }
                result.seed = seed
            case "sampler", "scheduler":
                let allowedList = name == "sampler" ? choices.samplers : choices.schedulers
                if value == .null { name == "sampler" ? (result.sampler = defaults.sampler) : (result.scheduler = defaults.scheduler); continue }
                guard let text = value.text, !text.isEmpty, allowedList?.contains(text) ?? true else {
                    refuse(name, allowedList.map { "one of \($0.joined(separator: ", "))" } ?? "a name", value); continue
                }
                if name == "sampler" { result.sampler = text } else { result.scheduler = text }
            case "negative_prompt", "base_prompt", "checkpoint", "template":
                if value == .null {
                    switch name {
                    case "negative_prompt": result.negativePrompt = defaults.negativePrompt
                    case "base_prompt": result.basePrompt = nil
                    case "checkpoint": result.checkpoint = nil
                    default: result.template = defaults.template
                    }
                    continue
                }
                guard let text = value.text, text.count <= 2_000, name != "template" || !text.isEmpty else {
                    refuse(name, "text of at most 2000 characters", value); continue
                }
                let listed = name == "checkpoint" ? choices.checkpoints : name == "template" ? choices.templates : nil
                if let listed, !text.isEmpty, !listed.contains(text) {
                    refuse(name, "one of \(listed.joined(separator: ", "))", value); continue
                }
                switch name {
                case "negative_prompt": result.negativePrompt = text
                case "base_prompt": result.basePrompt = text.isEmpty ? nil : text
                case "checkpoint": result.checkpoint = text.isEmpty ? nil : text
                default: result.template = text
                }
            case "watermark":
                if value == .null { result.watermark = defaults.watermark; continue }
                guard let on = value.flag, on || limits.canDisableWatermark else {
                    refuse(name, limits.canDisableWatermark ? "true or false" : "true (turning it off needs standing 200000)", value)
                    continue
                }
                result.watermark = on
            default:
                refuse(name, "one of \(Self.settingNames.joined(separator: ", "))", value)
            }
        }
        guard problems.isEmpty else {
            throw StudioError(.invalidSettings, problems.map(\.description).joined(separator: "; "), problems: problems)
        }
        return result
    }
}
