import Foundation
import GumbelGAN

/// Runs one step of a job's start-up on this rank, then learns (a collective under mpirun)
/// whether it failed on any rank. If it did, every rank stops here: the failure is reported
/// once (by rank 0 when it failed there, else by each rank that failed, naming itself),
/// before MPI is finalised. Finalising waits for every rank, so no rank can exit (and mpirun
/// end the job, killing the others) before the report is out. Every rank then exits non-zero.
/// A rank must never go on to train while another has stopped: it would wait forever in the
/// next collective.
@discardableResult
func startupStep<T>(_ mpi: MPICommunicator?, _ body: () throws -> T) -> T {
    let result = Result(catching: body)
    let rank = mpi?.rank ?? 0
    // [ranks that failed, whether rank 0 did]
    var failures: [Double] = result.isSuccess ? [0, 0] : [1, rank == 0 ? 1 : 0]
    if let mpi, mpi.size > 1 { failures.withUnsafeMutableBufferPointer { mpi.allreduceSum($0) } }
    var status: Int32 = 1
    switch result {
    case .success(let value):
        if failures[0] == 0 { return value }
    case .failure(let error):
        let report = Trainer.report(error)
        status = report.status
        if rank == 0 { printError(report.message) } else if failures[1] == 0 { printError("Error: rank \(rank): \(error)") }
    }
    mpi?.finish()
    Foundation.exit(status)
}

extension Result {
    fileprivate var isSuccess: Bool { if case .success = self { true } else { false } }
}
