import Foundation
import Testing

/// The Python that has RDKit and molsets (MOSES_PYTHON, or the .venv-moses that
/// launch/moses-eval makes), or nil.
enum MosesEnvironment {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    /// Whether RDKit imports and molsets is installed (its package imports only with the
    /// shim moses_eval.py adds).
    static let check = "import importlib.util, sys, rdkit; sys.exit(importlib.util.find_spec('moses') is None)"
    static let python: String? = {
        let candidates = [ProcessInfo.processInfo.environment["MOSES_PYTHON"], repository + "/.venv-moses/bin/python"]
        return candidates.compactMap { $0 }.first { path in
            FileManager.default.isExecutableFile(atPath: path)
                && (try? runProgram(path, ["-c", check]))?.status == 0
        }
    }()
}

extension ExternalProcesses {
    @Suite struct MosesEvalTests {
        /// launch/moses_eval.py on hand-made samples, scored by MOSES's own functions: an
        /// empty line is a sample (invalid), so is interior padding; 4 of 7 valid, 3 of them
        /// distinct, 2 of those 3 not in the training set.
        @Test(.enabled(if: MosesEnvironment.python != nil, "needs RDKit and molsets: set MOSES_PYTHON or run launch/moses-eval once"))
        func handMadeSamples() throws {
            let python = try #require(MosesEnvironment.python)
            let folder = temporaryFolder()
            let package = try runProgram(
                python, ["-c", "import importlib.util; print(importlib.util.find_spec('moses').submodule_search_locations[0])"]
            ).out
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try FileManager.default.copyItem(atPath: package + "/dataset/data/test_stats.npz", toPath: folder + "/test_stats.npz")
            try "CCO\n".write(toFile: folder + "/train.txt", atomically: true, encoding: .utf8)
            try "CCO\nc1ccccc1\n\nC(C\nCCO\nCC(=O)O\nC\u{2400}C\n".write(toFile: folder + "/samples.txt", atomically: true, encoding: .utf8)
            let r = try runProgram(
                python,
                [
                    MosesEnvironment.repository + "/launch/moses_eval.py", folder + "/samples.txt", "--data", folder, "--jobs", "1", "--json",
                    folder + "/m.json",
                ])
            #expect(r.status == 0, "\(r.err)")
            let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/m.json"))) as! [String: Any]
            func value(_ key: String) -> Double { (m[key] as? Double) ?? .nan }
            #expect(value("count") == 7 && abs(value("valid") - 4.0 / 7) < 1e-9 && abs(value("unique@1k") - 0.75) < 1e-9, "\(m)")
            #expect(abs(value("Novelty") - 2.0 / 3) < 1e-9, "\(m)")
            #expect(["SNN/Test", "Frag/Test", "IntDiv", "Filters"].allSatisfy { m[$0] is Double }, "\(m)")
        }

        /// launch/moses_table.py on hand-made run folders: one row per run with its wall time
        /// (summed over the pieces of a resumed run; an adversarial phase adds its starting
        /// run's), rows "at T" for a run also scored at another temperature and for a run that stores
        /// its own, one mean of each kind and temperature over both, the published rows; a folder
        /// without metrics is left out.
        @Test func tableOfHandMadeRuns() throws {
            let folder = temporaryFolder()
            /// `seconds`: each piece's last time (a resumed run's times start again).
            func run(_ name: String, seconds: [Double], valid: Double, fcd: Double?) throws {
                try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
                let lines = seconds.enumerated().map { "{\"step\":\(2 * $0 + 1),\"seconds\":1}\n{\"step\":\(2 * $0 + 2),\"seconds\":\($1)}\n" }
                try lines.joined().write(toFile: folder + "/\(name)/metrics.jsonl", atomically: true, encoding: .utf8)
                let fcdText = fcd.map { "\($0)" } ?? "null"
                try "{\"valid\": \(valid), \"unique@10k\": 1.0, \"FCD/Test\": \(fcdText), \"Novelty\": 0.5}".write(
                    toFile: folder + "/\(name)/moses-metrics.json", atomically: true, encoding: .utf8)
            }
            try run("mle-seed1", seconds: [600], valid: 0.9, fcd: 0.5)
            try run("mle-seed2", seconds: [480, 720], valid: 0.7, fcd: 0.7)
            try run("gan-seed1", seconds: [300], valid: 0.95, fcd: nil)
            try run("gan-seed2", seconds: [60], valid: 0.91, fcd: 0.3)
            try "{\"sampleTemperature\": 1.1}".write(toFile: folder + "/gan-seed2/config.json", atomically: true, encoding: .utf8)
            try "{\"valid\": 0.85, \"Novelty\": 0.6}".write(toFile: folder + "/mle-seed2/moses-metrics-T1.15.json", atomically: true, encoding: .utf8)
            try "{\"valid\": 0.95, \"Novelty\": 0.6}".write(toFile: folder + "/gan-seed1/moses-metrics-T1.1.json", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: folder + "/adv-seed1", withIntermediateDirectories: true)
            let r = try runProgram("/usr/bin/env", ["python3", MosesEnvironment.repository + "/launch/moses_table.py", folder])
            #expect(r.status == 0, "\(r.err)")
            let lines = r.out.split(separator: "\n").map(String.init)
            #expect(
                lines.contains("| moses-mle (maximum likelihood) | 1 | 0.900 | – | 1.000 | 0.500 | – | – | – | – | – | 0.500 | 10 min |"), "\(r.out)")
            #expect(lines.contains { $0.hasPrefix("| moses-mle (maximum likelihood) | 2 | 0.700 |") && $0.hasSuffix("| 20 min |") }, "\(r.out)")
            #expect(lines.contains("| moses-gan from moses-mle | 1 | 0.950 | – | 1.000 | – | – | – | – | – | – | 0.500 | 15 min |"), "\(r.out)")
            #expect(
                lines.contains("| moses-mle (maximum likelihood), mean of 2 | – | 0.800 | – | 1.000 | 0.600 | – | – | – | – | – | 0.500 | – |"),
                "\(r.out)")
            // A run that samples at its own temperature and one scored at it afterwards: rows "at T",
            // one mean over both.
            let stored = "| moses-gan from moses-mle at T 1.1"
            #expect(lines.contains { $0.hasPrefix(stored + " | 2 | 0.910 | – | 1.000 | 0.300 |") && $0.hasSuffix("| 21 min |") }, "\(r.out)")
            #expect(lines.contains { $0.hasPrefix(stored + " | 1 | 0.950 |") } && !r.out.contains("sampled at"), "\(r.out)")
            #expect(lines.contains { $0.hasPrefix(stored + ", mean of 2 | – | 0.930 |") }, "\(r.out)")
            #expect(lines.contains { $0.hasPrefix("| moses-gan from moses-mle, mean of 1 | – | 0.950 |") }, "\(r.out)")
            let warmer = "| moses-mle (maximum likelihood) at T 1.15"
            #expect(lines.contains { $0.hasPrefix(warmer + " | 2 | 0.850 | – | – |") && $0.hasSuffix("| 0.600 | 20 min |") }, "\(r.out)")
            #expect(
                lines.contains { $0.hasPrefix(warmer + ", mean of 1 | – | 0.850 |") } && !lines.contains { $0.hasPrefix(warmer + " | 1 |") },
                "\(r.out)")
            #expect(lines.contains { $0.hasPrefix("| MOSES CharRNN (published) | – | 0.975 |") } && !r.out.contains("purely"), "\(r.out)")
            let empty = try runProgram("/usr/bin/env", ["python3", MosesEnvironment.repository + "/launch/moses_table.py", folder + "/adv-seed1"])
            #expect(empty.status != 0 && empty.err.contains("run launch/moses-table"), "\(empty.err)")
        }

        /// Samples that cannot be scored get one line naming the file (and the line), before
        /// anything is installed or imported: a missing path, a folder, a file that is not UTF-8.
        @Test func unreadableSamples() throws {
            let folder = temporaryFolder()
            try Data(Array("CCO\nC".utf8) + [0xFF, 0x0A]).write(to: URL(fileURLWithPath: folder + "/bad.txt"))  // "CCO", "C\xFF"
            let script = MosesEnvironment.repository + "/launch/moses_eval.py"
            let cases = [
                (folder + "/missing.txt", "missing.txt: No such file or directory"), (folder, "Is a directory"),
                (folder + "/bad.txt", "bad.txt line 2: not UTF-8 text"),
            ]
            for (path, message) in cases {
                let r = try runProgram("/usr/bin/env", ["python3", script, path, "--data", folder])
                #expect(r.status != 0 && r.err.contains(message) && !r.err.contains("Traceback"), "\(path): \(r.err)")
            }
            let r = try runProgram("/bin/bash", [MosesEnvironment.repository + "/launch/moses-eval", folder + "/missing"])
            #expect(r.status == 2 && r.err.contains("missing: no such run folder or samples file"), "\(r.err)")
        }

        /// launch/moses-eval samples a run at its own temperature (train --sample-temperature)
        /// into the plain names, and at a given one, 1 included, into the -T<T> names; samples
        /// drawn at another temperature or from other weights are not reused. The trainer
        /// is this build's and the Python a stand-in that prints its arguments, so no RDKit.
        @Test func samplesAtTheRunsTemperature() throws {
            let folder = temporaryFolder()
            try "CCO\nc1ccccc1\nCC(=O)O\nCCN\nCOC\n".write(toFile: folder + "/train.txt", atomically: true, encoding: .utf8)
            let run = folder + "/run"
            let trained = try runTrainer([
                "train", "--data", folder + "/train.txt", "--iterations", "10", "--batch", "8", "--generator-batch", "8",
                "--evaluate-every", "10", "--evaluation-samples", "40", "--sample-temperature", "3", "--run-dir", run,
            ])
            #expect(trained.status == 0, "\(trained.err)")
            let environment = ["GUMBELGAN_TRAINER": trainerPath, "MOSES_PYTHON": "/bin/echo", "MOSES_DATA": folder]
            func sample(_ temperature: String?) throws -> String {
                let flags = temperature.map { ["--temperature", $0] } ?? []
                let r = try runTrainer(["sample", "--run", run, "--count", "200", "--seed", "1", "--end-at-padding"] + flags)
                #expect(r.status == 0, "\(r.err)")
                return r.out
            }
            let script = MosesEnvironment.repository + "/launch/moses-eval"
            let (own, one) = (try sample(nil), try sample("1"))
            for (temperature, suffix, expected) in [(nil, "", own), ("1", "-T1", one), ("3", "-T3", try sample("3"))] {
                let r = try runProgram("/bin/bash", [script, run, "200"] + (temperature.map { [$0] } ?? []), environment: environment)
                #expect(r.status == 0, "\(r.err)")
                #expect(r.out.contains("\(run)/moses-samples\(suffix).txt --data \(folder) --json \(run)/moses-metrics\(suffix).json"), "\(r.out)")
                let written = try String(contentsOfFile: run + "/moses-samples\(suffix).txt", encoding: .utf8)
                #expect(written == expected, "T \(temperature ?? "stored")")
            }
            #expect(own != one)
            // A stored temperature changed on resume: the plain samples are drawn again at it, not reused.
            let resumed = try runTrainer(["train", "--resume", run, "--sample-temperature", "2"])
            #expect(resumed.status == 0, "\(resumed.err)")
            let warmer = try sample(nil)
            let again = try runProgram("/bin/bash", [script, run, "200"], environment: environment)
            #expect(again.status == 0, "\(again.err)")
            #expect(try String(contentsOfFile: run + "/moses-samples.txt", encoding: .utf8) == warmer)
            #expect(warmer != own)
        }

        /// Damaged files: a metrics.jsonl cut off mid-line leaves that run's wall time out with
        /// a warning naming the line; moses-metrics.json that is not an object of numbers stops
        /// the table with one line naming the file and what to run. No traceback either way.
        @Test func tableOfDamagedRuns() throws {
            let folder = temporaryFolder()
            let run = folder + "/mle-seed1"
            try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
            try "{\"step\":1,\"seconds\":60}\n{\"step\":2,\"seco".write(toFile: run + "/metrics.jsonl", atomically: true, encoding: .utf8)
            try "{\"valid\": 0.9}".write(toFile: run + "/moses-metrics.json", atomically: true, encoding: .utf8)
            let table = ["python3", MosesEnvironment.repository + "/launch/moses_table.py", folder]
            let cut = try runProgram("/usr/bin/env", table)
            #expect(cut.status == 0 && cut.out.contains("| moses-mle (maximum likelihood) | 1 | 0.900 |"), "\(cut.out)\(cut.err)")
            #expect(cut.err.contains("metrics.jsonl line 2 is not a JSON record") && !cut.err.contains("Traceback"), "\(cut.err)")
            for damaged in ["{\"valid\": 0.9", "[0.9]", "{\"valid\": \"0.9\"}"] {
                try damaged.write(toFile: run + "/moses-metrics.json", atomically: true, encoding: .utf8)
                let r = try runProgram("/usr/bin/env", table)
                #expect(r.status != 0 && r.err.contains("moses-metrics.json is not a JSON object of numbers"), "\(damaged): \(r.err)")
                #expect(r.err.contains("launch/moses-eval") && !r.err.contains("Traceback"), "\(damaged): \(r.err)")
            }
            // Scored at T 1.1: the line names the file and the command with its temperature.
            try "{\"valid\": 0.9}".write(toFile: run + "/moses-metrics.json", atomically: true, encoding: .utf8)
            try "[0.9]".write(toFile: run + "/moses-metrics-T1.1.json", atomically: true, encoding: .utf8)
            let warmer = try runProgram("/usr/bin/env", table)
            #expect(warmer.status != 0 && warmer.err.contains("moses-metrics-T1.1.json is not a JSON object of numbers"), "\(warmer.err)")
            #expect(warmer.err.contains("launch/moses-eval \(run) 30000 1.1") && !warmer.err.contains("Traceback"), "\(warmer.err)")
        }
    }
}
