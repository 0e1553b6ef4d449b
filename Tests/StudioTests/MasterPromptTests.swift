import Studio
import TestSupport
import Testing

/// The master-prompt grammar: what it renders, and every malformed prompt refused with the
/// problem and the spot (line, column, caret).
@Suite(.onTestThreads) struct MasterPromptTests {
    let traits = [
        TraitType(name: "background", values: [.init(name: "beach", prompt: "on a beach"), .init(name: "none", prompt: "")]),
        TraitType(name: "hat", values: [.init(name: "top hat", prompt: "top hat"), .init(name: "none", prompt: "")]),
        TraitType(name: "eyes", values: [.init(name: "blue", prompt: "blue"), .init(name: "green", prompt: "green")]),
        TraitType(name: "glasses", values: [.init(name: "round", prompt: "round glasses")]),
    ]

    @Test func slotsInsertAndSectionsDropWhenTheirTraitIsEmpty() throws {
        let prompt = try MasterPrompt("a cat with [[eyes]] eyes[, wearing a [[hat]]] [[background]], photo", traits: traits)
        #expect(prompt.traitNames == ["eyes", "hat", "background"])
        #expect(prompt.render(["eyes": "blue", "hat": "top hat", "background": "on a beach"]) == "a cat with blue eyes, wearing a top hat on a beach, photo")
        #expect(prompt.render(["eyes": "green", "hat": "", "background": ""]) == "a cat with green eyes, photo")
        // Nested: the outer section has no slot of its own and is kept when the inner one is.
        let nested = try MasterPrompt("x [outer [inner [[hat]]]] y", traits: traits)
        #expect(nested.render(["hat": "top hat"]) == "x outer inner top hat y")
        #expect(nested.render(["hat": ""]) == "x y")
        // Escapes write the character itself.
        let escaped = try MasterPrompt(#"a \[sic\] \{note\} [[eyes]]"#, traits: traits)
        #expect(escaped.render(["eyes": "blue"]) == "a [sic] {note} blue")
    }

    @Test func exclusionsAreDeclaredForEverySlotOfTheSection() throws {
        let prompt = try MasterPrompt("[with [[hat]]]{glasses, background} [[glasses]] [[background]]", traits: traits)
        #expect(prompt.exclusions == [.init(trait: "hat", excluded: "glasses"), .init(trait: "hat", excluded: "background")])
        #expect(prompt.render(["hat": "top hat", "glasses": "", "background": ""]) == "with top hat")
    }

    /// The prompt, the problem, and the column of the spot.
    static let malformed: [(String, PromptGrammarError.Problem, Int, Int)] = [
        ("a cat [with [[hat]]", .unbalancedBrackets, 1, 7),
        ("a cat with [[hat]]]", .unbalancedBrackets, 1, 19),
        ("a cat with [[hat]", .unbalancedBrackets, 1, 12),
        ("a cat [[]] here", .emptySlot, 1, 7),
        ("a cat [[   ]] here", .emptySlot, 1, 7),
        ("a cat\nwith a [[ crown ]]", .unknownTrait, 2, 11),
        ("[a [[hat]]]{crown}", .unknownTrait, 1, 13),
        ("[a [[hat]]]{glasses,, eyes}", .malformedExclusion, 1, 21),
        ("[a [[hat]]]{}", .malformedExclusion, 1, 13),
        ("a {b} [[hat]]", .malformedExclusion, 1, 3),
        ("[a [[hat]]]{glasses", .unbalancedBrackets, 1, 12),
        ("a } [[hat]]", .unbalancedBrackets, 1, 3),
        ("a [just text] [[hat]]", .sectionWithoutTrait, 1, 3),
    ]

    @Test(arguments: 0..<malformed.count)
    func aMalformedPromptIsRefusedAtItsSpot(_ index: Int) {
        let (source, problem, line, column) = Self.malformed[index]
        do {
            _ = try MasterPrompt(source, traits: traits)
            Issue.record("\(source) was accepted")
        } catch {
            #expect(error.problem == problem && error.line == line && error.column == column, "\(source): \(error)")
            // The caret sits under the spot of the line quoted.
            let lines = error.pointer.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].count == column + 2 && lines[1].last == "^", "\(error.pointer)")
            #expect(error.description.hasPrefix("line \(line), column \(column): "))
        }
    }

    @Test func exclusionsThatLeaveNoValidPickAreRefused() {
        // eyes and glasses can never be empty: excluding one another leaves no piece.
        #expect(throws: PromptGrammarError.self) { try MasterPrompt("[[[eyes]]]{glasses} [[[glasses]]]{eyes}", traits: traits) }
        do {
            _ = try MasterPrompt("[[[eyes]]]{glasses} [[[glasses]]]{eyes}", traits: traits)
        } catch {
            #expect(error.problem == .exclusionConflict && error.column == 12 && error.message.contains("\"glasses\" excludes \"eyes\""), "\(error)")
        }
        #expect(throws: PromptGrammarError.self) { try MasterPrompt("[[[eyes]]]{eyes}", traits: traits) }
        // A trait that can be empty resolves the same cycle: hat and background exclude each other.
        #expect(throws: Never.self) { try MasterPrompt("[[[hat]]]{background} [[[background]]]{hat}", traits: traits) }
    }
}
