/// The training examples grouped by length, for maximum-likelihood batches that skip the
/// padding: the examples sorted by length (ties by index) and cut into `count` runs of equal
/// size (to within one). Each batch comes from one run, every `count` batches visit each run
/// once, and rows are drawn uniformly within the run, so every example is still drawn with
/// probability `1/n` per row; a batch of short examples then stops at its longest example's
/// end instead of running over the whole padded length.
public struct LengthBuckets: Sendable {
    /// Example indices sorted by length.
    let order: [Int32]
    /// Bucket `b` is `order[bounds[b] ..< bounds[b + 1]]`.
    let bounds: [Int]
    /// Each example's length: the position after its last symbol that is not padding.
    public let lengths: [Int32]
    /// The padded length of every example.
    public let length: Int

    /// Groups the `symbols.count / length` examples of `symbols` (each `length` indices,
    /// padded with `padding`) into `count` buckets, `1 ≤ count ≤` the number of examples.
    public init(symbols: [Int32], length: Int, padding: Int32, count: Int) {
        let n = symbols.count / length
        precondition(length > 0 && symbols.count == n * length && count >= 1 && count <= n, "LengthBuckets: \(count) buckets of \(n) examples")
        var lengths = [Int32](repeating: 0, count: n)
        for e in 0..<n {
            var end = length
            while end > 0 && symbols[e * length + end - 1] == padding { end -= 1 }
            lengths[e] = Int32(end)
        }
        // A counting sort by length: stable, so ties keep their index order.
        var starts = [Int](repeating: 0, count: length + 2)
        for l in lengths { starts[Int(l) + 1] += 1 }
        for l in 0..<(length + 1) { starts[l + 1] += starts[l] }
        var order = [Int32](repeating: 0, count: n)
        for e in 0..<n {
            order[starts[Int(lengths[e])]] = Int32(e)
            starts[Int(lengths[e])] += 1
        }
        self.order = order
        self.lengths = lengths
        self.length = length
        bounds = (0...count).map { $0 * n / count }
    }

    /// The number of buckets.
    public var count: Int { bounds.count - 1 }

    /// The bucket of iteration `i`: each `count` consecutive iterations visit every bucket
    /// once, alternating between the shortest and the longest left (0, K−1, 1, K−2, …).
    /// Batches drawn at random could give several long ones in a row, and Adam follows them:
    /// on MOSES, with random buckets, the mean length of samples swung from 37 to 41 (the
    /// data's 36) between checkpoints.
    public func bucket(iteration i: Int) -> Int {
        let p = i % count
        return p % 2 == 0 ? p / 2 : count - 1 - p / 2
    }

    /// The example of bucket `b` for the uniform draw `u` in (0, 1).
    public func example(bucket b: Int, _ u: Float) -> Int {
        let size = bounds[b + 1] - bounds[b]
        return Int(order[bounds[b] + min(Int(u * Float(size)), size - 1)])
    }

    /// The steps a teacher-forced pass over `examples` needs: through the longest one's end
    /// (its first padding position, when it has one).
    public func steps<S: Sequence>(_ examples: S) -> Int where S.Element == Int {
        var longest = 0
        for e in examples { longest = max(longest, Int(lengths[e])) }
        return min(longest + 1, length)
    }
}
