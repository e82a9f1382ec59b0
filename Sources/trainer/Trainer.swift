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

    /// ArgumentParser's own `main` writes a message to stderr one byte per `write`; under
    /// mpirun, whose daemon forwards each rank's output as it arrives, mpirun's own messages
    /// then land in the middle of the line. Each message here is one `write`, so it stays whole.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty { code == .success ? print(message) : printError(message) }
            Foundation.exit(code.rawValue)
        }
    }
}

/// Writes `text` and a newline to standard error in one `write`, so that under mpirun no
/// other output lands inside it (see `Trainer.main`).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// An error for the user: one line, already saying what to do.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Preset: ExpressibleByArgument {}
extension TemperatureSchedule.Kind: ExpressibleByArgument {}
extension GeneratorInitialState: ExpressibleByArgument {}
extension Estimator: ExpressibleByArgument {}
extension RealEncoding: ExpressibleByArgument {}
extension InitializationScheme: ExpressibleByArgument {}
extension Objective: ExpressibleByArgument {}

/// Runs `body`, turning the library's typed errors into one-line user errors.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as DataError { throw UserError(e.description) }
    catch let e as RunFolderError { throw UserError(e.description) }
    catch let e as FileWriteError { throw UserError(e.description) }
    catch let e as SafeTensorsError { throw UserError(e.description) }
    catch let e as DistributedError { throw UserError(e.description) }
}
