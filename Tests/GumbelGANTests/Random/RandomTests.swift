import Foundation
import Testing

@testable import GumbelGAN

@Suite struct PhiloxTests {
    /// Random123's known-answer vectors for Philox4x32-10.
    @Test(
        arguments: [
            ((0, 0, 0, 0), (0, 0), (0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
            (
                (0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF), (0xFFFF_FFFF, 0xFFFF_FFFF),
                (0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)
            ),
            (
                (0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), (0xA409_3822, 0x299F_31D0),
                (0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)
            ),
        ] as [((UInt32, UInt32, UInt32, UInt32), (UInt32, UInt32), (UInt32, UInt32, UInt32, UInt32))])
    func knownAnswers(
        counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32),
        expected: (UInt32, UInt32, UInt32, UInt32)
    ) {
        let out = Philox.block(counter, key: key)
        #expect([out.0, out.1, out.2, out.3] == [expected.0, expected.1, expected.2, expected.3])
    }

    /// Eight blocks in vector lanes equal the scalar blocks, whatever the counters' bits.
    @Test func vectorBlocksEqualScalarBlocks() {
        let key: Philox.Key = (0xDEAD_BEEF, 0x0123_4567)
        let c0 = SIMD8<UInt32>(0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF, 12345, 0xA5A5_A5A5)
        let (w0, w1, w2, w3) = Philox.blocks(c0, 0xFFFF_FFFF, 7, 0x8000_0001, key: key)
        for l in 0..<8 {
            let b = Philox.block((c0[l], 0xFFFF_FFFF, 7, 0x8000_0001), key: key)
            #expect([w0[l], w1[l], w2[l], w3[l]] == [b.0, b.1, b.2, b.3], "lane \(l)")
        }
    }

    @Test func drawsAreAddressedByCoordinates() {
        let random = CounterRandom(seed: 0x1234_5678_9ABC)
        // A run filled from any starting index equals the single draws at those addresses.
        for (first, count) in [(3, 11), (0, 32), (6, 75), (1, 1), (29, 3), (0, 72), (5, 200), (0x3_FFFF_FFF0, 64)] {
            var run = [Float](repeating: 0, count: count)
            run.withUnsafeMutableBufferPointer {
                random.fillUniform($0.baseAddress!, count: count, .generatorGumbel, step: 5, row: 17, from: first)
            }
            for i in 0..<count {
                let bits = random.bits(.generatorGumbel, step: 5, row: 17, index: first + i)
                #expect(run[i] == CounterRandom.openUnit(bits), "run from \(first), value \(i)")
            }
        }
        // Every coordinate changes the draw.
        let base = random.bits(.generatorGumbel, step: 5, row: 17, index: 3)
        #expect(CounterRandom(seed: 0x1234_5678_9ABD).bits(.generatorGumbel, step: 5, row: 17, index: 3) != base)
        #expect(CounterRandom(seed: 0x1234_5678_9ABC | 1 << 40).bits(.generatorGumbel, step: 5, row: 17, index: 3) != base)
        #expect(random.bits(.realGumbel, step: 5, row: 17, index: 3) != base)
        #expect(random.bits(.generatorGumbel, step: 6, row: 17, index: 3) != base)
        #expect(random.bits(.generatorGumbel, step: 5, row: 18, index: 3) != base)
        #expect(random.bits(.generatorGumbel, step: 5, row: 17, index: 7) != base)
    }

    @Test func uniformsStayInsideTheOpenInterval() {
        #expect(CounterRandom.openUnit(0) > 0)
        #expect(CounterRandom.openUnit(.max) < 1)
        // The eight-lane conversion gives the same values, the extremes included.
        let words = SIMD8<UInt32>(0, .max, 1 << 9, 0x8000_0000, 0x7FFF_FFFF, 511, 0xDEAD_BEEF, 0x0123_4567)
        let lanes = CounterRandom.openUnit(words)
        for l in 0..<8 { #expect(lanes[l] == CounterRandom.openUnit(words[l]), "word \(words[l])") }
        for bits: UInt32 in [0, .max] {
            let gumbel = -log(-log(CounterRandom.openUnit(bits)))
            #expect(gumbel.isFinite)
        }
    }
}

@Suite struct DistributionTests {
    /// Mean and variance of `n` values drawn by `fill` over rows of 1000.
    func moments(_ n: Int, _ fill: (UnsafeMutablePointer<Float>, Int) -> Void) -> (mean: Double, variance: Double) {
        var values = [Float](repeating: 0, count: 1000)
        var sum = 0.0, sumSquares = 0.0
        for row in 0..<(n / 1000) {
            values.withUnsafeMutableBufferPointer { fill($0.baseAddress!, row) }
            for v in values {
                sum += Double(v)
                sumSquares += Double(v) * Double(v)
            }
        }
        let mean = sum / Double(n)
        return (mean, sumSquares / Double(n) - mean * mean)
    }

    /// Gumbel(0, 1) has mean γ ≈ 0.5772 and variance π²/6 ≈ 1.6449. Over 10^6 draws the
    /// standard errors are 0.0013 and 0.0035; the tolerances are 4–6 of them. A broken
    /// transform fails: `-log u` (exponential: mean 1, variance 1), `log(-log u)`
    /// (mean −0.58) or a missing minus sign would all be far outside.
    @Test func gumbelMoments() {
        let random = CounterRandom(seed: 42)
        let m = moments(1_000_000) { random.fillGumbel($0, count: 1000, .generatorGumbel, step: 3, row: $1) }
        #expect(abs(m.mean - 0.577_215_66) < 0.005, "mean \(m.mean)")
        #expect(abs(m.variance - Double.pi * Double.pi / 6) < 0.02, "variance \(m.variance)")
    }

    @Test func uniformAndNormalMoments() {
        let random = CounterRandom(seed: 7)
        let u = moments(1_000_000) { random.fillUniform($0, count: 1000, .data, step: 0, row: $1) }
        #expect(abs(u.mean - 0.5) < 0.0015, "uniform mean \(u.mean)")
        #expect(abs(u.variance - 1.0 / 12) < 0.0005, "uniform variance \(u.variance)")
        let z = moments(200_000) { random.fillNormal($0, count: 1000, .initialization, step: 0, row: $1) }
        #expect(abs(z.mean) < 0.01, "normal mean \(z.mean)")
        #expect(abs(z.variance - 1) < 0.02, "normal variance \(z.variance)")
    }
}
