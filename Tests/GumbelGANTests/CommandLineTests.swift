import Foundation
@testable import GumbelGAN
import Testing

/// The built `trainer`, beside the test binary.
let trainerPath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("trainer").path

/// Every test that starts trainer processes (or mpirun jobs) runs one at a time: together
/// they would oversubscribe the machine and make the timing assertions flaky.
@Suite(.serialized) enum ExternalProcesses {}

/// Runs a program to its end and returns its exit status and output.
func runProgram(_ path: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
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

/// Runs the built `trainer`.
func runTrainer(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    try runProgram(trainerPath, arguments)
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
    do { try process.run() } catch { close(ends[1]); throw error }
    close(ends[1])
    var writes: [String] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while case let count = recv(ends[0], &buffer, buffer.count, 0), count > 0 {
        writes.append(String(decoding: buffer[..<count], as: UTF8.self))
    }
    process.waitUntilExit()
    return writes
}

extension ExternalProcesses {
@Suite struct CommandLineTests {
    @Test func badInputsGiveOneLineAndNonZeroStatus() throws {
        let folder = temporaryFolder()
        let long = folder + "/long.txt"
        try "ab\nabcdefgh\nabc\nabcdefghij\n".write(toFile: long, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["train", "--data", folder + "/missing.txt", "--run-dir", folder + "/r1"], "missing.txt: no such file"),
            (["train", "--data", long, "--max-length", "4", "--run-dir", folder + "/r2"], "long.txt:2: longer than --max-length 4 (2 lines in all)"),
            (["train", "--batch", "0", "--run-dir", folder + "/r3"], "--batch must be at least 1"),
            (["train", "--skip-long", "--run-dir", folder + "/r4"], "--skip-long applies to --data files only"),
            (["train", "--temperature-start", "0", "--run-dir", folder + "/r5"], "--temperature temperatures must be positive"),
            (["evaluate", "--run", folder + "/nothing"], "no such file"),
        ]
        for (arguments, fragment) in cases {
            let r = try runTrainer(arguments)
            #expect(r.status != 0, "\(arguments)")
            let lines = r.err.split(separator: "\n")
            #expect(lines.count == 1 && r.err.contains(fragment), "\(arguments): \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/r1") && !FileManager.default.fileExists(atPath: folder + "/r2"))
        }
        // With --skip-long the too-long lines are left out and counted instead.
        let oneLong = folder + "/one-long.txt"
        try "ab\nabcdefgh\nabc\n".write(toFile: oneLong, atomically: true, encoding: .utf8)
        let skipped = try runTrainer(["train", "--data", oneLong, "--max-length", "4", "--skip-long", "--iterations", "2",
                                      "--batch", "2", "--generator-batch", "2", "--evaluation-samples", "10",
                                      "--run-dir", folder + "/r6"])
        #expect(skipped.status == 0 && skipped.out.contains("data: left out 1 line longer than 4"), "\(skipped.out)\(skipped.err)")
        #expect(try String(contentsOfFile: folder + "/r6/train.txt", encoding: .utf8) == "ab\nabc\n")
    }

    /// Every message to stderr is one `write`: mpirun forwards a rank's output as it comes,
    /// so a message written piecemeal gets mpirun's own messages in the middle of it.
    @Test func errorMessagesAreOneWriteEach() throws {
        let folder = temporaryFolder()
        let cases: [([String], String)] = [
            (["train", "--data", folder + "/missing.txt", "--run-dir", folder + "/r1"], "missing.txt: no such file"),
            (["train", "--bogus"], "Unknown option '--bogus'"),
        ]
        for (arguments, fragment) in cases {
            let writes = try trainerErrorWrites(arguments)
            #expect(writes.count == 1 && writes[0].hasPrefix("Error: ") && writes[0].contains(fragment) && writes[0].hasSuffix("\n"),
                    "\(arguments): \(writes.count) writes: \(writes.prefix(5))")
        }
    }

    /// A user's file end to end: train, then evaluate and tabulate the run folder.
    @Test func trainsOnAUserFileAndWritesTheRunFolder() throws {
        let folder = temporaryFolder()
        let data = folder + "/smiles.txt"
        try "CCO\nc1ccccc1\nCC(=O)O\nCCN\nCOC\n".write(toFile: data, atomically: true, encoding: .utf8)
        let run = folder + "/run"
        let r = try runTrainer(["train", "--data", data, "--iterations", "20", "--batch", "8", "--generator-batch", "8",
                                "--log-every", "10", "--evaluate-every", "20", "--evaluation-samples", "40", "--run-dir", run])
        #expect(r.status == 0, "\(r.err)")
        for file in ["config.json", "train.txt", "metrics.jsonl", "losses.svg", "samples.txt", "model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file)")
        }
        #expect(try String(contentsOfFile: run + "/train.txt", encoding: .utf8) == "CCO\nc1ccccc1\nCC(=O)O\nCCN\nCOC\n")
        let metrics = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(metrics.count == 2 && metrics[1].contains("\"evaluation\""))
        #expect(r.out.contains("eval     20"))
        // Not a terminal: plain log lines, each with the rate and the time left.
        let stepLine = r.out.split(separator: "\n").first { $0.hasPrefix("step     10") }
        #expect(stepLine?.contains(" it/s  ETA 0:0") == true && !r.out.contains("\u{1B}["), "\(r.out)")
        let e = try runTrainer(["evaluate", "--run", run, "--samples", "40"])
        #expect(e.status == 0 && e.out.contains("validity"), "\(e.err)")
        // Sampling: deterministic for a seed, from a run folder or its model file, to a file.
        let s1 = try runTrainer(["sample", "--checkpoint", run, "--count", "20", "--seed", "5"])
        let s2 = try runTrainer(["sample", "--checkpoint", run + "/model.safetensors", "--count", "20", "--seed", "5"])
        let s3 = try runTrainer(["sample", "--checkpoint", run, "--count", "20", "--seed", "6"])
        #expect(s1.status == 0 && s1.out.split(separator: "\n", omittingEmptySubsequences: false).count == 21, "\(s1.err)")
        #expect(s1.out == s2.out && s1.out != s3.out)
        let written = try runTrainer(["sample", "--checkpoint", run, "--count", "20", "--seed", "5", "--output", folder + "/s.txt"])
        let writtenText = try String(contentsOfFile: folder + "/s.txt", encoding: .utf8)
        #expect(written.status == 0 && writtenText == s1.out)
        let missing = try runTrainer(["sample", "--checkpoint", folder + "/none"])
        #expect(missing.status != 0 && missing.err.contains("none/model.safetensors: cannot be read") || missing.err.contains("none: cannot be read"), "\(missing.err)")
        let t = try runTrainer(["table", run])
        #expect(t.status == 0 && t.out.contains("| run |") && t.out.contains("paper-a"), "\(t.err)")
        // The folder is not overwritten by a second run.
        let again = try runTrainer(["train", "--data", data, "--iterations", "2", "--run-dir", run])
        #expect(again.status != 0 && again.err.contains("already holds files"))
    }
}
}

extension ExternalProcesses {
@Suite struct SimulatedRanksCommandLineTests {
    /// `--simulate-ranks 3` logs the same global losses as one rank (to 1e-4 relative).
    @Test func simulatedRanksLogTheSameLosses() throws {
        let folder = temporaryFolder()
        func losses(_ ranks: Int) throws -> [Double] {
            let run = folder + "/r\(ranks)"
            let r = try runTrainer(["train", "--iterations", "30", "--batch", "24", "--generator-batch", "24", "--log-every", "10",
                                    "--evaluate-every", "30", "--evaluation-samples", "50", "--simulate-ranks", "\(ranks)", "--debug",
                                    "--run-dir", run])
            #expect(r.status == 0, "\(r.err)")
            let lines = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            return try lines.flatMap { line -> [Double] in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return [object["loss_d"] as! Double, object["loss_g"] as! Double]
            }
        }
        let one = try losses(1), three = try losses(3)
        #expect(one.count == 6 && three.count == 6)
        for (a, b) in zip(three, one) { #expect(abs(a - b) <= 1e-4 * max(abs(b), 1e-3), "\(a) vs \(b)") }
        let tooMany = try runTrainer(["train", "--batch", "2", "--simulate-ranks", "3", "--run-dir", folder + "/x"])
        #expect(tooMany.status != 0 && tooMany.err.contains("--batch 2 is smaller than the 3 ranks"))
    }
}
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

extension ExternalProcesses {
@Suite struct MPITests {
    @Test func collectivesGiveExactValuesOnEveryRank() throws {
        let r = try runMPI(4, ["mpi-check"])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").filter { $0.hasPrefix("mpi-check") }
        #expect(lines.count == 4 && lines.allSatisfy { $0.hasSuffix(" ok") && $0.contains(" of 4:") }, "\(r.out)")
    }

    /// The same seed with 1, 2, 3 and 4 ranks under mpirun and 3 simulated ranks: the losses
    /// at every logged step agree with one process to 1e-4 (relative), and `--debug` checks
    /// every iteration that the replicas hold bitwise-identical parameters.
    @Test func anyRankCountGivesTheSameRun() throws {
        let folder = temporaryFolder()
        let common = ["train", "--iterations", "100", "--log-every", "10", "--evaluate-every", "100",
                      "--evaluation-samples", "50", "--debug"]
        func losses(_ run: String) throws -> [Double] {
            try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").flatMap { line -> [Double] in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return [object["loss_d"] as! Double, object["loss_g"] as! Double]
            }
        }
        let single = try runTrainer(common + ["--run-dir", folder + "/single"])
        #expect(single.status == 0, "\(single.err)")
        let reference = try losses(folder + "/single")
        #expect(reference.count == 20)
        var runs: [(String, (status: Int32, out: String, err: String))] = []
        for ranks in 1...4 { runs.append(("\(ranks) ranks", try runMPI(ranks, common + ["--run-dir", folder + "/mpi\(ranks)"]))) }
        runs.append(("3 simulated", try runTrainer(common + ["--simulate-ranks", "3", "--run-dir", folder + "/sim3"])))
        for ((label, r), name) in zip(runs, ["mpi1", "mpi2", "mpi3", "mpi4", "sim3"]) {
            #expect(r.status == 0, "\(label): \(r.err)")
            // mpirun gives ranks a size-less pseudo-terminal even when its output is a pipe:
            // plain log lines, no progress line redrawn in place.
            #expect(r.out.contains("step     90") && !r.out.contains("\u{1B}["), "\(label): \(r.out)")
            let l = try losses(folder + "/" + name)
            #expect(l.count == reference.count, "\(label)")
            for (a, b) in zip(l, reference) { #expect(abs(a - b) <= 1e-4 * max(abs(b), 1e-3), "\(label): \(a) vs \(b)") }
        }
    }

    @Test func mismatchedSettingsAcrossRanksAreOneClearError() throws {
        let folder = temporaryFolder()
        let start = Date()
        let r = try runMPI(nil, ["-np", "1", "TRAINER", "train", "--seed", "1", "--run-dir", folder + "/a", ":",
                                 "-np", "1", "TRAINER", "train", "--seed", "2", "--run-dir", folder + "/a"])
        #expect(r.status != 0)
        #expect(r.err.contains("the ranks were started with different settings"), "\(r.err)")
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(!FileManager.default.fileExists(atPath: folder + "/a"))
    }

    /// A start-up error met by one rank alone stops every rank (none goes on to wait in a
    /// collective for ever): rank 0's run folder already holding files, and a data file
    /// missing on rank 1 only, which rank 1 reports naming itself.
    @Test func startupErrorOnOneRankStopsTheJob() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/full", withIntermediateDirectories: true)
        try "x".write(toFile: folder + "/full/notes.txt", atomically: true, encoding: .utf8)
        let taken = try runMPI(2, ["train", "--iterations", "5", "--run-dir", folder + "/full"])
        #expect(taken.status == 1, "\(taken.status)")
        #expect(taken.err.contains("Error: \(folder)/full: the run folder already holds files"), "\(taken.err)")
        try "ab\nabc\n".write(toFile: folder + "/data.txt", atomically: true, encoding: .utf8)
        let missing = try runMPI(nil, ["-np", "1", "TRAINER", "train", "--data", folder + "/data.txt", "--run-dir", folder + "/r", ":",
                                       "-np", "1", "TRAINER", "train", "--data", folder + "/missing.txt", "--run-dir", folder + "/r"])
        #expect(missing.status == 1, "\(missing.status)")
        #expect(missing.err.contains("Error: rank 1: \(folder)/missing.txt: no such file"), "\(missing.err)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/r"))
    }
}
}

extension ExternalProcesses {
@Suite struct ResumeTests {
    let flags = ["--log-every", "10", "--evaluate-every", "40", "--evaluation-samples", "100", "--checkpoint-every", "10", "--keep", "2"]

    func losses(_ run: String) throws -> [Int: [Double]] {
        var out: [Int: [Double]] = [:]
        for line in try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            out[o["step"] as! Int] = [o["loss_d"] as! Double, o["loss_g"] as! Double]
        }
        return out
    }

    /// 40 iterations straight, and 20 then resumed to 40: the same model file byte for
    /// byte, the same samples and losses; checkpoints are kept to the newest two.
    @Test func resumedRunIsBitwiseTheUninterruptedOne() throws {
        let folder = temporaryFolder()
        let straight = try runTrainer(["train", "--iterations", "40"] + flags + ["--run-dir", folder + "/a"])
        #expect(straight.status == 0, "\(straight.err)")
        let first = try runTrainer(["train", "--iterations", "20"] + flags + ["--run-dir", folder + "/b"])
        #expect(first.status == 0, "\(first.err)")
        let second = try runTrainer(["train", "--resume", folder + "/b", "--iterations", "40"] + flags)
        #expect(second.status == 0 && second.out.contains("resuming"), "\(second.err)")
        // Rates, ETAs and the closing figures count this process's iterations only.
        #expect(straight.out.contains("train: done, 40 iterations in ") && second.out.contains("train: done, 20 iterations in "),
                "\(straight.out)\n\(second.out)")
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a/model.safetensors"))
        let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/b/model.safetensors"))
        #expect(a == b)
        #expect(try String(contentsOfFile: folder + "/a/samples.txt", encoding: .utf8) == String(contentsOfFile: folder + "/b/samples.txt", encoding: .utf8))
        #expect(try losses(folder + "/a") == losses(folder + "/b"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder + "/a").filter { $0.hasPrefix("checkpoint-") }.sorted()
        #expect(kept == ["checkpoint-20.safetensors", "checkpoint-30.safetensors"])
    }

    @Test func incompatibleSettingsAreRefusedByName() throws {
        let folder = temporaryFolder()
        let first = try runTrainer(["train", "--iterations", "10"] + flags + ["--run-dir", folder + "/r"])
        #expect(first.status == 0, "\(first.err)")
        let hidden = try runTrainer(["train", "--resume", folder + "/r", "--hidden", "12", "--iterations", "20"])
        #expect(hidden.status != 0 && hidden.err.contains("HiddenSize = 10, this run asks for 12"), "\(hidden.err)")
        let preset = try runTrainer(["train", "--resume", folder + "/r", "--preset", "tuned"])
        #expect(preset.status != 0 && preset.err.contains("--resume: the checkpoint was trained with"), "\(preset.err)")
        let none = try runTrainer(["train", "--resume", folder + "/missing"])
        #expect(none.status != 0 && none.err.contains("no such file or folder"))
    }

    /// Resumed under mpirun with another rank count, the run continues within the
    /// multi-rank tolerance of the uninterrupted one.
    @Test func resumeWithAnotherRankCount() throws {
        let folder = temporaryFolder()
        #expect(try runTrainer(["train", "--iterations", "40"] + flags + ["--run-dir", folder + "/a"]).status == 0)
        #expect(try runTrainer(["train", "--iterations", "20"] + flags + ["--run-dir", folder + "/b"]).status == 0)
        let resumed = try runMPI(2, ["train", "--resume", folder + "/b", "--iterations", "40", "--debug"] + flags)
        #expect(resumed.status == 0, "\(resumed.err)")
        let (a, b) = (try losses(folder + "/a"), try losses(folder + "/b"))
        #expect(a.keys.sorted() == b.keys.sorted())
        for step in a.keys {
            for (x, y) in zip(b[step]!, a[step]!) { #expect(abs(x - y) <= 1e-4 * max(abs(y), 1e-3), "step \(step): \(x) vs \(y)") }
        }
    }
}
}

/// A long run started in the background.
final class BackgroundRun {
    let process = Process()
    let err = Pipe()
    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["OPENBLAS_NUM_THREADS": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
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

extension ExternalProcesses {
@Suite struct FaultTests {
    let long = ["train", "--iterations", "1000000", "--log-every", "1000000", "--evaluate-every", "1000000",
                "--evaluation-samples", "50", "--checkpoint-every", "50"]

    func checkpoints(_ run: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: run)) ?? []).filter { $0.hasPrefix("checkpoint-") }
    }

    /// SIGTERM or SIGINT: the current iteration finishes, a checkpoint is written, the exit
    /// status is 3; the run then resumes from it.
    @Test(arguments: [SIGTERM, SIGINT])
    func terminationWritesACheckpointAndResumes(signal: Int32) throws {
        let run = temporaryFolder() + "/run\(signal)"
        let job = try BackgroundRun(trainerPath, long + ["--run-dir", run])
        #expect(eventually(30) { FileManager.default.fileExists(atPath: run + "/config.json") })
        Thread.sleep(forTimeInterval: 0.5)
        kill(job.process.processIdentifier, signal)
        let status = job.wait(seconds: 30)
        #expect(status == 3, "status \(String(describing: status))")
        let err = job.stderr
        #expect(err.contains("stopped by a signal after iteration") && err.contains("--resume"), "\(err)")
        let after = err.components(separatedBy: "after iteration ").last ?? ""
        let step = try #require(Int(after.prefix { $0.isNumber }))
        #expect(checkpoints(run).contains("checkpoint-\(step).safetensors"))
        let resumed = try runTrainer(["train", "--resume", run, "--iterations", "\(step + 10)", "--evaluation-samples", "50"])
        #expect(resumed.status == 0 && FileManager.default.fileExists(atPath: run + "/model.safetensors"), "\(resumed.err)")
    }

    /// A rank killed with SIGKILL under `mpirun -np 2`: the job ends within seconds, the last
    /// checkpoint is intact, and the run resumes from it.
    @Test func killedRankEndsTheJobAndTheRunResumes() throws {
        let run = temporaryFolder() + "/run"
        var command = ["mpirun", "--oversubscribe", "-np", "2"]
        if getuid() == 0 { command.append("--allow-run-as-root") }
        let job = try BackgroundRun("/usr/bin/env", command + [trainerPath] + long + ["--run-dir", run])
        #expect(eventually(60) { checkpoints(run).count >= 2 })
        let ranks = try runProgram("/usr/bin/pgrep", ["-f", "^\(trainerPath) train --iterations 1000000"])
        let pids = ranks.out.split(separator: "\n").compactMap { Int32($0) }
        #expect(pids.count == 2, "\(ranks.out)")
        let killed = Date()
        if let victim = pids.last { kill(victim, SIGKILL) }
        #expect(job.wait(seconds: 20) != nil, "the job did not end")
        #expect(Date().timeIntervalSince(killed) < 20)
        for name in checkpoints(run) { #expect(throws: Never.self) { _ = try SafeTensors.read(run + "/" + name) } }
        let resumed = try runTrainer(["train", "--resume", run, "--iterations", "150", "--evaluation-samples", "50"])
        #expect(resumed.status == 0, "\(resumed.err)")
    }

    /// Weights that blow up stop the run at the step, with no model or checkpoint written.
    @Test func nonFiniteLossesStopTheRun() throws {
        let run = temporaryFolder() + "/run"
        let r = try runTrainer(["train", "--learning-rate", "1e30", "--iterations", "50", "--debug", "--checkpoint-every", "5",
                                "--run-dir", run])
        #expect(r.status != 0 && r.err.contains("is not finite"), "\(r.err)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: run)) ?? []
        for name in files where name.hasPrefix("checkpoint-") {
            let tensors = try SafeTensors.read(run + "/" + name)
            #expect(tensors.tensors.allSatisfy { $0.values.allSatisfy(\.isFinite) }, "\(name) holds non-finite weights")
        }
        #expect(!files.contains("model.safetensors"))
    }

    /// Resuming from a damaged checkpoint is one clear error.
    @Test func damagedCheckpointsAreRefused() throws {
        let folder = temporaryFolder()
        #expect(try runTrainer(["train", "--iterations", "10", "--evaluation-samples", "20", "--run-dir", folder + "/r"]).status == 0)
        let good = try Data(contentsOf: URL(fileURLWithPath: folder + "/r/model.safetensors"))
        let damaged: [(String, Data, String)] = [
            ("truncated", good.prefix(good.count / 2), "not a complete safetensors file"),
            ("text", Data("not a model at all".utf8), "not a complete safetensors file"),
            ("bad header", Data([16, 0, 0, 0, 0, 0, 0, 0]) + Data("{oops           ".utf8), "the header is not a JSON object"),
        ]
        for (label, bytes, fragment) in damaged {
            let path = folder + "/\(label).safetensors"
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = try runTrainer(["train", "--resume", path])
            #expect(r.status != 0 && r.err.contains(fragment) && r.err.split(separator: "\n").count == 1, "\(label): \(r.err)")
        }
    }

    /// A checkpoint that cannot be written (its name taken by a folder: root ignores file
    /// permissions) is one clear error; the earlier checkpoints stay intact and no temporary
    /// file is left.
    @Test func unwritableCheckpointIsAClearErrorAndKeepsThePrevious() throws {
        let run = temporaryFolder() + "/run"
        #expect(try runTrainer(["train", "--iterations", "20", "--checkpoint-every", "10", "--evaluation-samples", "20",
                                "--run-dir", run]).status == 0)
        try FileManager.default.createDirectory(atPath: run + "/checkpoint-30.safetensors/blocked", withIntermediateDirectories: true)
        let r = try runTrainer(["train", "--resume", run, "--iterations", "40", "--checkpoint-every", "10", "--evaluation-samples", "20"])
        #expect(r.status != 0 && r.err.contains("checkpoint-30.safetensors: cannot write the file") && r.err.contains("intact"), "\(r.err)")
        for name in ["checkpoint-10.safetensors", "model.safetensors"] {
            #expect(throws: Never.self) { _ = try SafeTensors.read(run + "/" + name) }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let evaluated = try runTrainer(["evaluate", "--checkpoint", run + "/checkpoint-10.safetensors", "--samples", "20"])
        #expect(evaluated.status == 0 && evaluated.out.contains("eval     10"), "\(evaluated.err)")
    }
}
}
