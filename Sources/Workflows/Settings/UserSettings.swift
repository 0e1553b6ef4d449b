public import ComfyUIModel
public import Studio

/// The settings workflow: a user's generation settings with the limits their standing allows
/// and the names the servers offer; several changes at once, checked together (all or nothing);
/// back to the defaults. Preferences are kept in the user's session, so every front end sees the
/// same ones.
public struct UserSettings: Sendable {
    /// What the workflow is built on; the composition root picks the implementations.
    public struct Dependencies: Sendable {
        public var sessions: SessionService
        public var catalogue: WorkflowCatalogue
        /// Asked for the samplers, schedulers and checkpoints its servers list.
        public var generator: any ImageGenerating

        public init(sessions: SessionService, catalogue: WorkflowCatalogue, generator: any ImageGenerating) {
            self.sessions = sessions
            self.catalogue = catalogue
            self.generator = generator
        }
    }

    /// A user's settings as a front end shows them.
    public struct View: Sendable, Equatable, Encodable {
        public var settings: GenerationSettings
        public var limits: SettingsLimits
        public var choices: SettingChoices
        /// Why some names could not be listed (no ComfyUI server answered), when so.
        public var note: String?
    }

    public let dependencies: Dependencies

    public init(_ dependencies: Dependencies) { self.dependencies = dependencies }

    /// The user's settings, limits and choices.
    public func get(_ user: UserID) async throws -> View {
        try await withWorkflowErrors {
            let (settings, limits) = try await dependencies.sessions.preferences(of: user)
            let (choices, note) = await choices(for: settings.template)
            return View(settings: settings, limits: limits, choices: choices, note: note)
        }
    }

    /// Applies `changes` together (`null` resets one setting): either all are valid and saved,
    /// or `invalid_settings` names each refused setting, its allowed range and the value received,
    /// and nothing changes. Names are checked against what the servers list for the template the
    /// user will have (the one changed to, if `template` is among the changes).
    public func change(_ user: UserID, _ changes: [String: SettingValue]) async throws -> View {
        try await withWorkflowErrors {
            let (current, limits) = try await dependencies.sessions.preferences(of: user)
            let template = if case .string(let name)? = changes["template"] { name } else { current.template }
            let (choices, note) = await choices(for: template)
            let settings = try await dependencies.sessions.updatePreferences(of: user, changes, choices: choices)
            return View(settings: settings, limits: limits, choices: choices, note: note)
        }
    }

    /// Every setting back to its default.
    public func reset(_ user: UserID) async throws -> View {
        try await withWorkflowErrors {
            let settings = try await dependencies.sessions.resetPreferences(of: user)
            let limits = try await dependencies.sessions.preferences(of: user).limits
            let (choices, note) = await choices(for: settings.template)
            return View(settings: settings, limits: limits, choices: choices, note: note)
        }
    }

    /// The templates that generate images, and what the servers list for `template`'s sampler,
    /// scheduler and checkpoint inputs. A list that cannot be had is left unknown, with a note.
    func choices(for template: String) async -> (SettingChoices, String?) {
        var choices = SettingChoices()
        let entries = (try? await dependencies.catalogue.allEntries()) ?? []
        choices.templates = entries.filter { $0.template.kind == .text2img || $0.template.kind == .img2img }.map(\.name)
        guard let entry = entries.first(where: { $0.name == template }) else { return (choices, nil) }
        do {
            choices.samplers = try await listed("sampler", in: entry.template)
            choices.schedulers = try await listed("scheduler", in: entry.template)
            choices.checkpoints = try await listed("checkpoint", in: entry.template)
            return (choices, nil)
        } catch {
            return (SettingChoices(templates: choices.templates),
                    "the ComfyUI servers could not be asked what they offer (\(WorkflowError(error).message)); sampler, scheduler and checkpoint names are checked when a job runs")
        }
    }

    /// What the servers list for the node input behind `input` of `template`; `nil` when the
    /// template has no such input or it is not a list.
    private func listed(_ input: String, in template: WorkflowTemplate) async throws -> [String]? {
        guard let declared = template.inputs[input],
              let classType = template.graph[declared.node]?.object?["class_type"]?.string else { return nil }
        return try await dependencies.generator.choices(classType: classType, input: declared.input)
    }
}
