import Studio
import TestSupport
import Testing

@Suite(.onTestThreads) struct PointsPolicyTests {
    let policy = PointsPolicy()

    @Test func capacityFollowsStanding() {
        #expect(policy.capacity(standing: 0) == 370)
        #expect(policy.capacity(standing: 540) == 371)
        #expect(policy.capacity(standing: 1_000_000) == 2_221)
        #expect(policy.capacity(standing: -5) == 370)
    }

    @Test func levelIsTheExactCubeRootOfExp() {
        let cases = [(0, 0), (1, 1), (7, 1), (8, 2), (26, 2), (27, 3), (999, 9), (1_000, 10), (1_000_999, 100),
                     (1_030_300, 100), (1_030_301, 101), (Int.max, 2_097_151)]
        for (exp, level) in cases { #expect(policy.level(exp: exp) == level, "exp \(exp)") }
    }

    @Test func estimatesFollowTheFormula() {
        // text2img 1024×1024, 30 steps: 10 + 5 × 4 areas + 5 for 10 steps over 20
        #expect(policy.estimate(isTextToImage: true, width: 1024, height: 1024, steps: 30, batch: 1) == 35)
        // img2img 512×512, 20 steps, batch 2: (20 + 5) × 2
        #expect(policy.estimate(isTextToImage: false, width: 512, height: 512, steps: 20, batch: 2) == 50)
        // 768×768 is 2.25 areas, rounded up to 3; 25 steps give 2 extra
        #expect(policy.estimate(isTextToImage: true, width: 768, height: 768, steps: 25, batch: 1) == 27)
    }

    @Test func costIsRunSecondsTimesTheRateRoundedUp() {
        #expect(policy.cost(runSeconds: 12.3) == 25)
        #expect(policy.cost(runSeconds: 10) == 20)
        #expect(policy.cost(runSeconds: 10, pointsPerSecond: 3.5) == 35)
        #expect(policy.cost(runSeconds: 0) == 0)
    }
}
