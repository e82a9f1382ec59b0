import Foundation
import Testing

@testable import GumbelGAN

extension ExternalProcesses {
    @Suite struct FaultTests {
        let long = [
            "train", "--iterations", "1000000", "--log-every", "1000000", "--evaluate-every", "1000000",
            "--evaluation-samples", "50", "--checkpoint-every", "50",
        ]

        func checkpoints(_ run: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: run)) ?? []).filter { $0.hasPrefix("checkpoint-") }
        }

        /// With standard output a pipe (a batch job's log), the header and every log line
        /// arrive when printed, while the run goes on: the first log line comes with the few
        /// hundred bytes before it, not in a buffer's 4 KB.
        @Test func logLinesReachAPipeWhenPrinted() throws {
            let run = temporaryFolder() + "/run"
            let job = try BackgroundRun(
                trainerPath,
                [
                    "train", "--iterations", "1000000", "--log-every", "100", "--evaluate-every", "1000000",
                    "--evaluation-samples", "50", "--run-dir", run,
                ], captureOutput: true)
            let text = job.output(containing: "step    100", seconds: 60)
            #expect(job.process.isRunning, "the run ended: \(text)")
            #expect(text.hasPrefix("train: paper-a") && text.contains("step    100  tau") && text.utf8.count < 2048, "\(text)")
            kill(job.process.processIdentifier, SIGTERM)
            #expect(job.wait(seconds: 30) == 3)
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

        /// SIGTERM the moment the run folder appears (still starting up), five times: each run
        /// stops with status 3 and a checkpoint after its first iterations, and resumes.
        @Test func aStopDuringStartUpIsKept() throws {
            for attempt in 0..<5 {
                let run = temporaryFolder() + "/run\(attempt)"
                let job = try BackgroundRun(trainerPath, long + ["--run-dir", run])
                #expect(eventually(30) { FileManager.default.fileExists(atPath: run + "/config.json") })
                kill(job.process.processIdentifier, SIGTERM)
                #expect(job.wait(seconds: 30) == 3, "attempt \(attempt)")
                let resumed = try runTrainer(["train", "--resume", run, "--iterations", "60", "--evaluation-samples", "50"])
                #expect(resumed.status == 0, "attempt \(attempt): \(resumed.err)")
            }
        }

        /// A stop during a long evaluation does not wait for it: mid-run, the run stops after
        /// the next iteration (status 3, a checkpoint); at the end, the model is written and
        /// the status is 3, naming the evaluation that was cut short.
        @Test func aStopDuringAnEvaluationEndsItAtOnce() throws {
            let folder = temporaryFolder()
            for (name, flags) in [("mid", ["--iterations", "100", "--evaluate-every", "50"]), ("end", ["--iterations", "50"])] {
                let run = folder + "/" + name
                let job = try BackgroundRun(trainerPath, ["train", "--evaluation-samples", "5000000", "--run-dir", run] + flags)
                #expect(eventually(30) { FileManager.default.fileExists(atPath: run + "/config.json") })
                Thread.sleep(forTimeInterval: 3)  // well into the evaluation of 5 million strings (about 40 s)
                let signalled = Date()
                kill(job.process.processIdentifier, SIGTERM)
                #expect(job.wait(seconds: 30) == 3, "\(name)")
                #expect(Date().timeIntervalSince(signalled) < 10, "\(name)")
                let err = job.stderr
                if name == "mid" {
                    #expect(err.contains("stopped by a signal after iteration 51"), "\(err)")
                    let resumed = try runTrainer(["train", "--resume", run, "--evaluation-samples", "50"])
                    #expect(resumed.status == 0, "\(resumed.err)")
                } else {
                    #expect(
                        err.contains("a signal stopped the final evaluation") && FileManager.default.fileExists(atPath: run + "/model.safetensors"),
                        "\(err)")
                }
            }
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
            let step = try StoredModel.locate(run).step
            let resumed = try runTrainer(["train", "--resume", run, "--iterations", "\(step + 10)", "--evaluation-samples", "50"])
            #expect(resumed.status == 0, "\(resumed.err)")
        }

        /// A rank that stops answering (SIGSTOP) under `mpirun -np 2`: the other rank warns,
        /// naming it, every `--stall-warning` seconds, and ends the job after
        /// `--stall-timeout`; the last checkpoint is intact and the run resumes from it.
        @Test(arguments: [0, 1])
        func stalledRankIsNamedAndEndsTheJob(stopped: Int) throws {
            let run = temporaryFolder() + "/run\(stopped)"
            var command = ["mpirun", "--oversubscribe", "-np", "2"]
            if getuid() == 0 { command.append("--allow-run-as-root") }
            let job = try BackgroundRun(
                "/usr/bin/env", command + [trainerPath] + long + ["--stall-warning", "1", "--stall-timeout", "4", "--run-dir", run])
            #expect(eventually(60) { checkpoints(run).count >= 2 })
            let ranks = try runProgram("/usr/bin/pgrep", ["-f", "^\(trainerPath) train --iterations 1000000"])
            let victim = ranks.out.split(separator: "\n").compactMap { Int32($0) }.first { pid in
                let environment = (try? String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8)) ?? ""
                return environment.split(separator: "\0").contains("OMPI_COMM_WORLD_RANK=\(stopped)")
            }
            let pid = try #require(victim, "\(ranks.out)")
            let stalled = Date()
            kill(pid, SIGSTOP)
            let status = job.wait(seconds: 30)
            kill(pid, SIGKILL)
            #expect(status != nil && status != 0 && Date().timeIntervalSince(stalled) < 20, "status \(String(describing: status))")
            let (other, err) = (1 - stopped, job.stderr)
            #expect(
                err.contains("Warning: rank \(other): stall: collective #")
                    && (err.contains("rank \(stopped) has not reached it") || err.contains("rank \(stopped) has stopped answering inside it")),
                "\(err)")
            #expect(err.contains("Error: rank \(other): stall:") && err.contains("ending the job (--stall-timeout)"), "\(err)")
            let step = try StoredModel.locate(run).step
            let resumed = try runTrainer(["train", "--resume", run, "--iterations", "\(step + 10)", "--evaluation-samples", "50"])
            #expect(resumed.status == 0, "\(resumed.err)")
        }

        /// Weights that blow up stop the run at the step, with no model or checkpoint written.
        @Test func nonFiniteLossesStopTheRun() throws {
            let run = temporaryFolder() + "/run"
            let r = try runTrainer([
                "train", "--learning-rate", "1e30", "--iterations", "50", "--debug", "--checkpoint-every", "5",
                "--run-dir", run,
            ])
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
            #expect(
                try runTrainer([
                    "train", "--iterations", "20", "--checkpoint-every", "10", "--evaluation-samples", "20",
                    "--run-dir", run,
                ]).status == 0)
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
