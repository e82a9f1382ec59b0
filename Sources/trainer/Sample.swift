import ArgumentParser
import Foundation
import GumbelGAN

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate strings from a trained model: exact categorical draws, the same for a seed.")

    @Option(help: "A model file (model.safetensors) or a run folder holding one.") var checkpoint: String
    @Option(help: "Strings to generate.") var count = 10
    @Option(help: "Seed of the draws.") var seed: UInt64 = 1
    @Option(help: "Write the strings to this file (atomically) instead of standard output.") var output: String?

    func run() throws {
        setBLASThreads(1)
        guard count >= 1 else { throw UserError("--count must be at least 1 (got \(count))") }
        let session = try loadSession(checkpoint)
        let strings = session.sample(count: count, seed: seed)
        if let output {
            try reportingErrors { try writeAtomically(Data(strings.map { $0 + "\n" }.joined().utf8), to: output) }
        } else {
            for s in strings { print(s) }
        }
    }
}

/// A session holding the model of `path` (a model file, or a run folder with one); its
/// data set is rebuilt from the stored configuration.
func loadSession(_ path: String) throws -> TrainingSession {
    var isFolder: ObjCBool = false
    let file = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        ? path + "/model.safetensors" : path
    return try reportingErrors {
        let tensors = try SafeTensors.read(file)
        let c = try ModelFile.configuration(of: tensors, path: file)
        let session = TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        try ModelFile.load(tensors, path: file, into: session)
        return session
    }
}
