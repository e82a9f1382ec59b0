import Foundation
import Testing

@testable import GumbelGAN

/// The built `trainer`, beside the test binary.
let trainerPath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trainer").path

/// Every test that starts trainer processes (or mpirun jobs) runs one at a time: together
/// they would oversubscribe the machine and make the timing assertions flaky.
@Suite(.serialized) enum ExternalProcesses {}

/// Runs a program to its end (in `directory` when given) and returns its exit status and output.
func runProgram(
    _ path: String, _ arguments: [String], environment extra: [String: String] = [:], directory: String? = nil
) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"].merging(extra) { $1 }) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Runs the built `trainer` (in `directory` when given).
func runTrainer(_ arguments: [String], directory: String? = nil) throws -> (status: Int32, out: String, err: String) {
    try runProgram(trainerPath, arguments, directory: directory)
}

/// Runs the built `trainer` with its stderr on a sequenced-packet socket, which keeps the
/// boundary of every `write`: returns the text of each write to stderr, in order.
func trainerErrorWrites(_ arguments: [String]) throws -> [String] {
    var ends: [Int32] = [0, 0]
    guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &ends) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    defer { close(ends[0]) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: trainerPath)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle(fileDescriptor: ends[1], closeOnDealloc: false)
    do { try process.run() } catch {
        close(ends[1])
        throw error
    }
    close(ends[1])
    var writes: [String] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while case let count = recv(ends[0], &buffer, buffer.count, 0), count > 0 {
        writes.append(String(decoding: buffer[..<count], as: UTF8.self))
    }
    process.waitUntilExit()
    return writes
}

/// Runs `mpirun` with `ranks` ranks of the built trainer, or with `arguments` as a whole
/// MPMD command line (`TRAINER` standing for the trainer) when `ranks` is nil. A job that
/// hangs is ended after two minutes (killed 10 s later if it ignores SIGTERM, as a trainer
/// does), so a hang fails its test instead of stalling the suite.
func runMPI(_ ranks: Int?, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    var command = ["timeout", "-k", "10", "120", "mpirun", "--oversubscribe", "-x", "OPENBLAS_NUM_THREADS=1"]
    if getuid() == 0 { command.append("--allow-run-as-root") }
    if let ranks { command += ["-np", "\(ranks)", trainerPath] + arguments } else { command += arguments.map { $0 == "TRAINER" ? trainerPath : $0 } }
    return try runProgram("/usr/bin/env", command, environment: ["OMPI_MCA_btl_vader_single_copy_mechanism": "none"])
}

/// A long run started in the background.
final class BackgroundRun {
    let process = Process()
    let err = Pipe()
    /// Standard output, when captured.
    let out: Pipe?
    private var outText = ""
    init(_ executable: String, _ arguments: [String], captureOutput: Bool = false, directory: String? = nil) throws {
        out = captureOutput ? Pipe() : nil
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["OPENBLAS_NUM_THREADS": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none"]) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = out ?? FileHandle.nullDevice
        process.standardError = err
        try process.run()
    }
    /// Waits up to `seconds` for standard output to hold `text`; what it holds by then.
    func output(containing text: String, seconds: Double) -> String {
        guard let handle = out?.fileHandleForReading else { return "" }
        let deadline = Date().addingTimeInterval(seconds)
        let flags = fcntl(handle.fileDescriptor, F_GETFL)
        _ = fcntl(handle.fileDescriptor, F_SETFL, flags | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !outText.contains(text) && Date() < deadline {
            let n = read(handle.fileDescriptor, &buffer, buffer.count)
            if n > 0 { outText += String(decoding: buffer[..<n], as: UTF8.self) } else { Thread.sleep(forTimeInterval: 0.05) }
        }
        return outText
    }
    /// Waits up to `seconds` for the process to end; its status, or nil if it is still running.
    func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }
    var stderr: String { String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
}

/// Waits up to `seconds` for `condition`.
func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    return condition()
}
