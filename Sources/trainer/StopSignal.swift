import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT (Ctrl-C, a Slurm preemption) ask the run to stop: the current
/// iteration finishes, a checkpoint is written, and the trainer exits with ``status``.
///
/// A plain `sigaction` handler that stores the signal's number: installed in one step, so
/// that no signal falls between ignoring the default action and listening (a dispatch
/// source, registered asynchronously, lost some).
final class StopSignal: Sendable {
    /// The exit status of a run stopped by a signal (a requeue script looks for it).
    static let status: Int32 = 3

    private static let received = Atomic<Int32>(0)

    /// Starts listening (the default actions of both signals are replaced).
    init() {
        _ = Self.received.load(ordering: .relaxed)  // initialised here, not first in a handler
        for signalNumber in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in StopSignal.received.store(number, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
        // A parent may start us with these signals blocked (Foundation's Process does): a
        // blocked signal would wait forever. This thread takes them.
        var signals = sigset_t()
        sigemptyset(&signals)
        for signalNumber in [SIGTERM, SIGINT] { sigaddset(&signals, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// The signal received so far on this process, if any.
    var signal: Int32? {
        let number = Self.received.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}
