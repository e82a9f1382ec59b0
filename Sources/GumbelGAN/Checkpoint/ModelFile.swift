import Foundation

/// A trained model as a safetensors file: the tensors under PyTorch's names
/// (`generator.lstm.weight_ih`, …, `discriminator.out.bias`, and `generator_average.*` for
/// the moving average of the generator's weights when configured) and, in `__metadata__`,
/// the format version, the full configuration (JSON), the iteration count and the vocabulary.
public enum ModelFile {
    public static let formatVersion = "1"

    /// Writes `session`'s networks to `path`, atomically.
    public static func write(_ session: TrainingSession, to path: String) throws {
        var tensors: [SafeTensors.Entry] = []
        for (prefix, parameters) in networks(session) {
            for e in parameters.layout.entries {
                tensors.append(.init(name: "\(prefix).\(e.name)", shape: e.shape, values: parameters.value(e.name).array))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            "format_version": formatVersion,
            "configuration": String(decoding: try encoder.encode(session.configuration), as: UTF8.self),
            "step": String(session.completedIterations),
            "vocabulary": String(decoding: try encoder.encode(session.dataset.vocabulary), as: UTF8.self),
        ]
        try SafeTensors(tensors: tensors, metadata: metadata).write(to: path)
    }

    /// The configuration stored in a model file.
    public static func configuration(of file: SafeTensors, path: String) throws -> TrainingConfiguration {
        guard file.metadata["format_version"] == formatVersion else {
            throw SafeTensorsError.badHeader(path: path, detail: "format_version \(file.metadata["format_version"] ?? "missing"), expected \(formatVersion)")
        }
        guard let json = file.metadata["configuration"],
              let c = try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(json.utf8)) else {
            throw SafeTensorsError.badHeader(path: path, detail: "__metadata__ has no readable configuration")
        }
        return c
    }

    /// Copies the tensors of `file` into `session`'s networks, checking every name and shape,
    /// and sets the iteration count.
    public static func load(_ file: SafeTensors, path: String, into session: TrainingSession) throws {
        for (prefix, parameters) in networks(session) {
            for e in parameters.layout.entries {
                let name = "\(prefix).\(e.name)"
                guard let t = file.tensor(name) else { throw SafeTensorsError.missingTensor(path: path, name: name) }
                guard t.shape == e.shape else {
                    throw SafeTensorsError.badTensor(path: path, name: name, detail: "shape \(t.shape), the model needs \(e.shape)")
                }
                parameters.value(e.name).base.update(from: t.values, count: t.values.count)
            }
        }
        guard let step = file.metadata["step"].flatMap(Int.init), step >= 0 else {
            throw SafeTensorsError.badHeader(path: path, detail: "__metadata__ has no step")
        }
        session.completedIterations = step
    }

    static func networks(_ session: TrainingSession) -> [(String, Parameters)] {
        var out = [("generator", session.generator.parameters)]
        if let d = session.discriminator { out.append(("discriminator", d.parameters)) }
        if let average = session.averagedGenerator {
            out.append(("generator_average", Parameters(layout: session.generator.parameters.layout, values: average)))
        }
        return out
    }
}
