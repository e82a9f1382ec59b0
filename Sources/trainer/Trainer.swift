import ArgumentParser
import Foundation
import GumbelGAN

@main
struct Trainer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer",
        abstract: "GumbelGAN: GANs for sequences of discrete symbols with the Gumbel-softmax relaxation.",
        subcommands: [Train.self, Sample.self, Evaluate.self, Table.self, Bench.self, MPICheck.self],
        defaultSubcommand: Train.self)

    /// Errors are reported here, once (ArgumentParser's own `main` writes a message to
    /// stderr a byte per `write`; see `printError`).
    static func main() {
        // A closed pipe is a write error (EPIPE) reported like any other, not a death by signal.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let (message, status) = report(error)
            if !message.isEmpty { status == 0 ? print(message) : printError(message) }
            Foundation.exit(status)
        }
    }

    /// The message and exit status of an error: a library or tool error is one line
    /// prefixed `Error:`; so is a bad flag (ArgumentParser's message without its usage
    /// block, which `--help` shows); `--help` itself is ArgumentParser's text.
    static func report(_ error: Error) -> (message: String, status: Int32) {
        if let e = error as? UserFacingError { return ("Error: \(e)", 1) }
        let status = exitCode(for: error).rawValue
        guard status != 0 else { return (fullMessage(for: error), status) }
        let message = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        return ((message.hasPrefix("Error:") ? message : "Error: " + message) + " (see --help)", status)
    }
}

/// Writes `text` and a newline to standard output in one `write`, at once: a training run's
/// lines reach a log file or pipe when printed (batch jobs, `tail -f`), not when `print`'s
/// buffer fills, and under mpirun no other output lands inside them.
///
/// A failed write (a full disk, a closed pipe) must not end a run whose results go to its
/// folder: it is reported once on standard error and later lines are dropped.
func say(_ text: String) { sayRaw(text + "\n") }

/// ``say(_:)`` without the newline (a terminal's redrawn progress line).
func sayRaw(_ text: String) {
    guard !StandardOutput.failed else { return }
    if let failure = writeAll(Data(text.utf8), to: STDOUT_FILENO) {
        StandardOutput.failed = true
        printError("Warning: standard output: \(String(cString: strerror(failure))); no more progress lines (the run goes on)")
    }
}

enum StandardOutput {
    /// Set at the first failed write of ``say(_:)``; only the main thread prints.
    nonisolated(unsafe) static var failed = false
}

/// Writes `text` to standard output and checks that it got there: a full disk or a closed
/// pipe is an error (`sample > /dev/full` exited 0 with nothing written).
func writeStandardOutput(_ text: String) throws {
    if let failure = writeAll(Data(text.utf8), to: STDOUT_FILENO) {
        throw UserError("standard output: \(String(cString: strerror(failure))); nothing more was written")
    }
}

/// Writes `text` and a newline to standard error in one `write`: under mpirun, whose daemon
/// forwards each rank's output as it arrives, a message written piecemeal gets mpirun's own
/// messages in the middle of it.
func printError(_ text: String) {
    _ = writeAll(Data((text + "\n").utf8), to: STDERR_FILENO)  // nowhere left to report a failure
}

extension Preset: ExpressibleByArgument {}
extension TemperatureSchedule.Kind: ExpressibleByArgument {}
extension GeneratorInitialState: ExpressibleByArgument {}
extension Estimator: ExpressibleByArgument {}
extension RealEncoding: ExpressibleByArgument {}
extension InitializationScheme: ExpressibleByArgument {}
extension Objective: ExpressibleByArgument {}
extension AdversarialLoss: ExpressibleByArgument {}
extension Tokenization: ExpressibleByArgument {}
