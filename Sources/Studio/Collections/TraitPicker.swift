/// Draws one value per trait type, weighted and reproducible, honouring a master prompt's
/// exclusions.
///
/// Traits that exclude others are drawn first (a trait's exclusion takes precedence over what it
/// excludes), then the rest, each group in the order of the series' trait types; each from its
/// values with a weight above 0, in proportion to the weights. A trait that clashes with an
/// already drawn non-empty trait draws among its empty values only; so does a trait whose
/// non-empty value would clash with a later trait that can never be empty. ``MasterPrompt``
/// has already checked that this always leaves a value to draw.
public struct TraitPicker: Sendable {
    /// The traits in the order they are drawn.
    public let traits: [TraitType]
    /// Pairs that may not both be non-empty (each exclusion, both ways round).
    private let clashes: [String: Set<String>]

    public init(traits: [TraitType], exclusions: [MasterPrompt.Exclusion]) {
        let excluders = Set(exclusions.map(\.trait))
        self.traits = traits.filter { excluders.contains($0.name) } + traits.filter { !excluders.contains($0.name) }
        var clashes: [String: Set<String>] = [:]
        for exclusion in exclusions {
            clashes[exclusion.trait, default: []].insert(exclusion.excluded)
            clashes[exclusion.excluded, default: []].insert(exclusion.trait)
        }
        self.clashes = clashes
    }

    /// One draw: trait name → the drawn value.
    public func pick(using generator: inout SeededGenerator) -> [String: TraitType.Value] {
        var picked: [String: TraitType.Value] = [:]
        for (position, trait) in traits.enumerated() {
            let clashing = clashes[trait.name] ?? []
            let selfExcluding = clashing.contains(trait.name)
            let drawnClash = picked.contains { clashing.contains($0.key) && !$0.value.isEmpty }
            let laterForced = traits[(position + 1)...].contains { clashing.contains($0.name) && !$0.canBeEmpty }
            let mustBeEmpty = (selfExcluding || drawnClash || laterForced) && trait.canBeEmpty
            let candidates = trait.values.filter { $0.weight > 0 && (!mustBeEmpty || $0.isEmpty) }
            guard !candidates.isEmpty else { continue }
            picked[trait.name] = Self.draw(from: candidates, using: &generator)
        }
        return picked
    }

    private static func draw(from values: [TraitType.Value], using generator: inout SeededGenerator) -> TraitType.Value {
        let total = values.reduce(0) { $0 + $1.weight }
        var target = generator.unit() * total
        for value in values {
            target -= value.weight
            if target < 0 { return value }
        }
        return values[values.count - 1]
    }
}
