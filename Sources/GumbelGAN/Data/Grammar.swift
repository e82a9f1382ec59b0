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
    /// An attempt stops as soon as its string passes ``maximumLength`` (draws are addressed by
    /// attempt, so this changes no string), which bounds its work whatever the depth.
    public func sample(_ index: Int, set: SampleSet, random: CounterRandom) -> String {
        var attempt = 0
        while true {
            var cursor = DrawCursor(random: random, step: set.rawValue + index, row: attempt)
            if let out = derivation(cursor: &cursor) { return out }
            attempt += 1
        }
    }

    /// `count` examples `0..<count` of `set`.
    public func samples(_ count: Int, set: SampleSet, random: CounterRandom) -> [String] {
        (0..<count).map { sample($0, set: set, random: random) }
    }

    /// One derivation, nil once it is longer than ``maximumLength``. Depth first, left before
    /// right, on an explicit stack (a deep derivation does not use the call stack): a node
    /// draws whether it stops (below the maximum depth), then its operator, then its children.
    func derivation(cursor: inout DrawCursor) -> String? {
        enum Work {
            case expand(depth: Int)
            case write(Character)
        }
        var out = "", length = 0
        var stack: [Work] = [.expand(depth: 0)]
        while let work = stack.popLast() {
            switch work {
            case .write(let op):
                out.append(op)
                length += 1
            case .expand(let depth):
                if depth >= maximumDepth || Double(cursor.next()) < stopProbability {
                    out.append("x")
                    length += 1
                } else {
                    let op = Self.operators[min(Int(cursor.next() * 4), 3)]
                    stack += [.expand(depth: depth + 1), .write(op), .expand(depth: depth + 1)]
                }
            }
            if length > maximumLength { return nil }
        }
        return out
    }

    /// The probability that one attempt yields a string of at most ``maximumLength``
    /// symbols (a lower bound when that length passes 399): by dynamic programming over the
    /// depth, `f_k(n)` the probability that a node `k` levels above the maximum depth derives
    /// `n` x's. A tree of `n` leaves is at most `n − 1` deep, so `n` levels suffice.
    public var acceptance: Double {
        let n = min((maximumLength + 1) / 2, 200)  // n x's make 2n − 1 symbols
        var f = [Double](repeating: 0, count: n + 1)
        f[1] = 1  // at the maximum depth
        for _ in 0..<min(maximumDepth, n) {
            var g = [Double](repeating: 0, count: n + 1)
            g[1] = stopProbability
            for total in 2...max(2, n) where total <= n {
                var sum = 0.0
                for left in 1..<total { sum += f[left] * f[total - left] }
                g[total] = (1 - stopProbability) * sum
            }
            f = g
        }
        return f.reduce(0, +)
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
