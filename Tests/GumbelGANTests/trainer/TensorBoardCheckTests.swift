import Foundation
import Testing

/// A Python with the tensorboard package (TENSORBOARD_PYTHON, or python3), or nil.
enum TensorBoardEnvironment {
    static let python: String? = {
        let candidates = [ProcessInfo.processInfo.environment["TENSORBOARD_PYTHON"], "/usr/bin/python3"]
        return candidates.compactMap { $0 }.first { path in
            FileManager.default.isExecutableFile(atPath: path) && (try? runProgram(path, ["-c", "import tensorboard"]))?.status == 0
        }
    }()
}

extension ExternalProcesses {
    @Suite struct TensorBoardCheckTests {
        /// A training run's event file, read by the tensorboard package's own reader
        /// (launch/tensorboard-check): losses, temperature, evaluations, samples as text.
        @Test(.enabled(if: TensorBoardEnvironment.python != nil, "needs the tensorboard package: set TENSORBOARD_PYTHON (pip install tensorboard)"))
        func tensorBoardReadsTheRun() throws {
            let run = temporaryFolder() + "/run"
            let r = try runTrainer([
                "train", "--iterations", "40", "--log-every", "10", "--evaluate-every", "20", "--evaluation-samples", "50", "--run-dir", run,
            ])
            #expect(r.status == 0, "\(r.err)")
            let check = try runProgram(
                "/usr/bin/env",
                ["TENSORBOARD_PYTHON=\(TensorBoardEnvironment.python!)", MosesEnvironment.repository + "/launch/tensorboard-check", run])
            #expect(check.status == 0, "\(check.err)")
            #expect(check.out.contains("scalar loss/discriminator: 4 values") && check.out.contains("scalar eval/validity: 2 values"), "\(check.out)")
            #expect(check.out.contains("text samples: 2 values, last at step 40"), "\(check.out)")
        }

        /// A run stopped after its checkpoint and resumed logs some steps twice; TensorBoard's
        /// reader shows each once, the resumed run's (the resumed file's SessionLog START).
        @Test(.enabled(if: TensorBoardEnvironment.python != nil, "needs the tensorboard package: set TENSORBOARD_PYTHON (pip install tensorboard)"))
        func resumedRunShowsEachStepOnce() throws {
            let run = temporaryFolder() + "/run"
            let r = try runTrainer([
                "train", "--iterations", "20", "--log-every", "5", "--checkpoint-every", "10", "--evaluate-every", "20",
                "--evaluation-samples", "50", "--run-dir", run,
            ])
            #expect(r.status == 0, "\(r.err)")
            // As if stopped at 20 with only checkpoint 10 written: steps 15 and 20 come again.
            try FileManager.default.removeItem(atPath: run + "/model.safetensors")
            #expect(FileManager.default.fileExists(atPath: run + "/checkpoint-10.safetensors"))
            Thread.sleep(forTimeInterval: 1.1)  // the event file's name holds the second it was made
            let resumed = try runTrainer(["train", "--resume", run])
            #expect(resumed.status == 0, "\(resumed.err)")
            let check = try runProgram(
                "/usr/bin/env",
                ["TENSORBOARD_PYTHON=\(TensorBoardEnvironment.python!)", MosesEnvironment.repository + "/launch/tensorboard-check", run])
            #expect(check.status == 0, "\(check.err)")
            #expect(check.out.contains("scalar loss/discriminator: 4 values, last"), "\(check.out)")
        }
    }
}
