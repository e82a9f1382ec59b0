import Foundation
import Testing

@testable import GumbelGAN

@Suite struct MetricsTests {
    @Test func handMadeSamples() {
        let m = SampleMetrics.score(
            ["x", "x+x", "x+x", "xx", "x*x"], training: ["x", "x+x"],
            reference: ["x", "x", "x+x", "x-x", "x*x"], isValid: Grammar.derives)
        #expect(m.count == 5)
        #expect(m.validity == 0.8)  // "xx" is not derived
        #expect(m.uniqueness == 0.8)  // 4 distinct of 5
        #expect(m.novelty == 0.25)  // of 4 valid, only "x*x" is new
        #expect(m.coverage == 0.75)  // {x, x+x, x*x} of the reference's {x, x+x, x-x, x*x}
        // Lengths: samples {1: .2, 2: .2, 3: .6}, training {1: .5, 3: .5}, M = {1: .35, 2: .1, 3: .55}.
        let kl1 = 0.2 * log2(0.2 / 0.35) + 0.2 * log2(0.2 / 0.1) + 0.6 * log2(0.6 / 0.55)
        let kl2 = 0.5 * log2(0.5 / 0.35) + 0.5 * log2(0.5 / 0.55)
        #expect(abs(m.lengthJS - (kl1 + kl2) / 2) < 1e-12)
        #expect(m.bigramJS > 0 && m.bigramJS < 1)
    }

    @Test func jensenShannonBounds() {
        #expect(SampleMetrics.jensenShannon(["a": 0.5, "b": 0.5], ["a": 0.5, "b": 0.5]) == 0)
        #expect(abs(SampleMetrics.jensenShannon(["a": 1], ["b": 1]) - 1) < 1e-12)
        let same = SampleMetrics.score(["x+x", "x"], training: ["x", "x+x"], reference: ["x", "x+x"], isValid: Grammar.derives)
        #expect(same.lengthJS == 0 && same.bigramJS == 0 && same.coverage == 1 && same.novelty == 0)
    }

    @Test func bigramsCarryStartAndEndMarkers() {
        typealias B = SampleMetrics.Bigram
        #expect(
            SampleMetrics.bigramHistogram(["x+x", ""])
                == [
                    B(first: "\u{2}", second: "x"): 0.2, B(first: "x", second: "+"): 0.2, B(first: "+", second: "x"): 0.2,
                    B(first: "x", second: "\u{3}"): 0.2, B(first: "\u{2}", second: "\u{3}"): 0.2,
                ])
        #expect(B(first: "x", second: "+").description == "\(["x", "+"])")
    }

    /// Word data: lengths and bigrams count words. "a bbb" has the length of "aa b" in words
    /// (not in characters), and no bigram in common with it.
    @Test func wordDataCountsWords() {
        let words = SampleMetrics.score(
            ["a bbb"], training: SampleMetrics.Reference(training: ["aa b"], symbols: { Tokenization.words.tokens(of: $0) }), reference: ["aa b"],
            isValid: { _ in true })
        #expect(words.lengthJS == 0 && abs(words.bigramJS - 1) < 1e-12)
        let characters = SampleMetrics.score(["a bbb"], training: ["aa b"], reference: ["aa b"], isValid: { _ in true })
        #expect(abs(characters.lengthJS - 1) < 1e-12 && characters.bigramJS < 1)
        typealias B = SampleMetrics.Bigram
        let histogram = SampleMetrics.bigramHistogram(["aa b"], symbols: { Tokenization.words.tokens(of: $0) })
        #expect(Set(histogram.keys) == [B(first: "\u{2}", second: "aa"), B(first: "aa", second: "b"), B(first: "b", second: "\u{3}")])
        #expect(histogram.values.allSatisfy { abs($0 - 1.0 / 3) < 1e-12 })
    }

    @Test func noValidSamples() {
        let m = SampleMetrics.score(["+", "+"], training: ["x"], reference: ["x"], isValid: Grammar.derives)
        #expect(m.validity == 0 && m.novelty == 0 && m.coverage == 0 && m.uniqueness == 0.5)
    }
}
