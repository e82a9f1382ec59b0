import Foundation

/// How good a set of generated strings is, against the training data.
public struct SampleMetrics: Sendable, Equatable, Codable {
    /// Number of generated strings scored.
    public var count: Int
    /// Fraction of the strings that are valid (see ``Dataset/isValid(_:)``).
    public var validity: Double
    /// Distinct strings / count.
    public var uniqueness: Double
    /// Fraction of the valid strings that are not in the training set (0 when none is valid).
    public var novelty: Double
    /// Distinct valid strings / distinct strings among as many draws from the data sampler.
    public var coverage: Double
    /// Jensen–Shannon divergence (bits, in [0, 1]) between the length distributions (in
    /// symbols) of the samples and of the training strings.
    public var lengthJS: Double
    /// Jensen–Shannon divergence (bits) between their symbol-bigram distributions, each
    /// string bracketed by start and end markers.
    public var bigramJS: Double

    private enum CodingKeys: String, CodingKey {
        case count, validity, uniqueness, novelty, coverage
        case lengthJS = "length_js"
        case bigramJS = "bigram_js"
    }

    /// What scoring needs of the training strings, computed once per data set (a data set of
    /// 1.6 million strings has 90 million bigrams).
    /// Lengths and bigrams count the data's symbols: characters, or what `symbols` splits a
    /// string into (words, for word data).
    public struct Reference: Sendable {
        let strings: Set<String>
        let lengths: [Int: Double]
        let bigrams: [Bigram: Double]
        let symbols: Symbols?

        public init(training: [String], symbols: Symbols? = nil) {
            strings = Set(training)
            self.symbols = symbols
            lengths = histogram(training.lazy.map { symbolCount($0, symbols) })
            bigrams = bigramHistogram(training, symbols: symbols)
        }
    }

    /// Splits a string into its symbols; nil means its characters.
    public typealias Symbols = @Sendable (String) -> [String]

    /// Scores `samples` (padding at the end removed) against `training` and `reference`
    /// (as many strings from the data sampler as there are samples).
    public static func score(
        _ samples: [String], training: [String], reference: [String],
        isValid: (String) -> Bool
    ) -> SampleMetrics {
        score(samples, training: Reference(training: training), reference: reference, isValid: isValid)
    }

    /// The same with the training strings' figures computed already.
    public static func score(
        _ samples: [String], training: Reference, reference: [String],
        isValid: (String) -> Bool
    ) -> SampleMetrics {
        score(samples, training: training, reference: reference, isValid: isValid, checkpoint: {})
    }

    /// The same, calling `checkpoint` between its passes and every 10,000 strings of the
    /// longest one (it may throw: a long evaluation can be given up).
    static func score(
        _ samples: [String], training: Reference, reference: [String],
        isValid: (String) -> Bool, checkpoint: () throws -> Void
    ) rethrows -> SampleMetrics {
        let n = samples.count
        precondition(n > 0, "SampleMetrics: no samples")
        let valid = samples.filter(isValid)
        try checkpoint()
        let distinctReference = Set(reference).count
        try checkpoint()
        let bigrams = try bigramHistogram(samples, symbols: training.symbols, checkpoint: checkpoint)
        try checkpoint()
        return SampleMetrics(
            count: n,
            validity: Double(valid.count) / Double(n),
            uniqueness: Double(Set(samples).count) / Double(n),
            novelty: valid.isEmpty ? 0 : Double(valid.filter { !training.strings.contains($0) }.count) / Double(valid.count),
            coverage: distinctReference == 0 ? 0 : Double(Set(valid).count) / Double(distinctReference),
            lengthJS: jensenShannon(histogram(samples.lazy.map { symbolCount($0, training.symbols) }), training.lengths),
            bigramJS: jensenShannon(bigrams, training.bigrams))
    }

    /// Two adjacent symbols of a string bracketed by start and end markers (`\u{2}`,
    /// `\u{3}`), so that markers never clash with symbols.
    struct Bigram: Hashable, Sendable, CustomStringConvertible {
        let first: String, second: String
        /// As the pair was once keyed (a two-element array), which fixes the summation order.
        var description: String { "\([first, second])" }
    }

    /// The number of symbols of `s`.
    static func symbolCount(_ s: String, _ symbols: Symbols?) -> Int { symbols?(s).count ?? s.count }

    /// The relative frequencies of the symbol bigrams of `strings`, counted without keeping them.
    static func bigramHistogram(_ strings: [String], symbols: Symbols? = nil) -> [Bigram: Double] {
        bigramHistogram(strings, symbols: symbols, checkpoint: {})
    }

    static func bigramHistogram(
        _ strings: [String], symbols: Symbols?, checkpoint: () throws -> Void
    ) rethrows -> [Bigram: Double] {
        var counts: [Bigram: Double] = [:]
        var total = 0
        func count(_ symbols: some Sequence<String>) -> Int {
            var (previous, n) = ("\u{2}", 0)
            for symbol in symbols {
                counts[Bigram(first: previous, second: symbol), default: 0] += 1
                previous = symbol
                n += 1
            }
            counts[Bigram(first: previous, second: "\u{3}"), default: 0] += 1
            return n + 1
        }
        for (i, s) in strings.enumerated() {
            if i % 10_000 == 0 { try checkpoint() }
            total += symbols.map { count($0(s)) } ?? count(s.lazy.map { String($0) })
        }
        return counts.mapValues { $0 / max(Double(total), 1) }
    }

    static func histogram<S: Sequence>(_ values: S) -> [S.Element: Double] where S.Element: Hashable {
        var counts: [S.Element: Double] = [:]
        var total = 0
        for v in values {
            counts[v, default: 0] += 1
            total += 1
        }
        return counts.mapValues { $0 / max(Double(total), 1) }
    }

    /// `½ KL(P‖M) + ½ KL(Q‖M)`, `M = (P + Q)/2`, in bits, summed in a fixed order of the
    /// keys (hash order changes from process to process).
    static func jensenShannon<T: Hashable>(_ p: [T: Double], _ q: [T: Double]) -> Double {
        var js = 0.0
        for key in Set(p.keys).union(q.keys).sorted(by: { "\($0)" < "\($1)" }) {
            let a = p[key] ?? 0, b = q[key] ?? 0, m = (a + b) / 2
            if a > 0 { js += 0.5 * a * Foundation.log2(a / m) }
            if b > 0 { js += 0.5 * b * Foundation.log2(b / m) }
        }
        return max(0, js)
    }
}
