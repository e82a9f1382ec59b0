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
    }
}
