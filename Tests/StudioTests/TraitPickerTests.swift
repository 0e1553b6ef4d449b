import Studio
import TestSupport
import Testing

/// Weighted, seeded trait draws: reproducible, in proportion to the weights, never against an
/// exclusion.
@Suite(.onTestThreads) struct TraitPickerTests {
    let traits = [
        TraitType(name: "background", values: [.init(name: "beach", prompt: "on a beach", weight: 6), .init(name: "city", prompt: "in a city", weight: 3),
                                               .init(name: "none", prompt: "", weight: 1), .init(name: "never", prompt: "never", weight: 0)]),
        TraitType(name: "hat", values: [.init(name: "top hat", prompt: "top hat", weight: 1), .init(name: "none", prompt: "", weight: 1)]),
        TraitType(name: "glasses", values: [.init(name: "round", prompt: "round glasses", weight: 3), .init(name: "none", prompt: "", weight: 1)]),
    ]

    func series(_ prompt: String, seed: UInt64 = 2_024) -> GenerativeSeries {
        GenerativeSeries(supply: 100, prompt: prompt, traits: traits, seed: seed)
    }

    @Test func theSameSeedGivesTheSamePiecesAndAnotherSeedOthers() throws {
        let one = series("[[background]] [[hat]] [[glasses]]"), prompt = try one.masterPrompt()
        let first = (1...50).map { one.draw(piece: $0, prompt: prompt) }
        let again = (1...50).map { one.draw(piece: $0, prompt: prompt) }
        #expect(first.map(\.prompt) == again.map(\.prompt) && first.map(\.seed) == again.map(\.seed))
        // A piece's draw does not depend on the ones before it.
        #expect(one.draw(piece: 37, prompt: prompt).prompt == first[36].prompt)
        let other = series("[[background]] [[hat]] [[glasses]]", seed: 2_025)
        #expect((1...50).map { other.draw(piece: $0, prompt: prompt).prompt } != first.map(\.prompt))
        #expect(one.configHash != other.configHash && one.configHash.count == 16)
        var more = one
        more.supply = 500
        #expect(more.configHash == one.configHash, "the supply does not change what a piece is")
    }

    @Test func drawsFollowTheWeights() throws {
        let one = series("[[background]] [[hat]] [[glasses]]"), prompt = try one.masterPrompt()
        let draws = 20_000
        var counts: [String: Int] = [:]
        for number in 1...draws { counts[one.draw(piece: number, prompt: prompt).traits["background"]!.name, default: 0] += 1 }
        #expect(counts["never"] == nil, "a weight of 0 is never drawn")
        for (name, weight) in [("beach", 0.6), ("city", 0.3), ("none", 0.1)] {
            let share = Double(counts[name] ?? 0) / Double(draws)
            // Four standard deviations of a binomial share at 20 000 draws is below 0.015.
            #expect(abs(share - weight) < 0.015, "\(name): \(share) against \(weight)")
        }
    }

    @Test func exclusionsAreNeverViolated() throws {
        // A hat excludes glasses and the background; without a hat, glasses keep their 3:1 odds.
        let one = series("[wearing a [[hat]]]{glasses, background} [[glasses]] [[background]]"), prompt = try one.masterPrompt()
        var hats = 0, glassesWithoutHat = 0, withoutHat = 0
        for number in 1...10_000 {
            let draw = one.draw(piece: number, prompt: prompt)
            if !draw.traits["hat"]!.isEmpty {
                hats += 1
                #expect(draw.traits["glasses"]!.isEmpty && draw.traits["background"]!.isEmpty, "piece \(number): \(draw.traits)")
                #expect(!draw.prompt.contains("glasses") && !draw.prompt.contains("beach") && !draw.prompt.contains("city"))
            } else {
                withoutHat += 1
                if !draw.traits["glasses"]!.isEmpty { glassesWithoutHat += 1 }
                #expect(!draw.prompt.contains("wearing"))
            }
        }
        #expect(abs(Double(hats) / 10_000 - 0.5) < 0.02)
        #expect(abs(Double(glassesWithoutHat) / Double(withoutHat) - 0.75) < 0.03)
    }

    @Test func aTraitThatCanNeverBeEmptyWinsOverOneThatCan() throws {
        // glasses always drawn: the hat that excludes them is then always empty.
        var forced = traits
        forced[2].values = [.init(name: "round", prompt: "round glasses")]
        let one = GenerativeSeries(supply: 10, prompt: "[[[hat]]]{glasses} [[glasses]]", traits: forced, seed: 1)
        let prompt = try one.masterPrompt()
        for number in 1...500 { #expect(one.draw(piece: number, prompt: prompt).traits["hat"]!.isEmpty) }
    }

    @Test func badTraitsAreRefusedBeforeAnyPrompt() {
        let invalid: [[TraitType]] = [
            [TraitType(name: "a", values: [])],
            [TraitType(name: "a", values: [.init(name: "x", prompt: "x", weight: 0)])],
            [TraitType(name: "a", values: [.init(name: "x", prompt: "x", weight: -1), .init(name: "y", prompt: "y")])],
            [TraitType(name: "a", values: [.init(name: "x", prompt: "x")]), TraitType(name: "a", values: [.init(name: "x", prompt: "x")])],
            [TraitType(name: "a,b", values: [.init(name: "x", prompt: "x")])],
            [TraitType(name: "a", values: [.init(name: "x", prompt: "x"), .init(name: "x", prompt: "y")])],
        ]
        for traits in invalid {
            #expect(throws: StudioError.self, "\(traits)") { try GenerativeSeries(supply: 1, prompt: "x", traits: traits).masterPrompt() }
        }
        #expect(throws: StudioError.self) { try GenerativeSeries(supply: 0, prompt: "x", traits: []).masterPrompt() }
    }
}
