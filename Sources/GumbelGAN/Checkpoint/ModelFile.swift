import Foundation

/// A trained model as a safetensors file: the tensors under PyTorch's names
/// (`generator.lstm.weight_ih`, …, `discriminator.out.bias`, and `generator_average.*` for
/// the moving average of the generator's weights when configured) and, in `__metadata__`,
/// the format version, the full configuration (JSON), the iteration count and the vocabulary.
/// Adam's state rides along (`optimizer.<network>.first_moment`, `.second_moment`, and the
/// step count in `__metadata__`), so a model file is also a checkpoint that resumes exactly.
///
/// Format 2 adds `checksum`: the CRC-32 of every tensor (name, shape, value bits) and every
/// other metadata entry, so that damage anywhere is found before a value is used. Format 1
/// files (no checksum) still load.
public enum ModelFile {
    public static let formatVersion = "2"
    static let readableVersions: Set<String> = ["1", "2"]

    /// The check of `file`'s tensors and metadata (but the `checksum` entry itself).
    static func checksum(_ file: SafeTensors) -> String {
        var c: UInt32 = 0
        for t in file.tensors.sorted(by: { $0.name < $1.name }) {
            c = CRC32.ieee.checksum(Array("\(t.name)\(t.shape)".utf8), continuing: c)
            c = t.values.withUnsafeBytes { CRC32.ieee.checksum($0, continuing: c) }
        }
        for (key, value) in file.metadata.sorted(by: { $0.key < $1.key }) where key != "checksum" {
            c = CRC32.ieee.checksum(Array("\(key)=\(value);".utf8), continuing: c)
        }
        return String(format: "%08x", c)
    }

    /// Writes `session`'s networks to `path`, atomically.
    public static func write(_ session: TrainingSession, to path: String) throws {
        var tensors: [SafeTensors.Entry] = []
        for (prefix, parameters) in session.networks {
            for e in parameters.layout.entries {
                tensors.append(.init(name: "\(prefix).\(e.name)", shape: e.shape, values: parameters.value(e.name).array))
            }
        }
        for (name, adam) in session.optimizers {
            tensors.append(.init(name: "optimizer.\(name).first_moment", shape: [adam.firstMoment.count], values: Array(adam.firstMoment.values)))
            tensors.append(.init(name: "optimizer.\(name).second_moment", shape: [adam.secondMoment.count], values: Array(adam.secondMoment.values)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metadata = [
            "format_version": formatVersion,
            "configuration": String(decoding: session.configuration.json(), as: UTF8.self),
            "step": String(session.completedIterations),
            "vocabulary": String(decoding: try encoder.encode(session.dataset.vocabulary), as: UTF8.self),
            "length": String(session.dataset.length),
        ]
        for (name, adam) in session.optimizers { metadata["optimizer.\(name).step"] = String(adam.step) }
        var file = SafeTensors(tensors: tensors, metadata: metadata)
        file.metadata["checksum"] = checksum(file)
        try file.write(to: path)
    }

    /// The configuration stored in a model file, validated like any other: a damaged value
    /// is reported as a damaged file, naming the setting.
    public static func configuration(of file: SafeTensors, path: String) throws -> TrainingConfiguration {
        guard let version = file.metadata["format_version"], readableVersions.contains(version) else {
            throw SafeTensorsError.badHeader(
                path: path, detail: "format_version \(file.metadata["format_version"] ?? "missing"), expected \(formatVersion)")
        }
        if version != "1" && file.metadata["checksum"] != checksum(file) {
            throw SafeTensorsError.badHeader(path: path, detail: "its checksum does not match its contents; the file is damaged")
        }
        guard let json = file.metadata["configuration"], let c = TrainingConfiguration(json: Data(json.utf8)) else {
            throw SafeTensorsError.badHeader(path: path, detail: "__metadata__ has no readable configuration")
        }
        do { try c.validate() } catch let e as ConfigurationError {
            throw SafeTensorsError.badHeader(path: path, detail: "its stored configuration is damaged: \(e)")
        }
        return c
    }

    /// Copies the tensors of `file` into `session`'s networks, checking every name and shape,
    /// and sets the iteration count.
    public static func load(_ file: SafeTensors, path: String, into session: TrainingSession) throws {
        for (prefix, parameters) in session.networks {
            for e in parameters.layout.entries {
                let name = "\(prefix).\(e.name)"
                guard let t = file.tensor(name) else { throw SafeTensorsError.missingTensor(path: path, name: name) }
                guard t.shape == e.shape else {
                    throw SafeTensorsError.badTensor(path: path, name: name, detail: "shape \(t.shape), the model needs \(e.shape)")
                }
                guard t.values.allSatisfy(\.isFinite) else {
                    throw SafeTensorsError.badTensor(path: path, name: name, detail: "holds values that are not finite; the file is damaged")
                }
                parameters.value(e.name).base.update(from: t.values, count: t.values.count)
            }
        }
        guard let step = file.metadata["step"].flatMap(Int.init), step >= 0 else {
            throw SafeTensorsError.badHeader(path: path, detail: "__metadata__ has no step")
        }
        for (name, adam) in session.optimizers {
            for (suffix, buffer) in [("first_moment", adam.firstMoment), ("second_moment", adam.secondMoment)] {
                let tensorName = "optimizer.\(name).\(suffix)"
                guard let t = file.tensor(tensorName) else { throw SafeTensorsError.missingTensor(path: path, name: tensorName) }
                guard t.shape == [buffer.count] else {
                    throw SafeTensorsError.badTensor(path: path, name: tensorName, detail: "shape \(t.shape), the model needs [\(buffer.count)]")
                }
                guard t.values.allSatisfy({ $0.isFinite && (suffix == "first_moment" || $0 >= 0) }) else {
                    throw SafeTensorsError.badTensor(path: path, name: tensorName, detail: "holds values out of range; the file is damaged")
                }
                buffer.pointer.update(from: t.values, count: t.values.count)
            }
            guard let adamStep = file.metadata["optimizer.\(name).step"].flatMap(Int.init), adamStep >= 0 else {
                throw SafeTensorsError.badHeader(path: path, detail: "__metadata__ has no optimizer.\(name).step")
            }
            adam.step = adamStep
        }
        session.restore(completedIterations: step)
    }

    /// The weights of the generator stored in `file` (its moving average when it has one:
    /// what it samples with), in `layout`, for a run over `vocabulary` (`--init-generator`).
    /// The vocabulary and every tensor's name and shape must be the run's.
    public static func generatorValues(
        of file: SafeTensors, path: String, layout: ParameterLayout, vocabulary: Vocabulary
    ) throws -> [Float] {
        func incompatible(_ detail: String) -> SafeTensorsError {
            .badTensor(
                path: path, name: "generator",
                detail: "cannot start this run's generator: \(detail); use a model trained on the same data with the same generator settings")
        }
        guard let json = file.metadata["vocabulary"],
            let stored = try? JSONDecoder().decode(Vocabulary.self, from: Data(json.utf8))
        else { throw SafeTensorsError.badHeader(path: path, detail: "__metadata__ has no readable vocabulary") }
        guard stored == vocabulary else {
            throw incompatible("its vocabulary has \(stored.count) symbols, this run's data \(vocabulary.count), or they differ")
        }
        let prefix = file.tensor("generator_average.\(layout.entries[0].name)") != nil ? "generator_average" : "generator"
        var values: [Float] = []
        values.reserveCapacity(layout.count)
        for e in layout.entries {
            guard let t = file.tensor("\(prefix).\(e.name)") else { throw incompatible("it has no tensor \(e.name)") }
            guard t.shape == e.shape else { throw incompatible("\(e.name) has shape \(t.shape), this run needs \(e.shape)") }
            guard t.values.allSatisfy(\.isFinite) else {
                throw SafeTensorsError.badTensor(
                    path: path, name: "\(prefix).\(e.name)", detail: "holds values that are not finite; the file is damaged")
            }
            values += t.values
        }
        return values
    }
}
