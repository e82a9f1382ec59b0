import ArgumentParser
import Foundation
import GumbelGAN

/// Passes collectives through and adds up the seconds spent in them (on this rank).
final class TimedCommunicator: Communicator {
    let inner: Communicator
    var seconds = 0.0
    init(_ inner: Communicator) { self.inner = inner }
    var rank: Int { inner.rank }
    var size: Int { inner.size }
    private func timed(_ body: () -> Void) {
        let start = Date()
        body()
        seconds += Date().timeIntervalSince(start)
    }
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) { timed { inner.allreduceSum(values) } }
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>) { timed { inner.allreduceSum(values) } }
    func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) { timed { inner.broadcast(values, root: root) } }
    func barrier() { timed { inner.barrier() } }
}
