import Foundation

/// Progress on the terminal: a line rewritten in place when standard output is a
/// terminal, plain log lines otherwise (each with the rate and the time left).
///
/// Open MPI gives every rank a pseudo-terminal as standard output even when mpirun's own
/// output goes to a file (open-mpi/ompi#7868); that terminal has no size (0 columns), so a
/// terminal counts only when it reports a width.
struct Progress {
    let total: Int
    /// The iterations already done when this process started (a resumed run's checkpoint).
    let first: Int
    let interactive: Bool
    let start = Date()
    var lastDraw = Date.distantPast

    /// Steps `first + 1 … total` are this process's.
    init(total: Int, first: Int = 0) {
        self.total = total
        self.first = first
        var size = winsize()
        interactive =
            isatty(STDOUT_FILENO) != 0
            && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
    }

    /// Iterations per second so far in this process and the time left at that rate, e.g.
    /// `335 it/s  ETA 1:02`.
    func rate(step: Int) -> String {
        let rate = Double(step - first) / max(Date().timeIntervalSince(start), 1e-9)
        return String(format: "%.0f it/s  ETA %@", rate, Self.clock(Double(total - step) / max(rate, 1e-9)))
    }

    /// Called every iteration; redraws at most 5 times a second on a terminal.
    mutating func update(step: Int, summary: @autoclosure () -> String) {
        guard interactive, Date().timeIntervalSince(lastDraw) > 0.2 || step == total else { return }
        lastDraw = Date()
        let width = 24, filled = width * step / max(total, 1)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "[\(bar)] \(step)/\(total)  \(summary())  \(rate(step: step))"
        sayRaw("\r\u{1B}[K" + line)
    }

    /// A log line: on a terminal it is printed above the progress line.
    func log(_ text: String) {
        if interactive { sayRaw("\r\u{1B}[K") }
        say(text)
    }

    func finish() {
        if interactive { sayRaw("\n") }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
