/// A generative series' master prompt, parsed: text, trait slots and optional sections.
///
/// - `[[trait]]` inserts the prompt text of the value drawn for `trait`.
/// - `[text [[trait]] text]` is a section: kept only when every trait slot directly inside it
///   drew a non-empty value (a section holding only sections is kept when any of them is).
/// - `[ … [[a]] … ]{b, c}` also declares that the section's traits exclude `b` and `c`: when the
///   section's traits are non-empty, `b` and `c` are drawn empty.
/// - `\[`, `\]`, `\{`, `\}` and `\\` write the character itself.
///
/// ``init(_:traits:)`` refuses anything malformed with a ``PromptGrammarError`` that points at
/// the spot, and checks that the exclusions leave a valid pick.
public struct MasterPrompt: Sendable, Equatable {
    /// A part of the prompt.
    public indirect enum Node: Sendable, Equatable {
        case text(String)
        case slot(String)
        case section([Node], excludes: [String])
    }

    /// One declared exclusion: when `trait` draws a non-empty value, `excluded` draws an empty one.
    public struct Exclusion: Sendable, Equatable, Hashable {
        public var trait: String
        public var excluded: String

        public init(trait: String, excluded: String) {
            self.trait = trait
            self.excluded = excluded
        }
    }

    public let source: String
    public let nodes: [Node]
    /// Every declared exclusion, in the order written.
    public let exclusions: [Exclusion]

    /// Parses `source` against the series' trait types.
    public init(_ source: String, traits: [TraitType]) throws(PromptGrammarError) {
        var parser = MasterPromptParser(source, traits: traits.map(\.name))
        let parsed = try parser.parse()
        self.source = source
        self.nodes = parsed.nodes
        self.exclusions = parsed.exclusions.map(\.exclusion)
        try Self.checkPickable(parsed.exclusions, traits: traits, parser: parser)
    }

    /// The trait names the prompt uses, in order of first use.
    public var traitNames: [String] {
        var seen: [String] = []
        func walk(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .text: continue
                case .slot(let name): if !seen.contains(name) { seen.append(name) }
                case .section(let inner, _): walk(inner)
                }
            }
        }
        walk(nodes)
        return seen
    }

    /// The prompt for one draw (trait name → the drawn value's prompt text): sections whose
    /// traits drew empty values left out, runs of white space made one, no space before `,` or `.`.
    public func render(_ picks: [String: String]) -> String {
        func isFilled(_ name: String) -> Bool { !(picks[name] ?? "").allSatisfy(\.isWhitespace) }
        func kept(_ inner: [Node]) -> Bool {
            var ownSlots = false, anyInnerKept = false
            for node in inner {
                switch node {
                case .text: continue
                case .slot(let name):
                    ownSlots = true
                    if !isFilled(name) { return false }
                case .section(let nested, _): if kept(nested) { anyInnerKept = true }
                }
            }
            return ownSlots || anyInnerKept
        }
        func text(_ nodes: [Node]) -> String {
            nodes.map { node -> String in
                switch node {
                case .text(let value): value
                case .slot(let name): picks[name] ?? ""
                case .section(let inner, _): kept(inner) ? text(inner) : ""
                }
            }.joined()
        }
        return Self.tidy(text(nodes))
    }

    /// Runs of white space made one space, none at the ends or before punctuation.
    static func tidy(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace, ![",", ".", ";", ":", "!", "?"].contains(character) { out.append(" ") }
            pendingSpace = false
            out.append(character)
        }
        return out
    }

    /// Exclusions leave a valid pick unless two traits that can never be empty exclude each other
    /// (directly, or a trait itself): every other trait can be drawn empty when it must be.
    private static func checkPickable(_ exclusions: [MasterPromptParser.PlacedExclusion], traits: [TraitType],
                                      parser: MasterPromptParser) throws(PromptGrammarError) {
        let byName = Dictionary(traits.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for placed in exclusions {
            let (a, b) = (placed.exclusion.trait, placed.exclusion.excluded)
            guard let first = byName[a], let second = byName[b], !first.canBeEmpty, !second.canBeEmpty else { continue }
            let cycle = exclusions.contains { $0.exclusion.trait == b && $0.exclusion.excluded == a }
            let message = a == b
                ? "\"\(a)\" excludes itself but has no empty value to draw: no piece can be made"
                : "\"\(a)\" excludes \"\(b)\"\(cycle ? " and \"\(b)\" excludes \"\(a)\"" : ""), but neither has an empty value with a weight above 0: no piece can be made"
            throw parser.error(.exclusionConflict, message, at: placed.offset)
        }
    }
}
