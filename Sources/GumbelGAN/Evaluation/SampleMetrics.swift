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
    /// Jensen–Shannon divergence (bits, in [0, 1]) between the length distributions of the
    /// samples and of the training strings.
    public var lengthJS: Double
    /// Jensen–Shannon divergence (bits) between their symbol-bigram distributions, each
    /// string bracketed by start and end markers.
    public var bigramJS: Double

    private enum CodingKeys: String, CodingKey {
        case count, validity, uniqueness, novelty, coverage
        case lengthJS = "length_js"
        case bigramJS = "bigram_js"
    }

    /// Scores `samples` (padding at the end removed) against `training` and `reference`
    /// (as many strings from the data sampler as there are samples).
    public static func score(
        _ samples: [String], training: [String], reference: [String],
        isValid: (String) -> Bool
    ) -> SampleMetrics {
        let n = samples.count
        precondition(n > 0, "SampleMetrics: no samples")
        let valid = samples.filter(isValid)
        let trainingSet = Set(training)
        let distinctReference = Set(reference).count
        return SampleMetrics(
            count: n,
            validity: Double(valid.count) / Double(n),
            uniqueness: Double(Set(samples).count) / Double(n),
            novelty: valid.isEmpty ? 0 : Double(valid.filter { !trainingSet.contains($0) }.count) / Double(valid.count),
            coverage: distinctReference == 0 ? 0 : Double(Set(valid).count) / Double(distinctReference),
            lengthJS: jensenShannon(histogram(samples.map(\.count)), histogram(training.map(\.count))),
            bigramJS: jensenShannon(histogram(samples.flatMap(bigrams)), histogram(training.flatMap(bigrams))))
    }

    /// The bigrams of `s` with `^` before and `$` after (as two-element strings keyed by
    /// position so that markers never clash with symbols).
    static func bigrams(_ s: String) -> [[String]] {
        let symbols = ["\u{2}"] + s.map { String($0) } + ["\u{3}"]
        return (0..<(symbols.count - 1)).map { [symbols[$0], symbols[$0 + 1]] }
    }

    static func histogram<T: Hashable>(_ values: [T]) -> [T: Double] {
        var counts: [T: Double] = [:]
        for v in values { counts[v, default: 0] += 1 }
        let total = Double(values.count)
        return counts.mapValues { $0 / max(total, 1) }
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
