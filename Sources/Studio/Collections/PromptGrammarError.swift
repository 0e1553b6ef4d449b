/// A master prompt that cannot be used, with the spot that says why: line and column (from 1),
/// the line itself and a caret under the spot.
///
/// ```
/// line 1, column 14: unknown trait "hat" (the traits are background, eyes)
///   a cat with a [[hat]]
///                ^
/// ```
public struct PromptGrammarError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, as a stable snake_case code.
    public enum Problem: String, Sendable, Codable, CaseIterable {
        /// A `[` or `[[` never closed, or a `]` or `}` with nothing open.
        case unbalancedBrackets = "unbalanced_brackets"
        /// `[[]]`: a slot with no trait name.
        case emptySlot = "empty_slot"
        /// A slot or exclusion names a trait the series does not have.
        case unknownTrait = "unknown_trait"
        /// A section (`[…]`) with no trait slot in it.
        case sectionWithoutTrait = "section_without_trait"
        /// An exclusion list that is empty or malformed (`{}`, `{a,,b}`), or one not after a section.
        case malformedExclusion = "malformed_exclusion"
        /// Exclusions that leave no valid pick: traits that can never be empty exclude each other.
        case exclusionConflict = "exclusion_conflict"
    }

    public var problem: Problem
    public var message: String
    /// 1-based line and column of the spot.
    public var line: Int
    public var column: Int
    /// The line the spot is on, as written.
    public var excerpt: String

    public init(_ problem: Problem, _ message: String, line: Int, column: Int, excerpt: String) {
        self.problem = problem
        self.message = message
        self.line = line
        self.column = column
        self.excerpt = excerpt
    }

    /// The excerpt with a caret under the spot.
    public var pointer: String {
        "  " + excerpt + "\n  " + String(repeating: " ", count: max(0, column - 1)) + "^"
    }

    public var description: String { "line \(line), column \(column): \(message)\n\(pointer)" }
}
