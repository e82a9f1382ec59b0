import CMPI

/// The ranks of an Open MPI job (`mpirun -np N trainer …`; started alone, a singleton:
/// rank 0 of 1). ``start()`` initialises MPI once; ``finish()`` finalises it after a normal
/// run, ``abort(_:)`` ends the whole job after an error (other ranks may be waiting in a
/// collective that this one will never join).
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// Initialises MPI and returns the world communicator.
    public static func start() -> MPICommunicator {
        var initialised: Int32 = 0
        MPI_Initialized(&initialised)
        if initialised == 0 { MPI_Init(nil, nil) }
        var rank: Int32 = 0, size: Int32 = 1
        MPI_Comm_rank(gumbelgan_comm_world(), &rank)
        MPI_Comm_size(gumbelgan_comm_world(), &size)
        return MPICommunicator(rank: Int(rank), size: Int(size))
    }

    /// Finalises MPI (after a run that every rank completed).
    public func finish() { MPI_Finalize() }

    /// Ends every rank of the job with `status`.
    public func abort(_ status: Int32) -> Never {
        MPI_Abort(gumbelgan_comm_world(), status)
        fatalError("MPI_Abort returned")
    }

    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
        guard size > 1, let base = values.baseAddress else { return }
        MPI_Allreduce(gumbelgan_in_place(), base, Int32(values.count), gumbelgan_float(), gumbelgan_sum(), gumbelgan_comm_world())
    }

    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>) {
        guard size > 1, let base = values.baseAddress else { return }
        MPI_Allreduce(gumbelgan_in_place(), base, Int32(values.count), gumbelgan_double(), gumbelgan_sum(), gumbelgan_comm_world())
    }

    public func barrier() {
        guard size > 1 else { return }
        MPI_Barrier(gumbelgan_comm_world())
    }

    public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) {
        guard size > 1, let base = values.baseAddress else { return }
        MPI_Bcast(base, Int32(values.count), gumbelgan_float(), Int32(root), gumbelgan_comm_world())
    }
}
