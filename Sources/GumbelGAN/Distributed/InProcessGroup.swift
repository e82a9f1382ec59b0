import Foundation

/// `size` ranks in one process, one thread each: a communicator per rank over shared
/// memory, for stepping through sharding in one process (`--simulate-ranks`) and for tests.
///
/// A collective blocks until every rank has called it; the last to arrive sums the ranks'
/// buffers in rank order (so results do not depend on thread timing), writes the result
/// into every rank's buffer, and releases them.
public final class InProcessGroup: @unchecked Sendable {
    public let size: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    private var floatSlots: [UnsafeMutableBufferPointer<Float>?]
    private var doubleSlots: [UnsafeMutableBufferPointer<Double>?]

    public init(size: Int) {
        precondition(size >= 1, "InProcessGroup: size \(size)")
        self.size = size
        floatSlots = Array(repeating: nil, count: size)
        doubleSlots = Array(repeating: nil, count: size)
    }

    /// The communicator of rank `rank`.
    public func communicator(rank: Int) -> Communicator { Member(group: self, rank: rank) }

    /// Runs `body(rank)` for every rank on its own thread and waits for all of them.
    public func run(_ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchGroup()
        for rank in 0..<size {
            done.enter()
            Thread.detachNewThread {
                body(rank)
                done.leave()
            }
        }
        done.wait()
    }

    /// Registers `rank`'s buffer; the last arrival runs `combine` over all registered buffers.
    private func collective(rank: Int, register: () -> Void, combine: () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        register()
        arrived += 1
        let mine = generation
        if arrived == size {
            combine()
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
    }

    fileprivate func allreduce(_ values: UnsafeMutableBufferPointer<Float>, rank: Int) {
        collective(rank: rank, register: { floatSlots[rank] = values }, combine: { Self.sumInPlace(floatSlots) })
    }

    fileprivate func allreduce(_ values: UnsafeMutableBufferPointer<Double>, rank: Int) {
        collective(rank: rank, register: { doubleSlots[rank] = values }, combine: { Self.sumInPlace(doubleSlots) })
    }

    /// Writes the elementwise sum of all ranks' buffers, added in rank order, into each.
    private static func sumInPlace<T: AdditiveArithmetic>(_ slots: [UnsafeMutableBufferPointer<T>?]) {
        let buffers = slots.map { $0! }
        let n = buffers[0].count
        precondition(buffers.allSatisfy { $0.count == n }, "allreduce: ranks passed buffers of different sizes")
        for i in 0..<n {
            var sum = T.zero
            for b in buffers { sum += b[i] }
            for b in buffers { b[i] = sum }
        }
    }

    fileprivate func barrier(rank: Int) {
        collective(rank: rank, register: {}, combine: {})
    }

    fileprivate func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int, rank: Int) {
        collective(
            rank: rank, register: { floatSlots[rank] = values },
            combine: {
                let source = floatSlots[root]!
                for b in floatSlots.map({ $0! }) where b.baseAddress != source.baseAddress {
                    precondition(b.count == source.count, "broadcast: ranks passed buffers of different sizes")
                    b.baseAddress!.update(from: source.baseAddress!, count: source.count)
                }
            })
    }

    private final class Member: Communicator {
        let group: InProcessGroup
        let rank: Int
        init(group: InProcessGroup, rank: Int) {
            self.group = group
            self.rank = rank
        }
        var size: Int { group.size }
        func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) { group.allreduce(values, rank: rank) }
        func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>) { group.allreduce(values, rank: rank) }
        func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) { group.broadcast(values, root: root, rank: rank) }
        func barrier() { group.barrier(rank: rank) }
    }
}
