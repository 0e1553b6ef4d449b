/// The recursive-descent parser behind ``MasterPrompt``: one pass over the characters, every
/// error placed at the offset it is about.
struct MasterPromptParser {
    /// An exclusion and the offset of the excluded name where it was written.
    struct PlacedExclusion {
        var exclusion: MasterPrompt.Exclusion
        var offset: Int
    }

    private let characters: [Character]
    private let traits: [String]
    private var index = 0
    private var exclusions: [PlacedExclusion] = []

    init(_ source: String, traits: [String]) {
        characters = Array(source)
        self.traits = traits
    }

    mutating func parse() throws(PromptGrammarError) -> (nodes: [MasterPrompt.Node], exclusions: [PlacedExclusion]) {
        let nodes = try nodes(closing: nil)
        return (nodes, exclusions)
    }

    /// Nodes up to the `]` closing the section opened at `opening` (or to the end at the top).
    private mutating func nodes(closing opening: Int?) throws(PromptGrammarError) -> [MasterPrompt.Node] {
        var nodes: [MasterPrompt.Node] = []
        var text = ""
        func flush() {
            if !text.isEmpty { nodes.append(.text(text)) }
            text = ""
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\":
                index += 1
                if index < characters.count {
                    text.append(characters[index])
                    index += 1
                } else {
                    text.append("\\")
                }
            case "[" where peek(1) == "[" && peek(2) != "[":
                flush()
                nodes.append(.slot(try slot()))
            case "[":
                flush()
                nodes.append(try section())
            case "]":
                guard opening != nil else {
                    throw error(.unbalancedBrackets, "a \"]\" with no \"[\" open before it", at: index)
                }
                index += 1
                flush()
                return nodes
            case "{":
                throw error(.malformedExclusion, "an exclusion list \"{…}\" must follow the \"]\" of a section", at: index)
            case "}":
                throw error(.unbalancedBrackets, "a \"}\" with no \"{\" open before it", at: index)
            default:
                text.append(character)
                index += 1
            }
        }
        if let opening {
            throw error(.unbalancedBrackets, "the section opened here is never closed with \"]\"", at: opening)
        }
        flush()
        return nodes
    }

    /// `[[name]]`, at `[[`.
    private mutating func slot() throws(PromptGrammarError) -> String {
        let start = index
        index += 2
        var name = ""
        var nameStart: Int?
        while index < characters.count {
            let character = characters[index]
            if character == "]" && peek(1) == "]" {
                index += 2
                let trimmed = trimmed(name)
                guard !trimmed.isEmpty else { throw error(.emptySlot, "a trait slot \"[[ ]]\" with no trait name in it", at: start) }
                guard traits.contains(trimmed) else { throw unknown(trimmed, at: nameStart ?? start) }
                return trimmed
            }
            if "[]{}\n".contains(character) { break }
            if nameStart == nil, !character.isWhitespace { nameStart = index }
            name.append(character)
            index += 1
        }
        throw error(.unbalancedBrackets, "the trait slot opened here is never closed with \"]]\"", at: start)
    }

    /// `[ … ]` and an optional `{a, b}`, at `[`.
    private mutating func section() throws(PromptGrammarError) -> MasterPrompt.Node {
        let start = index
        index += 1
        let inner = try nodes(closing: start)
        let slots = Self.slots(in: inner)
        guard !slots.isEmpty else {
            throw error(.sectionWithoutTrait, "a section \"[…]\" needs a trait slot \"[[name]]\" inside (write \\[ for a bracket)", at: start)
        }
        guard index < characters.count, characters[index] == "{" else { return .section(inner, excludes: []) }
        let excluded = try exclusionList()
        for name in excluded {
            for slot in slots { exclusions.append(PlacedExclusion(exclusion: .init(trait: slot, excluded: name.name), offset: name.offset)) }
        }
        return .section(inner, excludes: excluded.map(\.name))
    }

    /// `{a, b}`, at `{`.
    private mutating func exclusionList() throws(PromptGrammarError) -> [(name: String, offset: Int)] {
        let open = index
        index += 1
        var names: [(name: String, offset: Int)] = []
        var current = "", currentStart = index
        func take() throws(PromptGrammarError) {
            let name = trimmed(current)
            guard !name.isEmpty else { throw error(.malformedExclusion, "an empty name in the exclusion list", at: currentStart) }
            let offset = currentStart + (current.firstIndex { !$0.isWhitespace }.map { current.distance(from: current.startIndex, to: $0) } ?? 0)
            guard traits.contains(name) else { throw unknown(name, at: offset) }
            names.append((name, offset))
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "}":
                try take()
                index += 1
                return names
            case ",":
                try take()
                index += 1
                current = ""
                currentStart = index
            case "[", "]", "{", "\n":
                throw error(.unbalancedBrackets, "the exclusion list opened here is never closed with \"}\"", at: open)
            default:
                current.append(character)
                index += 1
            }
        }
        throw error(.unbalancedBrackets, "the exclusion list opened here is never closed with \"}\"", at: open)
    }

    private static func slots(in nodes: [MasterPrompt.Node]) -> [String] {
        nodes.flatMap { node -> [String] in
            switch node {
            case .text: []
            case .slot(let name): [name]
            case .section(let inner, _): slots(in: inner)
            }
        }
    }

    private func peek(_ ahead: Int) -> Character? {
        index + ahead < characters.count ? characters[index + ahead] : nil
    }

    private func trimmed(_ text: String) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    private func unknown(_ name: String, at offset: Int) -> PromptGrammarError {
        let known = traits.isEmpty ? "the series has no traits" : "the traits are " + traits.joined(separator: ", ")
        return error(.unknownTrait, "unknown trait \"\(name)\" (\(known))", at: offset)
    }

    /// An error at character `offset`, with its line and column.
    func error(_ problem: PromptGrammarError.Problem, _ message: String, at offset: Int) -> PromptGrammarError {
        var line = 1, lineStart = 0
        for (position, character) in characters.enumerated() where position < offset && character == "\n" {
            line += 1
            lineStart = position + 1
        }
        let lineEnd = characters[lineStart...].firstIndex(of: "\n") ?? characters.count
        return PromptGrammarError(problem, message, line: line, column: offset - lineStart + 1,
                                  excerpt: String(characters[lineStart..<lineEnd]))
    }
}
