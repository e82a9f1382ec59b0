import Foundation
import Testing

@testable import GumbelGAN

extension ExternalProcesses {
    @Suite struct CommandLineTests {
        @Test func badInputsGiveOneLineAndNonZeroStatus() throws {
            let folder = temporaryFolder()
            let long = folder + "/long.txt"
            try "ab\nabcdefgh\nabc\nabcdefghij\n".write(toFile: long, atomically: true, encoding: .utf8)
            let cases: [([String], String)] = [
                (["train", "--data", folder + "/missing.txt", "--run-dir", folder + "/r1"], "missing.txt: no such file"),
                (
                    ["train", "--data", long, "--max-length", "4", "--run-dir", folder + "/r2"],
                    "long.txt:2: longer than --max-length 4 (2 lines in all)"
                ),
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
            let skipped = try runTrainer([
                "train", "--data", oneLong, "--max-length", "4", "--skip-long", "--iterations", "2",
                "--batch", "2", "--generator-batch", "2", "--evaluation-samples", "10",
                "--run-dir", folder + "/r6",
            ])
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
                #expect(
                    writes.count == 1 && writes[0].hasPrefix("Error: ") && writes[0].contains(fragment) && writes[0].hasSuffix("\n"),
                    "\(arguments): \(writes.count) writes: \(writes.prefix(5))")
            }
        }

        /// A user's file end to end: train, then evaluate and tabulate the run folder.
        @Test func trainsOnAUserFileAndWritesTheRunFolder() throws {
            let folder = temporaryFolder()
            let data = folder + "/smiles.txt"
            try "CCO\nc1ccccc1\nCC(=O)O\nCCN\nCOC\n".write(toFile: data, atomically: true, encoding: .utf8)
            let run = folder + "/run"
            let r = try runTrainer([
                "train", "--data", data, "--iterations", "20", "--batch", "8", "--generator-batch", "8",
                "--log-every", "10", "--evaluate-every", "20", "--evaluation-samples", "40", "--run-dir", run,
            ])
            #expect(r.status == 0, "\(r.err)")
            for file in ["config.json", "train.txt", "metrics.jsonl", "losses.svg", "samples.txt", "model.safetensors"] {
                #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file)")
            }
            #expect(try String(contentsOfFile: run + "/train.txt", encoding: .utf8) == "CCO\nc1ccccc1\nCC(=O)O\nCCN\nCOC\n")
            let metrics = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            #expect(metrics.count == 2 && metrics[1].contains("\"evaluation\""))
            #expect(r.out.contains("eval     20"))
            // Its validity is not chemistry's, and the run says where that is scored.
            #expect(r.out.contains("validity means no padding inside; for molecules, launch/moses-eval \(run) scores"), "\(r.out)")
            // Not a terminal: plain log lines, each with the rate and the time left.
            let stepLine = r.out.split(separator: "\n").first { $0.hasPrefix("step     10") }
            #expect(stepLine?.contains(" it/s  ETA 0:0") == true && !r.out.contains("\u{1B}["), "\(r.out)")
            let e = try runTrainer(["evaluate", "--run", run, "--samples", "40"])
            #expect(e.status == 0 && e.out.contains("validity"), "\(e.err)")
            // A GAN's evaluation adds its discriminator's verdict on the model (a line of its own).
            let verdict = e.out.split(separator: "\n").last { $0.hasPrefix("discriminator  d_real ") }
            #expect(verdict?.contains(" d_fake ") == true && verdict?.contains("over 40 training strings and 40 generated") == true, "\(e.out)")
            // Another seed's draws score otherwise; a seed that is not a number is one line.
            let reseeded = try runTrainer(["evaluate", "--run", run, "--samples", "40", "--sample-seed", "12"])
            #expect(reseeded.status == 0 && reseeded.out.contains("validity") && reseeded.out != e.out, "\(reseeded.err)")
            let badSeed = try runTrainer(["evaluate", "--run", run, "--sample-seed", "-3"])
            #expect(badSeed.status != 0 && badSeed.err.contains("--sample-seed"), "\(badSeed.err)")
            #expect(badSeed.err.split(separator: "\n").count == 1 && badSeed.out.isEmpty, "\(badSeed.err)")
            // Sampling: deterministic for a seed, from a run folder or its model file, to a file.
            let s1 = try runTrainer(["sample", "--checkpoint", run, "--count", "20", "--seed", "5"])
            let s2 = try runTrainer(["sample", "--checkpoint", run + "/model.safetensors", "--count", "20", "--seed", "5"])
            let s3 = try runTrainer(["sample", "--checkpoint", run, "--count", "20", "--seed", "6"])
            #expect(s1.status == 0 && s1.out.split(separator: "\n", omittingEmptySubsequences: false).count == 21, "\(s1.err)")
            #expect(s1.out == s2.out && s1.out != s3.out)
            let written = try runTrainer(["sample", "--checkpoint", run, "--count", "20", "--seed", "5", "--output", folder + "/s.txt"])
            let writtenText = try String(contentsOfFile: folder + "/s.txt", encoding: .utf8)
            #expect(written.status == 0 && writtenText == s1.out)
            let missing = try runTrainer(["sample", "--run", folder + "/none"])
            #expect(
                missing.status != 0 && missing.err == "Error: \(folder)/none: no such file; is this a run folder written by `trainer train`?\n",
                "\(missing.err)")
            let empty = folder + "/empty"
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: URL(fileURLWithPath: empty + "/config.json"))
            let noModel = try runTrainer(["evaluate", "--run", empty])
            #expect(noModel.status != 0 && noModel.err.contains("empty: the run folder holds no checkpoint or model yet"), "\(noModel.err)")
            let t = try runTrainer(["table", run])
            #expect(t.status == 0 && t.out.contains("| run |") && t.out.contains("paper-a"), "\(t.err)")
            // The folder is not overwritten by a second run.
            let again = try runTrainer(["train", "--data", data, "--iterations", "2", "--run-dir", run])
            #expect(again.status != 0 && again.err.contains("already holds files"))
        }
    }
}

extension ExternalProcesses {
    @Suite struct ModelOptionTests {
        let small = ["--batch", "16", "--generator-batch", "16", "--log-every", "10", "--evaluate-every", "1000", "--evaluation-samples", "50"]

        /// An oracle run evaluates NLL-oracle and NLL-gen at each evaluation, draws their
        /// trade-off (`oracle.svg`) and `table` prints the benchmark's columns.
        @Test func oracleRunTableAndPlot() throws {
            let run = temporaryFolder() + "/oracle"
            let r = try runTrainer(
                [
                    "train", "--preset", "mle", "--data", "oracle", "--training-size", "40", "--held-out-size", "30", "--embedding", "8",
                    "--hidden", "8", "--batch", "8", "--iterations", "10", "--evaluate-every", "5", "--evaluation-samples", "20",
                    "--run-dir", run,
                ])
            #expect(r.status == 0 && r.out.contains("nll_oracle"), "\(r.err)")
            let svg = try String(contentsOfFile: run + "/oracle.svg", encoding: .utf8)
            #expect(svg.contains("NLL-oracle") && svg.contains("NLL-gen"))
            let t = try runTrainer(["table", run])
            let row = t.out.split(separator: "\n").last.map(String.init) ?? ""
            #expect(t.status == 0 && t.out.contains("| NLL-oracle | NLL-gen |") && row.hasPrefix("| oracle | mle | 1 | 0 + 10 |"), "\(t.out)")
        }

        /// `--sample-temperature T` is stored with the run: `evaluate` and `sample` draw at T
        /// unless `--temperature` says otherwise; a resume may change it; 0 is one line and
        /// writes nothing.
        @Test func aRunsSampleTemperatureIsItsDefault() throws {
            let folder = temporaryFolder()
            let run = folder + "/warm"
            let r = try runTrainer(["train", "--preset", "mle", "--iterations", "20", "--sample-temperature", "1.6", "--run-dir", run] + small)
            #expect(r.status == 0, "\(r.err)")
            let own = try runTrainer(["evaluate", "--run", run, "--samples", "60"])
            let warm = try runTrainer(["evaluate", "--run", run, "--samples", "60", "--temperature", "1.6"])
            let plain = try runTrainer(["evaluate", "--run", run, "--samples", "60", "--temperature", "1"])
            #expect(own.status == 0 && own.out == warm.out && own.out != plain.out, "\(own.out) \(warm.out) \(plain.out)")
            #expect(own.out.hasSuffix("  at T 1.6\n") && !plain.out.contains("at T"), "\(own.out)")
            #expect(!own.out.contains("discriminator"), "an mle run has no discriminator: \(own.out)")
            let table = try runTrainer(["table", run])
            #expect(table.out.contains("| warm | mle at T 1.6 | 1 | 20 |"), "\(table.out)")
            let drawn = try runTrainer(["sample", "--run", run, "--count", "30", "--seed", "4"])
            let drawnWarm = try runTrainer(["sample", "--run", run, "--count", "30", "--seed", "4", "--temperature", "1.6"])
            let drawnPlain = try runTrainer(["sample", "--run", run, "--count", "30", "--seed", "4", "--temperature", "1"])
            #expect(drawn.status == 0 && drawn.out == drawnWarm.out && drawn.out != drawnPlain.out)
            let resumed = try runTrainer(["train", "--resume", run, "--iterations", "30", "--sample-temperature", "1"])
            #expect(resumed.status == 0, "\(resumed.err)")
            let after = try runTrainer(["evaluate", "--run", run, "--samples", "60"])
            let afterWarm = try runTrainer(["evaluate", "--run", run, "--samples", "60", "--temperature", "1.6"])
            #expect(
                after.out == (try runTrainer(["evaluate", "--run", run, "--samples", "60", "--temperature", "1"])).out && after.out != afterWarm.out)
            let zero = try runTrainer(["train", "--preset", "mle", "--sample-temperature", "0", "--run-dir", folder + "/zero"])
            #expect(zero.status != 0 && zero.err == "Error: --sample-temperature must lie in (0, 100] (got 0.0)\n", "\(zero.err)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/zero"))
        }

        /// The benchmark presets train on their own data without --data: moses-* on
        /// `data/moses/train.txt` (a tiny SMILES file here; a one-line error when it is
        /// missing), oracle-* on the oracle; moses-gan starts from a moses-mle run.
        @Test func benchmarkPresetsTrainOnTheirOwnData() throws {
            let folder = temporaryFolder()
            let tiny = ["--hidden", "8", "--discriminator-hidden", "8", "--embedding", "4", "--evaluation-samples", "20", "--log-every", "2"]
            let missing = try runTrainer(["train", "--preset", "moses-mle", "--run-dir", "m"], directory: folder)
            #expect(
                missing.status != 0 && missing.err.split(separator: "\n").count == 1
                    && missing.err.contains("--preset moses-mle trains on data/moses/train.txt, which is missing: run launch/moses-data first"),
                "\(missing.err)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/m"))
            try FileManager.default.createDirectory(atPath: folder + "/data/moses", withIntermediateDirectories: true)
            let smiles = ["CCO", "c1ccccc1", "CC(=O)O", "CCN(CC)CC", "O=C=O", "CC(C)Cc1ccc(cc1)C(C)C(=O)O", "C1CCCCC1", "CCOC(=O)C"]
            try (smiles.joined(separator: "\n") + "\n").write(toFile: folder + "/data/moses/train.txt", atomically: true, encoding: .utf8)
            let mle = try runTrainer(
                ["train", "--preset", "moses-mle", "--iterations", "4", "--batch", "8", "--evaluate-every", "4", "--run-dir", "m"] + tiny,
                directory: folder)
            #expect(mle.status == 0, "\(mle.err)")
            let config = try String(contentsOfFile: folder + "/m/config.json", encoding: .utf8)
            #expect(config.contains("\"path\" : \"data\\/moses\\/train.txt\"") && config.contains("\"layers\" : 2"), "\(config)")
            let gan = try runTrainer(
                [
                    "train", "--preset", "moses-gan", "--init-generator", "m", "--iterations", "2", "--discriminator-warmup", "1", "--batch", "8",
                    "--run-dir", "g",
                ]
                    + tiny,
                directory: folder)
            #expect(gan.status == 0, "\(gan.err)")
            #expect(try String(contentsOfFile: folder + "/g/metrics.jsonl", encoding: .utf8).contains("\"d_real\""))
            let ganConfig = try String(contentsOfFile: folder + "/g/config.json", encoding: .utf8)
            #expect(ganConfig.contains("\"estimator\" : \"hard-feedback\"") && ganConfig.contains("\"initGenerator\" : \"m\""), "\(ganConfig)")
            let oracle = try runTrainer(
                [
                    "train", "--preset", "oracle-mle", "--training-size", "40", "--held-out-size", "30", "--batch", "8", "--iterations", "2",
                    "--run-dir", "o",
                ] + tiny, directory: folder)
            #expect(oracle.status == 0 && oracle.out.contains("nll_oracle"), "\(oracle.err)")
        }

        /// Pre-training then adversarial training in one run, a run started from its
        /// generator, and the contradictions between the new flags, each one line naming them.
        @Test func pretrainingInitGeneratorAndLoss() throws {
            let folder = temporaryFolder()
            let run = folder + "/pre"
            let r = try runTrainer(
                ["train", "--preset", "tuned", "--pretrain-iterations", "20", "--iterations", "20", "--loss", "rsgan"] + small + [
                    "--run-dir", run,
                ])
            #expect(r.status == 0 && r.out.contains("20 pre-training + 20 iterations"), "\(r.err)")
            let metrics = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8)
            #expect(metrics.contains("\"phase\":\"pretraining\"") && metrics.contains("\"phase\":\"adversarial\""))
            let config = try String(contentsOfFile: run + "/config.json", encoding: .utf8)
            #expect(config.contains("\"loss\" : \"rsgan\"") && config.contains("\"pretrainIterations\" : 20"))
            let started = try runTrainer(
                ["train", "--preset", "tuned", "--init-generator", run, "--iterations", "10"] + small + ["--run-dir", folder + "/b"])
            #expect(started.status == 0, "\(started.err)")
            let resized = try runTrainer(
                ["train", "--preset", "tuned", "--init-generator", run, "--hidden", "8", "--iterations", "10"] + small + [
                    "--run-dir", folder + "/c",
                ])
            #expect(
                resized.status != 0 && resized.err.contains("cannot start this run's generator")
                    && resized.err.contains("this run needs [32, 6]"), "\(resized.err)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/c"))
            for (flags, message) in [
                (
                    ["--loss", "rsgan", "--batch", "16", "--generator-batch", "32"],
                    "--loss rsgan pairs real and generated examples: --batch (16) and --generator-batch (32) must be equal"
                ),
                (
                    ["--preset", "mle", "--pretrain-iterations", "5"],
                    "--pretrain-iterations pre-trains the generator of an adversarial run; with --objective mle"
                ),
                (["--pretrain-iterations", "-3"], "--pretrain-iterations must be at least 0 (got -3)"),
                (["--dropout", "0.2"], "--dropout acts between stacked layers: set --layers or --discriminator-layers above 1"),
                (["--layers", "0"], "--layers must lie in [1, 64] (got 0)"),
                (["--embedding", "-1"], "--embedding must lie in [0, 65536] (got -1)"),
                (["--layers", "2", "--dropout", "1"], "--dropout must lie in [0, 1) (got 1.0)"),
                (["--tokens", "words"], "--tokens applies to --data files only"),
                (
                    ["--length-buckets", "4"],
                    "--length-buckets groups maximum-likelihood batches; this run has none: use --objective mle or --pretrain-iterations"
                ),
                (["--preset", "mle", "--length-buckets", "-2"], "--length-buckets must lie in [0, 65536] (got -2)"),
                (
                    ["--preset", "mle", "--training-size", "50", "--length-buckets", "60"],
                    "--length-buckets (60) must not exceed the training examples (50); set a smaller --length-buckets, or 0 for none"
                ),
                (["--discriminator-widths", "2,3"], "--discriminator-widths applies to --discriminator cnn: add --discriminator cnn"),
                (
                    ["--preset", "mle", "--discriminator", "cnn"],
                    "a CNN discriminator (--discriminator-widths) is for adversarial runs; with --objective mle there is no discriminator"
                ),
                (["--discriminator", "lstm", "--discriminator-widths", "2"], "--discriminator-widths applies to --discriminator cnn; leave it out"),
                (["--discriminator", "cnn", "--discriminator-widths", "2,x"], "--discriminator-widths must be whole numbers separated by commas"),
                (
                    ["--discriminator", "cnn", "--discriminator-widths", "0,2"],
                    "--discriminator-widths must each lie in [1, the sequence length] (got 0,2)"
                ),
                (
                    ["--discriminator", "cnn", "--discriminator-widths", "2,13"],
                    "--discriminator-widths: a filter of width 13 is longer than the sequences (12 symbols)"
                ),
                (
                    ["--discriminator", "cnn", "--discriminator-layers", "2"],
                    "--discriminator-layers stacks LSTM layers; the CNN discriminator (--discriminator-widths) has none"
                ),
                (
                    ["--discriminator-representations", "2", "--embedding", "4"],
                    "--discriminator-representations slices a CNN discriminator's embedded inputs: it needs --discriminator-widths"
                ),
                (
                    ["--discriminator", "cnn", "--discriminator-representations", "2"],
                    "it needs --discriminator-widths (--discriminator cnn) and --embedding above 0"
                ),
                (
                    ["--discriminator", "cnn", "--embedding", "5", "--discriminator-representations", "2"],
                    "--discriminator-representations (2) must divide the discriminator's 5 embedded channels (--embedding 5 times the pack 1)"
                ),
                (
                    ["--discriminator", "cnn", "--discriminator-representations", "0"],
                    "--discriminator-representations must lie in [1, 65536] (got 0)"
                ),
                (["--gradient-penalty", "-1"], "--gradient-penalty must be at least 0 (got -1.0)"),
                (["--fake-gradient-penalty", "nan"], "--fake-gradient-penalty must be at least 0 (got nan)"),
                (
                    ["--preset", "mle", "--gradient-penalty", "1"],
                    "--gradient-penalty regularises the discriminator of an adversarial run; with --objective mle there is none"
                ),
            ] {
                let bad = try runTrainer(["train"] + flags + ["--run-dir", folder + "/d"])
                #expect(bad.status != 0 && bad.err.contains(message) && bad.err.split(separator: "\n").count == 1, "\(bad.err)")
            }
        }

        /// A word-level file trains end to end with a vocabulary capped at 8 (the 6 most frequent
        /// words, unknown, padding); samples are words
        /// joined by spaces, from the model file alone.
        @Test func wordsTrainAndSample() throws {
            let folder = temporaryFolder()
            let data = folder + "/text.txt"
            try (0..<40).map { "the \(["cat", "dog", "bird", "fish"][$0 % 4]) sat on the \(["mat", "hat", "rug"][$0 % 3])" }
                .joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
            let r = try runTrainer(
                ["train", "--preset", "mle", "--data", data, "--tokens", "words", "--max-vocabulary", "8", "--embedding", "4", "--iterations", "30"]
                    + small + ["--run-dir", folder + "/w"])
            #expect(r.status == 0 && r.out.contains("40 strings of length ≤ 6 over 8 symbols"), "\(r.out)\(r.err)")
            let s = try runTrainer(["sample", "--run", folder + "/w", "--count", "20"])
            let words = Set(s.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            #expect(
                s.status == 0 && !words.isEmpty
                    && words.isSubset(of: ["the", "sat", "on", "mat", "hat", "rug", Vocabulary.unknown, Vocabulary.userPadding]),
                "\(s.out)")
        }
    }
}
