/// The paper's context-free grammar `S → x | S+S | S−S | S*S | S/S` and a seeded sampler
/// of its strings.
///
/// A derivation expands a node into `x` with probability ``stopProbability`` (and always at
/// depth ``maximumDepth``), otherwise into `S op S` with `op` uniform over `+ − * /`,
/// children one level deeper. A string longer than ``maximumLength`` is drawn again. Every
/// draw is addressed: example `i` of a sample set uses stream `data`, step `i`, row
/// `attempt`, indices in derivation order, so a data set depends only on the seed.
///
/// The language is exactly `x (op x)*` (every derivation yields x's alternating with
/// operators, and every such string has a derivation), which is how ``derives(_:)`` decides.
public struct Grammar: Sendable, Equatable, Codable {
    public var stopProbability: Double
    public var maximumDepth: Int
    public var maximumLength: Int

    public init(stopProbability: Double = 0.4, maximumDepth: Int = 5, maximumLength: Int = 12) {
        precondition(
            stopProbability > 0 && stopProbability <= 1 && maximumDepth >= 0 && maximumLength >= 1,
            "Grammar: stop probability in (0, 1], depth ≥ 0, length ≥ 1")
        self.stopProbability = stopProbability
        self.maximumDepth = maximumDepth
        self.maximumLength = maximumLength
    }

    static let operators: [Character] = ["+", "-", "*", "/"]

    /// Whether the grammar derives `string`.
    public static func derives(_ string: String) -> Bool {
        var expectSymbol = true
        for c in string {
            if expectSymbol {
                guard c == "x" else { return false }
            } else {
                guard operators.contains(c) else { return false }
            }
            expectSymbol.toggle()
        }
        return !string.isEmpty && !expectSymbol
    }

    /// Example `index` of the sample set `set` (distinct sets: training, held-out, reference).
    public func sample(_ index: Int, set: SampleSet, random: CounterRandom) -> String {
        var attempt = 0
        while true {
            var cursor = DrawCursor(random: random, step: set.rawValue + index, row: attempt)
            var out = ""
            expand(depth: 0, into: &out, cursor: &cursor)
            if out.count <= maximumLength { return out }
            attempt += 1
        }
    }

    /// `count` examples `0..<count` of `set`.
    public func samples(_ count: Int, set: SampleSet, random: CounterRandom) -> [String] {
        (0..<count).map { sample($0, set: set, random: random) }
    }

    private func expand(depth: Int, into out: inout String, cursor: inout DrawCursor) {
        if depth >= maximumDepth || Double(cursor.next()) < stopProbability {
            out.append("x")
            return
        }
        let op = Self.operators[min(Int(cursor.next() * 4), 3)]
        expand(depth: depth + 1, into: &out, cursor: &cursor)
        out.append(op)
        expand(depth: depth + 1, into: &out, cursor: &cursor)
    }

    /// Disjoint families of examples, as offsets of the `step` coordinate.
    public enum SampleSet: Int, Sendable {
        case training = 0
        case heldOut = 100_000_000
        case reference = 200_000_000
    }
}

/// Consecutive uniform draws at one `(data, step, row)` address.
struct DrawCursor {
    let random: CounterRandom
    let step: Int, row: Int
    var index = 0

    init(random: CounterRandom, step: Int, row: Int) {
        self.random = random
        self.step = step
        self.row = row
    }

    mutating func next() -> Float {
        defer { index += 1 }
        return CounterRandom.openUnit(random.bits(.data, step: step, row: row, index: index))
    }
}
