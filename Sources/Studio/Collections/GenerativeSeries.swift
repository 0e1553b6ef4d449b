#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Crypto
public import ComfyUIModel

/// What makes a collection generative: how many pieces to cook, with which template and settings,
/// from which master prompt and trait types, and the seed every draw derives from.
public struct GenerativeSeries: Sendable, Codable, Equatable {
    /// Most pieces one series may have.
    public static let maximumSupply = 10_000

    /// How many pieces the cook makes.
    public var supply: Int
    /// The generation template (`nil`: the catalogue's default text-to-image one).
    public var template: String?
    /// Generation settings for every piece (the seed is each piece's own).
    public var settings: [String: SettingValue]
    /// The template's other inputs for every piece (a LoRA, …).
    public var inputs: [String: JSONValue]
    /// The master prompt (see ``MasterPrompt`` for its grammar).
    public var prompt: String
    public var traits: [TraitType]
    /// What every piece's draw and generation seed derive from.
    public var seed: UInt64

    public init(supply: Int, template: String? = nil, settings: [String: SettingValue] = [:], inputs: [String: JSONValue] = [:],
                prompt: String, traits: [TraitType], seed: UInt64 = .random(in: 0 ... UInt64(Int64.max))) {
        self.supply = supply
        self.template = template
        self.settings = settings
        self.inputs = inputs
        self.prompt = prompt
        self.traits = traits
        self.seed = seed
    }

    /// Decodes a series as written by a person: `supply`, `prompt` and `traits` are required;
    /// `template`, `settings`, `inputs` and `seed` (random when missing) are optional, and so is a
    /// value's `weight` (1).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        supply = try container.decode(Int.self, forKey: .supply)
        template = try container.decodeIfPresent(String.self, forKey: .template)
        settings = try container.decodeIfPresent([String: SettingValue].self, forKey: .settings) ?? [:]
        inputs = try container.decodeIfPresent([String: JSONValue].self, forKey: .inputs) ?? [:]
        prompt = try container.decode(String.self, forKey: .prompt)
        traits = try container.decode([TraitType].self, forKey: .traits)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? .random(in: 0 ... UInt64(Int64.max))
    }

    enum CodingKeys: String, CodingKey {
        case supply, template, settings, inputs, prompt, traits, seed
    }

    /// The parsed master prompt, after checking the traits themselves: unique non-empty names,
    /// weights ≥ 0 with at least one above 0, a supply within bounds.
    public func masterPrompt() throws -> MasterPrompt {
        guard (1...Self.maximumSupply).contains(supply) else {
            throw StudioError(.invalidParams, "expected a supply of 1…\(Self.maximumSupply) but received \(supply)")
        }
        var names: Set<String> = []
        for trait in traits {
            guard !trait.name.isEmpty, !trait.name.contains(where: { "[]{},\\".contains($0) }) else {
                throw StudioError(.invalidParams, "a trait name must be non-empty, without brackets, braces, commas or backslashes: \"\(trait.name)\"")
            }
            guard names.insert(trait.name).inserted else { throw StudioError(.invalidParams, "the trait \"\(trait.name)\" is declared twice") }
            guard !trait.values.isEmpty, trait.values.allSatisfy({ $0.weight >= 0 && $0.weight.isFinite }),
                  trait.values.contains(where: { $0.weight > 0 }) else {
                throw StudioError(.invalidParams, "the trait \"\(trait.name)\" needs values with weights ≥ 0, at least one above 0")
            }
            guard Set(trait.values.map(\.name)).count == trait.values.count, !trait.values.contains(where: { $0.name.isEmpty }) else {
                throw StudioError(.invalidParams, "the values of \"\(trait.name)\" need distinct, non-empty names")
            }
        }
        return try MasterPrompt(prompt, traits: traits)
    }

    /// The first 16 hex digits of the SHA-256 of everything that decides a piece (template,
    /// settings, inputs, prompt, traits, seed; not the supply): a piece whose hash differs from its
    /// series' was made under another configuration.
    public var configHash: String {
        struct Decisive: Encodable {
            var template: String?
            var settings: [String: SettingValue]
            var inputs: [String: JSONValue]
            var prompt: String
            var traits: [TraitType]
            var seed: UInt64
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(Decisive(template: template, settings: settings, inputs: inputs, prompt: prompt, traits: traits, seed: seed))) ?? Data()
        return SHA256.hash(data: data).prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// What piece `number` is made of: its traits (trait → value), its prompt and its generation seed.
    public func draw(piece number: Int, prompt master: MasterPrompt) -> (traits: [String: TraitType.Value], prompt: String, seed: Int64) {
        var generator = SeededGenerator(seed: seed, piece: number)
        let picked = TraitPicker(traits: traits, exclusions: master.exclusions).pick(using: &generator)
        let prompt = master.render(picked.mapValues(\.prompt))
        let seed = Int64(generator.next() >> 32)  // 0…2³²−1, what every sampler accepts
        return (picked, prompt, seed)
    }
}
