import ArgumentParser
import Foundation
import GumbelGAN

/// Checks that the ranks of an MPI job can talk: every rank reports what an allreduce and a
/// broadcast gave it, and whether that is exactly what it should be.
struct MPICheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi-check",
        abstract: "Check the MPI job: allreduce and broadcast must give exactly the expected values on every rank.")

    func run() throws {
        let mpi = MPICommunicator.start()
        let (rank, size) = (mpi.rank, mpi.size)
        var floats: [Float] = [Float(rank + 1), 0.5, Float(rank) * 0.25]
        var doubles: [Double] = [Double(rank) + 0.125]
        var broadcast: [Float] = [Float(rank * 10), -Float(rank)]
        floats.withUnsafeMutableBufferPointer { mpi.allreduceSum($0) }
        doubles.withUnsafeMutableBufferPointer { mpi.allreduceSum($0) }
        broadcast.withUnsafeMutableBufferPointer { mpi.broadcast($0, root: size - 1) }
        mpi.barrier()
        let n = Float(size)
        let expected = (
            floats: [n * (n + 1) / 2, 0.5 * n, 0.25 * n * (n - 1) / 2],
            doubles: [Double(size * (size - 1)) / 2 + 0.125 * Double(size)],
            broadcast: [Float((size - 1) * 10), -Float(size - 1)]
        )
        let ok = floats == expected.floats && doubles == expected.doubles && broadcast == expected.broadcast
        print("mpi-check rank \(rank) of \(size): allreduce \(floats) \(doubles) broadcast \(broadcast) \(ok ? "ok" : "WRONG")")
        mpi.finish()
        if !ok { throw ExitCode(1) }
    }
}
