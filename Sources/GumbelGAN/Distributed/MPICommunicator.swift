import CMPI

#if canImport(Glibc)
    import Glibc
#endif

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
    public func finish() {
        if stallWatch != nil {
            // Each rank's last notice is -1; notices arrive in order per sender, so reading up
            // to it from every rank leaves none unread when MPI is finalised.
            barrier()
            sendNotice(-1)
            for other in 0..<size where other != rank && !finished.contains(other) {
                var value: Int64 = 0
                repeat {
                    MPI_Recv(&value, 1, gumbelgan_int64(), Int32(other), 0, stallChannel, gumbelgan_status_ignore())
                } while value != -1
            }
        }
        MPI_Finalize()
    }

    /// Ends every rank of the job with `status`.
    public func abort(_ status: Int32) -> Never {
        MPI_Abort(gumbelgan_comm_world(), status)
        fatalError("MPI_Abort returned")
    }

    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
        guard size > 1, let base = values.baseAddress else { return }
        collective {
            MPI_Iallreduce(gumbelgan_in_place(), base, Int32(values.count), gumbelgan_float(), gumbelgan_sum(), gumbelgan_comm_world(), &$0)
        }
    }

    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>) {
        guard size > 1, let base = values.baseAddress else { return }
        collective {
            MPI_Iallreduce(gumbelgan_in_place(), base, Int32(values.count), gumbelgan_double(), gumbelgan_sum(), gumbelgan_comm_world(), &$0)
        }
    }

    public func barrier() {
        guard size > 1 else { return }
        collective { MPI_Ibarrier(gumbelgan_comm_world(), &$0) }
    }

    public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) {
        guard size > 1, let base = values.baseAddress else { return }
        collective { MPI_Ibcast(base, Int32(values.count), gumbelgan_float(), Int32(root), gumbelgan_comm_world(), &$0) }
    }

    // MARK: Stall watch

    /// Watches every later collective (see ``StallWatch``). Each rank tells the others, on a
    /// channel of its own, the number of each collective it enters; a rank that waits longer
    /// than `watch.warnAfter` knows which ranks have not arrived. The lowest-numbered rank
    /// that has arrived reports, so a stalled rank 0 is reported too.
    public func watchStalls(_ watch: StallWatch) {
        guard size > 1, stallWatch == nil else { return }
        MPI_Comm_dup(gumbelgan_comm_world(), &stallChannel)
        reached = [Int64](repeating: 0, count: size)
        heard = [ContinuousClock.Instant](repeating: .now, count: size)
        notices = UnsafeMutablePointer<Int64>.allocate(capacity: Self.noticeSlots)
        stallWatch = watch
    }

    private var stallWatch: StallWatch?
    private var stallChannel: MPI_Comm? = gumbelgan_comm_world()
    /// The number of the collective this rank is in (1, 2, …), and the last each rank reached.
    private var current: Int64 = 0
    private var reached: [Int64] = []
    /// When each rank was last heard from, and the notices this rank has sent.
    private var heard: [ContinuousClock.Instant] = []
    private var sent = 0
    /// Ranks whose last notice (-1) has been read.
    private var finished: Set<Int> = []
    /// Send buffers of the notices (a ring: a notice is tiny and sent long before its slot returns).
    private var notices: UnsafeMutablePointer<Int64>?
    private static let noticeSlots = 1024

    /// Starts a non-blocking collective with `start` and waits for it, watching for stalls.
    private func collective(_ start: (inout MPI_Request?) -> Int32) {
        var request: MPI_Request? = gumbelgan_request_null()
        guard let watch = stallWatch, notices != nil else {
            _ = start(&request)
            MPI_Wait(&request, gumbelgan_status_ignore())
            return
        }
        current += 1
        reached[rank] = current
        sendNotice(current)
        _ = start(&request)
        var done: Int32 = 0
        var (spins, began) = (0, ContinuousClock.now)
        var (nextWarning, nextHeartbeat) = (watch.warnAfter, watch.warnAfter / 4)
        while true {
            MPI_Test(&request, &done, gumbelgan_status_ignore())
            if done != 0 { break }
            spins += 1
            guard spins % 1000 == 0 else { continue }
            drainNotices()
            let now = ContinuousClock.now
            let waited = Self.seconds(now - began)
            if waited > 0.1 { usleep(1000) }  // a long wait need not spin
            if waited >= nextHeartbeat {  // still here: a rank that waits keeps saying so
                sendNotice(current)
                nextHeartbeat += watch.warnAfter / 4
            }
            let late = (0..<size).filter { reached[$0] < current }
            let silent = (0..<size).filter { $0 != rank && !late.contains($0) && Self.seconds(now - heard[$0]) > watch.warnAfter }
            let reporter = (0..<size).first { !late.contains($0) && !silent.contains($0) } == rank
            if let limit = watch.abortAfter, waited >= limit {
                if reporter {
                    watch.report(StallReport(collective: Int(current), lateRanks: late, silentRanks: silent, seconds: waited, aborting: true))
                }
                abort(1)
            }
            if waited >= nextWarning {
                if reporter {
                    watch.report(StallReport(collective: Int(current), lateRanks: late, silentRanks: silent, seconds: waited, aborting: false))
                }
                nextWarning += watch.warnAfter
            }
        }
        drainNotices()
    }

    /// Tells every other rank `value`: the number of the collective this rank is in (again
    /// while it waits), or -1 when it finishes.
    private func sendNotice(_ value: Int64) {
        guard let notices else { return }
        sent += 1
        let slot = notices + (sent % Self.noticeSlots)
        slot.pointee = value
        for other in 0..<size where other != rank {
            var send: MPI_Request? = gumbelgan_request_null()
            MPI_Isend(slot, 1, gumbelgan_int64(), Int32(other), 0, stallChannel, &send)
            MPI_Request_free(&send)
        }
    }

    /// Reads every notice that has arrived (so that none piles up).
    private func drainNotices() {
        var flag: Int32 = 0
        var status = MPI_Status()
        while true {
            MPI_Iprobe(gumbelgan_any_source(), 0, stallChannel, &flag, &status)
            guard flag != 0 else { return }
            var value: Int64 = 0
            let source = gumbelgan_status_source(&status)
            MPI_Recv(&value, 1, gumbelgan_int64(), source, 0, stallChannel, gumbelgan_status_ignore())
            if value == -1 { finished.insert(Int(source)) }
            reached[Int(source)] = max(reached[Int(source)], value)
            heard[Int(source)] = ContinuousClock.now
        }
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
