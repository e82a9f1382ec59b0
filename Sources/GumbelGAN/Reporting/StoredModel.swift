import Foundation

/// A model or checkpoint file named by a user (`--resume`, `sample --run`, `evaluate --run`):
/// the file itself, or in a run folder the one with the most iterations among its newest
/// checkpoint and its final model (only those two are read).
public struct StoredModel {
    public let path: String
    public let tensors: SafeTensors
    public let configuration: TrainingConfiguration
    /// Iterations done.
    public let step: Int

    public static func locate(_ path: String) throws -> StoredModel {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw RunFolderError.missingFile(path: path)
        }
        var candidates = [path]
        if isFolder.boolValue {
            let folder = try RunFolder(existing: path)
            candidates =
                folder.checkpoints().suffix(1).map(\.path)
                + [folder.modelPath].filter { FileManager.default.fileExists(atPath: $0) }
            guard !candidates.isEmpty else { throw RunFolderError.noModel(path: path) }
        }
        let loaded = try candidates.map { file in
            let tensors = try SafeTensors.read(file)
            let c = try ModelFile.configuration(of: tensors, path: file)
            let step = Int(tensors.metadata["step"] ?? "") ?? -1
            return StoredModel(path: file, tensors: tensors, configuration: c, step: step)
        }
        return loaded.max { $0.step < $1.step }!
    }

    /// The data of this stored run under `c` (default: the stored configuration). Built-in
    /// data is drawn again from its seed. A user's file is read from the run folder's copy,
    /// `train.txt`, when it holds the lines trained on (``TrainingConfiguration/dataDigest``),
    /// else from `c`'s path; data with another digest, or other symbols than the model's, is
    /// an error, never a silent swap.
    public func dataset(_ c: TrainingConfiguration? = nil, memoryLimit: Double = .infinity) throws -> Dataset {
        let c = c ?? configuration
        guard let path = c.data.path else { return try Dataset.load(c.data, seed: c.seed, memoryLimit: memoryLimit) }
        let copy = folder + "/train.txt"
        let dataset: Dataset
        if let digest = c.dataDigest {
            let found = [copy, path].lazy.compactMap { candidate in
                (try? Dataset.load(c.data.reading(candidate), seed: c.seed, memoryLimit: memoryLimit)).flatMap { $0.digest == digest ? $0 : nil }
            }.first
            guard let found else { throw DataError.changed(path: path, copy: copy) }
            dataset = found
        } else {
            dataset = try Dataset.load(c.data, seed: c.seed, memoryLimit: memoryLimit)
        }
        if let json = tensors.metadata["vocabulary"], let stored = try? JSONDecoder().decode(Vocabulary.self, from: Data(json.utf8)),
            stored != dataset.vocabulary
        {
            throw DataError.otherVocabulary(path: path, model: self.path)
        }
        return dataset
    }

    /// The run folder the file is in.
    public var folder: String { (path as NSString).deletingLastPathComponent }

    /// A session of `configuration` (default: the stored one) holding this model, its data
    /// set rebuilt from the configuration.
    public func session(
        configuration: TrainingConfiguration? = nil, dataset: Dataset? = nil,
        communicator: Communicator = SingleProcess()
    ) throws -> TrainingSession {
        let c = configuration ?? self.configuration
        let session = try TrainingSession(
            configuration: c, dataset: try dataset ?? self.dataset(c), communicator: communicator)
        try ModelFile.load(tensors, path: path, into: session)
        return session
    }
}
