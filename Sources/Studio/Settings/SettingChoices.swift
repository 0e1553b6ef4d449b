/// What the settings that name things may name: the samplers, schedulers and checkpoints the
/// ComfyUI servers list for the user's template, and the templates of the catalogue that
/// generate images. A `nil` list is not known (no server answered) and is not checked: the
/// server checks the name when a job runs.
public struct SettingChoices: Sendable, Equatable, Codable {
    public var samplers: [String]?
    public var schedulers: [String]?
    public var checkpoints: [String]?
    public var templates: [String]?

    public init(samplers: [String]? = nil, schedulers: [String]? = nil, checkpoints: [String]? = nil, templates: [String]? = nil) {
        self.samplers = samplers
        self.schedulers = schedulers
        self.checkpoints = checkpoints
        self.templates = templates
    }

    /// Nothing known: every name is accepted.
    public static let unknown = SettingChoices()
}
