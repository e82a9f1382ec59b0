import Foundation
import Testing

@testable import GumbelGAN

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
            let common = [
                "train", "--iterations", "100", "--log-every", "10", "--evaluate-every", "100",
                "--evaluation-samples", "50", "--debug",
            ]
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
            let r = try runMPI(
                nil,
                [
                    "-np", "1", "TRAINER", "train", "--seed", "1", "--run-dir", folder + "/a", ":",
                    "-np", "1", "TRAINER", "train", "--seed", "2", "--run-dir", folder + "/a",
                ])
            #expect(r.status != 0)
            #expect(r.err.contains("the ranks were started with different settings"), "\(r.err)")
            #expect(Date().timeIntervalSince(start) < 30)
            #expect(!FileManager.default.fileExists(atPath: folder + "/a"))
        }

        /// `--simulate-ranks` inside an mpirun job is refused on every rank, with no run folder.
        @Test func simulatedRanksUnderMPIAreRefused() throws {
            let folder = temporaryFolder()
            let r = try runMPI(2, ["train", "--simulate-ranks", "2", "--iterations", "5", "--run-dir", folder + "/a"])
            #expect(r.status != 0 && r.err.contains("--simulate-ranks cannot be used under mpirun"), "\(r.err)")
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
            let missing = try runMPI(
                nil,
                [
                    "-np", "1", "TRAINER", "train", "--data", folder + "/data.txt", "--run-dir", folder + "/r", ":",
                    "-np", "1", "TRAINER", "train", "--data", folder + "/missing.txt", "--run-dir", folder + "/r",
                ])
            #expect(missing.status == 1, "\(missing.status)")
            #expect(missing.err.contains("Error: rank 1: \(folder)/missing.txt: no such file"), "\(missing.err)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/r"))
        }
    }
}
