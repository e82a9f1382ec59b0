import Foundation
import Testing

@testable import GumbelGAN

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
        /// byte, the same samples, losses and plot, seconds that run on across the resume;
        /// checkpoints are kept to the newest two.
        @Test func resumedRunIsBitwiseTheUninterruptedOne() throws {
            let folder = temporaryFolder()
            let straight = try runTrainer(["train", "--iterations", "40"] + flags + ["--run-dir", folder + "/a"])
            #expect(straight.status == 0, "\(straight.err)")
            let first = try runTrainer(["train", "--iterations", "20"] + flags + ["--run-dir", folder + "/b"])
            #expect(first.status == 0, "\(first.err)")
            let second = try runTrainer(["train", "--resume", folder + "/b", "--iterations", "40"] + flags)
            #expect(second.status == 0 && second.out.contains("resuming"), "\(second.err)")
            // Rates, ETAs and the closing figures count this process's iterations only.
            #expect(
                straight.out.contains("train: done, 40 iterations in ") && straight.out.contains(" ms each), evaluation ")
                    && second.out.contains("train: done, 20 iterations in "),
                "\(straight.out)\n\(second.out)")
            let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a/model.safetensors"))
            let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/b/model.safetensors"))
            #expect(a == b)
            #expect(
                try String(contentsOfFile: folder + "/a/samples.txt", encoding: .utf8)
                    == String(contentsOfFile: folder + "/b/samples.txt", encoding: .utf8))
            #expect(try losses(folder + "/a") == losses(folder + "/b"))
            // The plot shows the whole run, and the seconds run on across the two pieces.
            #expect(
                try String(contentsOfFile: folder + "/a/losses.svg", encoding: .utf8)
                    == String(contentsOfFile: folder + "/b/losses.svg", encoding: .utf8))
            let seconds = try RunFolder(existing: folder + "/b").readMetrics().map(\.seconds)
            #expect(seconds.count == 4 && zip(seconds, seconds.dropFirst()).allSatisfy { $0 < $1 }, "\(seconds)")
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
            #expect(none.status != 0 && none.err.contains("missing: no such file"), "\(none.err)")
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
