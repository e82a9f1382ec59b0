import Foundation
import Testing

@testable import GumbelGAN

extension ExternalProcesses {
    @Suite struct HardeningTests {
        let quick = ["--iterations", "30", "--log-every", "10", "--evaluate-every", "30", "--evaluation-samples", "50", "--checkpoint-every", "10"]

        /// A run folder belongs to one trainer: a second one, or a resume of a run still
        /// training, is refused; a temporary file left by a killed writer is removed when the
        /// run resumes; a resume cannot move folders or go back in time.
        @Test func runFoldersBelongToOneRun() throws {
            let folder = temporaryFolder()
            let run = folder + "/run"
            let job = try BackgroundRun(
                trainerPath, ["train", "--iterations", "1000000", "--log-every", "1000000", "--checkpoint-every", "50", "--run-dir", run])
            #expect(eventually(30) { FileManager.default.fileExists(atPath: run + "/checkpoint-50.safetensors") })
            let second = try runTrainer(["train", "--resume", run, "--iterations", "2000000"])
            #expect(second.status != 0 && second.err.contains("another trainer is using this run folder"), "\(second.err)")
            kill(job.process.processIdentifier, SIGTERM)
            #expect(job.wait(seconds: 30) == 3)
            try Data("partial".utf8).write(to: URL(fileURLWithPath: run + "/.checkpoint-9.safetensors.tmp-999999"))
            let back = try runTrainer(["train", "--resume", run, "--iterations", "10"])
            #expect(back.status != 0 && back.err.contains("more than this run's 10; raise --iterations"), "\(back.err)")
            let moved = try runTrainer(["train", "--resume", run, "--run-dir", folder + "/elsewhere"])
            #expect(moved.status != 0 && moved.err.contains("a resumed run continues in its own folder"), "\(moved.err)")
            let step = try StoredModel.locate(run).step
            let resumed = try runTrainer(["train", "--resume", run, "--iterations", "\(step + 5)", "--evaluation-samples", "20"])
            #expect(resumed.status == 0, "\(resumed.err)")
            #expect(!FileManager.default.fileExists(atPath: run + "/.checkpoint-9.safetensors.tmp-999999"))
        }

        /// Two default runs started at once get folders of their own, named with the seed.
        @Test func defaultFoldersAreUnique() throws {
            let folder = temporaryFolder()
            let jobs = try (1...2).map { seed in
                try BackgroundRun(trainerPath, ["train", "--seed", "\(seed)"] + quick, directory: folder)
            }
            for job in jobs { #expect(job.wait(seconds: 60) == 0) }
            let runs = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs").sorted()
            #expect(runs.count == 2 && runs[0].hasPrefix("paper-a-seed1-") && runs[1].hasPrefix("paper-a-seed2-"), "\(runs)")
        }

        /// Non-finite weights in a checkpoint are a damaged file, named; output that cannot be
        /// written is an error, not a silent success.
        @Test func damagedWeightsAndUnwritableOutput() throws {
            let folder = temporaryFolder()
            let r = try runTrainer(["train", "--run-dir", folder + "/r"] + quick)
            #expect(r.status == 0, "\(r.err)")
            let path = folder + "/r/model.safetensors"
            var file = try SafeTensors.read(path)
            let index = try #require(file.tensors.firstIndex { $0.name == "generator.out.bias" })
            file.tensors[index].values[0] = .nan
            try file.write(to: folder + "/damaged.safetensors")
            let damaged = try runTrainer(["sample", "--run", folder + "/damaged.safetensors"])
            #expect(damaged.status != 0 && damaged.err.contains("its checksum does not match its contents"), "\(damaged.err)")
            file.metadata["checksum"] = ModelFile.checksum(file)  // NaN written by a program, not by damage
            try file.write(to: folder + "/nan.safetensors")
            let nan = try runTrainer(["sample", "--run", folder + "/nan.safetensors"])
            #expect(nan.status != 0 && nan.err.contains("tensor generator.out.bias: holds values that are not finite"), "\(nan.err)")
            if FileManager.default.fileExists(atPath: "/dev/full") {
                let full = try runProgram("/bin/sh", ["-c", "'\(trainerPath)' sample --run '\(folder)/r' --count 5 > /dev/full"])
                #expect(full.status != 0 && full.err.contains("standard output: No space left on device"), "\(full.err)")
            }
        }

        /// `sample --output` writes through a link and into a device, never replacing them; a
        /// count is limited by time, not memory (a closed pipe ends it with an error, not a
        /// signal); a full disk under `train` costs the progress lines, not the run.
        @Test func outputsAreWrittenIntoAndStreamed() throws {
            let folder = temporaryFolder()
            let r = try runTrainer(["train", "--run-dir", folder + "/r"] + quick)
            #expect(r.status == 0, "\(r.err)")
            try "keep\n".write(toFile: folder + "/target.txt", atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: folder + "/link.txt", withDestinationPath: folder + "/target.txt")
            let linked = try runTrainer(["sample", "--run", folder + "/r", "--count", "7", "--output", folder + "/link.txt"])
            #expect(linked.status == 0, "\(linked.err)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.txt") == folder + "/target.txt")
            #expect(try String(contentsOfFile: folder + "/target.txt", encoding: .utf8).split(separator: "\n").count == 7)
            // The rule of train --sample-temperature: (0, 100].
            for bad in ["0", "-1", "nan", "inf", "100.5"] {
                for command in ["sample", "evaluate"] {
                    let refused = try runTrainer([command, "--run", folder + "/r", "--temperature", bad])
                    #expect(
                        refused.status != 0 && refused.err.contains("--temperature must lie in (0, 100] (got ") && refused.out.isEmpty,
                        "\(command): \(refused.err)")
                }
            }
            for good in ["0.5", "100"] {
                let sharp = try runTrainer(["sample", "--run", folder + "/r", "--count", "4", "--temperature", good])
                #expect(sharp.status == 0 && sharp.out.split(separator: "\n").count == 4, "\(sharp.err)")
            }
            // --end-at-padding: the same draws, each string cut at its first padding (a space).
            let full = try runTrainer(["sample", "--run", folder + "/r", "--count", "200"])
            let cut = try runTrainer(["sample", "--run", folder + "/r", "--count", "200", "--end-at-padding"])
            let fullLines = full.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let cutLines = cut.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(full.status == 0 && cut.status == 0 && fullLines.count == 200 && cutLines.count == 200, "\(cut.err)")
            #expect(zip(fullLines, cutLines).allSatisfy { $1 == $0.prefix { $0 != " " } } && !cutLines.contains { $0.contains(" ") })
            #expect(fullLines.contains { $0.contains(" ") }, "the quick run's samples hold no interior padding: the cut is not exercised")
            if getuid() == 0 {  // a null device (1, 3) of our own, so that a regression cannot replace the system's
                #expect(mknod(folder + "/null", S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
                let null = try runTrainer(["sample", "--run", folder + "/r", "--count", "3", "--output", folder + "/null"])
                var status = stat()
                #expect(null.status == 0 && stat(folder + "/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "\(null.err)")
            }
            // 100 million strings would need gigabytes held at once; under 2 GB they stream
            // until the reader leaves, and the trainer says so (status 1, not SIGPIPE's 141).
            let piped = try runProgram(
                "/bin/bash",
                [
                    "-c",
                    "ulimit -v 2000000; '\(trainerPath)' sample --run '\(folder)/r' --count 100000000 | head -c 100000 > /dev/null; echo ${PIPESTATUS[0]}",
                ])
            #expect(piped.out == "1\n" && piped.err.contains("standard output: Broken pipe"), "\(piped.out) \(piped.err)")
            // Stopped while writing a file: the file is not made, and no temporary file is left.
            let stopped = try BackgroundRun(trainerPath, ["sample", "--run", folder + "/r", "--count", "100000000", "--output", folder + "/big.txt"])
            Thread.sleep(forTimeInterval: 1.5)
            kill(stopped.process.processIdentifier, SIGTERM)
            #expect(stopped.wait(seconds: 30) == 1)
            let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("big.txt") }
            #expect(left.isEmpty, "\(left)")
            if FileManager.default.fileExists(atPath: "/dev/full") {
                let full = try runProgram(
                    "/bin/sh", ["-c", "'\(trainerPath)' train --run-dir '\(folder)/f' \(quick.joined(separator: " ")) > /dev/full"])
                #expect(full.status == 0 && full.err.contains("Warning: standard output: No space left on device"), "\(full.err)")
                #expect(FileManager.default.fileExists(atPath: folder + "/f/model.safetensors"))
            }
        }

        /// A model does not depend on its data file staying put: `sample` and `evaluate` read
        /// the run folder's copy; a resume finds the lines it trained on by their digest (in
        /// the copy, or a moved file named with `--data`, whatever its line ends), and
        /// changed data is an error, never a silent swap of symbols.
        @Test func modelsAreSelfContained() throws {
            let folder = temporaryFolder()
            let (data, run) = (folder + "/data.txt", folder + "/run")
            try "CCO\nCCN\nc1ccccc1\nCC(=O)O\nCCCC\n".write(toFile: data, atomically: true, encoding: .utf8)
            let r = try runTrainer(["train", "--preset", "mle", "--data", data, "--run-dir", run] + quick)
            #expect(r.status == 0, "\(r.err)")
            let before = try runTrainer(["sample", "--run", run, "--count", "20"])
            try "NNO\nNNC\nc1ccccc1\nNN(=O)O\nNNNN\n".write(toFile: data, atomically: true, encoding: .utf8)
            let after = try runTrainer(["sample", "--run", run, "--count", "20"])
            #expect(before.status == 0 && after.out == before.out, "\(after.err)")
            try FileManager.default.moveItem(atPath: run + "/train.txt", toPath: folder + "/copy.txt")
            for command in [["sample", "--run", run], ["evaluate", "--run", run], ["train", "--resume", run, "--iterations", "40"]] {
                let changed = try runTrainer(command)
                #expect(changed.status == 1 && changed.err.contains("\(data): not the data this model was trained on"), "\(command): \(changed.err)")
            }
            try "CCO\r\nCCN\r\nc1ccccc1\r\nCC(=O)O\r\nCCCC\r\n".write(toFile: folder + "/moved.txt", atomically: true, encoding: .utf8)
            let resumed = try runTrainer(["train", "--resume", run, "--iterations", "40", "--data", folder + "/moved.txt"])
            #expect(resumed.status == 0, "\(resumed.err)")
            #expect(try String(contentsOfFile: run + "/config.json", encoding: .utf8).contains("moved.txt"))
        }

        /// In-process ranks write checkpoints once (rank 0), and the run resumes from them.
        @Test func simulatedRanksCheckpoint() throws {
            let run = temporaryFolder() + "/sim"
            let r = try runTrainer(["train", "--simulate-ranks", "2", "--run-dir", run] + quick)
            #expect(r.status == 0 && FileManager.default.fileExists(atPath: run + "/checkpoint-20.safetensors"), "\(r.err)")
            let resumed = try runTrainer(["train", "--resume", run + "/checkpoint-20.safetensors", "--simulate-ranks", "2", "--iterations", "40"])
            #expect(resumed.status == 0, "\(resumed.err)")
        }

        /// Absurd sizes under a 4 GB address-space limit: one line naming the sizes, status 1
        /// (no signal), no run folder; a line of a million characters likewise.
        @Test func absurdSizesAreRefusedBeforeAllocating() throws {
            let folder = temporaryFolder()
            let long = folder + "/long.txt"
            try (String(repeating: "a", count: 1_000_000) + "\nCCO\n").write(toFile: long, atomically: true, encoding: .utf8)
            for flags in [["--hidden", "100000"], ["--batch", "1000000000"], ["--max-length", "1000000000"], ["--data", long]] {
                let command = "ulimit -v 4000000; exec '\(trainerPath)' train \(flags.joined(separator: " ")) --run-dir '\(folder)/run'"
                let r = try runProgram("/bin/sh", ["-c", command])
                #expect(
                    r.status == 1 && r.err.hasPrefix("Error: this run needs about") && r.err.split(separator: "\n").count == 1, "\(flags): \(r.err)")
                #expect(!FileManager.default.fileExists(atPath: folder + "/run"))
            }
            // The same check guards every subcommand that allocates by a size.
            let r = try runTrainer(["train", "--iterations", "5", "--run-dir", folder + "/small"])
            #expect(r.status == 0, "\(r.err)")
            for (command, prefix) in [
                ("bench --hidden 100000", "Error: this benchmark needs about"), ("bench --length 100000000", "Error: this benchmark needs about"),
                ("evaluate --run '\(folder)/small' --samples 1000000000", "Error: this evaluation needs about"),
                ("train --evaluation-samples 1000000000 --run-dir '\(folder)/run'", "Error: this run needs about"),
            ] {
                let r = try runProgram("/bin/sh", ["-c", "ulimit -v 4000000; exec '\(trainerPath)' \(command)"])
                #expect(r.status == 1 && r.err.hasPrefix(prefix) && r.err.split(separator: "\n").count == 1, "\(command): \(r.err)")
            }
        }
    }
}
