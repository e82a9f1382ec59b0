import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT (Ctrl-C, a Slurm preemption) ask the run to stop: the current
/// iteration finishes, a checkpoint is written, and the trainer exits with ``status``.
final class StopSignal: @unchecked Sendable {
    /// The exit status of a run stopped by a signal (a requeue script looks for it).
    static let status: Int32 = 3

    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening (the default actions of both signals are replaced).
    init() {
        for signalNumber in [SIGTERM, SIGINT] {
            Glibc.signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.lock.withLock { self?.received = signalNumber } }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal received so far on this process, if any.
    var signal: Int32? { lock.withLock { received } }
}
