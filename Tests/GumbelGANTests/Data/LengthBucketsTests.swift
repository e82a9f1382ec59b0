import Foundation
import Testing

@testable import GumbelGAN

@Suite struct LengthBucketsTests {
    /// Examples of lengths `lengths` over symbols 0 and 1, padded with 2 to `length`.
    func symbols(_ lengths: [Int], length: Int) -> [Int32] {
        lengths.flatMap { l in (0..<length).map { Int32($0 < l ? $0 % 2 : 2) } }
    }

    /// Lengths are counted to the last symbol that is not padding; the buckets hold every
    /// example once, sorted by length (ties by index), in runs of equal size to within one.
    @Test func bucketsPartitionTheExamplesByLength() {
        let lengths = [5, 1, 3, 3, 0, 6, 2, 4, 1, 6, 5]
        var data = symbols(lengths, length: 6)
        data[1 * 6 + 0] = 2  // padding inside (the grammar's space) does not end an example
        data[1 * 6 + 1] = 1
        let buckets = LengthBuckets(symbols: data, length: 6, padding: 2, count: 4)
        var expected = lengths
        expected[1] = 2
        #expect(buckets.lengths.map(Int.init) == expected)
        #expect(buckets.count == 4)
        var seen: [Int] = []
        var previousLongest = -1
        for b in 0..<4 {
            let members = (buckets.bounds[b]..<buckets.bounds[b + 1]).map { Int(buckets.order[$0]) }
            #expect(members.count == 2 || members.count == 3, "bucket \(b): \(members)")
            #expect(members.map { expected[$0] }.min()! >= previousLongest, "bucket \(b) overlaps the one before")
            previousLongest = members.map { expected[$0] }.max()!
            seen += members
        }
        #expect(seen.sorted() == Array(0..<lengths.count))
        #expect(seen == Array(0..<lengths.count).sorted { (expected[$0], $0) < (expected[$1], $1) })
        // Through the longest example's end; an example that fills the length ends there.
        #expect(buckets.steps([1, 2, 4]) == 4)
        #expect(buckets.steps([4]) == 1)
        #expect(buckets.steps([0, 5]) == 6)
    }

    /// The draws reach every example of the chosen bucket and no other; every K iterations
    /// visit each bucket once, alternating short and long.
    @Test func drawsStayInTheirBucket() {
        let buckets = LengthBuckets(symbols: symbols(Array(0..<12), length: 12), length: 12, padding: 2, count: 3)
        for b in 0..<3 {
            let drawn = Set(stride(from: Float(0.001), to: 1, by: 0.01).map { buckets.example(bucket: b, $0) })
            #expect(drawn == Set((4 * b)..<(4 * b + 4)))
        }
        let eight = LengthBuckets(symbols: symbols(Array(0..<16), length: 16), length: 16, padding: 2, count: 8)
        #expect((0..<8).map(eight.bucket(iteration:)) == [0, 7, 1, 6, 2, 5, 3, 4])
        for start in [5, 13, 100] { #expect(Set((start..<(start + 8)).map(eight.bucket(iteration:))).count == 8) }
        #expect((0..<6).map(buckets.bucket(iteration:)) == [0, 2, 1, 0, 2, 1])
    }
}
