import Studio
import TestSupport
import Testing

/// The training price: 86 400 less at most 75 %, three parts of at most 25 % each, each growing
/// with what it measures.
@Suite(.onTestThreads) struct TrainingPriceTests {
    @Test func aNewcomerPaysTheFullPriceAndTheBestPayAQuarter() {
        #expect(TrainingPrice(standing: 0, exp: 0, level: 0).amount == 86_400)
        let best = TrainingPrice(standing: 1_000_000_000_000, exp: 1_000_000_000_000, level: 10_000)
        #expect(best.discount == 7_500 && best.amount == 21_600)
        #expect([best.standingDiscount, best.spendDiscount, best.levelDiscount] == [2_500, 2_500, 2_500])
    }

    @Test func eachPartIsCappedAtAQuarterAndTheFormulaIsAsDocumented() {
        #expect(TrainingPrice(standing: 5_000_000, exp: 0, level: 0).discount == 1_250)
        #expect(TrainingPrice(standing: 5_000_000, exp: 0, level: 0).amount == 75_600)
        #expect(TrainingPrice(standing: 0, exp: 250_000, level: 0).spendDiscount == 625)
        #expect(TrainingPrice(standing: 0, exp: 0, level: 50).levelDiscount == 1_250)
        #expect(TrainingPrice(standing: 20_000_000, exp: 0, level: 0).discount == 2_500)
        #expect(TrainingPrice(standing: -5, exp: -1, level: -1).amount == 86_400)
    }

    @Test func thePriceNeverRisesWhenAnyPartGrows() {
        var previous = Int.max
        for step in 0...200 {
            let price = TrainingPrice(standing: step * 60_000, exp: step * 6_000, level: step).amount
            #expect(price <= previous && price >= 21_600 && price <= 86_400)
            previous = price
        }
        let policy = PointsPolicy()
        for exp in stride(from: 0, through: 2_000_000, by: 37_777) {
            let here = TrainingPrice(standing: 0, exp: exp, level: policy.level(exp: exp)).amount
            let more = TrainingPrice(standing: 0, exp: exp + 1_000, level: policy.level(exp: exp + 1_000)).amount
            #expect(more <= here)
        }
    }
}
