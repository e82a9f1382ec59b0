import Foundation
import Testing

@testable import GumbelGAN

@Suite struct SafeTensorsTests {
    let sample = SafeTensors(
        tensors: [
            .init(name: "a.weight", shape: [2, 3], values: [1, -2, 3.5, 0, .pi, -0]),
            .init(name: "a.bias", shape: [2], values: [7, 8]),
            .init(name: "scalar", shape: [], values: [42]),
        ],
        metadata: ["format_version": "1", "note": "é"])

    @Test func roundTrip() throws {
        let path = temporaryFolder() + "/m.safetensors"
        try sample.write(to: path)
        let back = try SafeTensors.read(path)
        #expect(back.metadata == sample.metadata)
        for t in sample.tensors { #expect(back.tensor(t.name) == t) }
        // The layout: 8-byte size, JSON padded to 8 bytes, data.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let n = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(n % 8 == 0 && bytes.count == 8 + n + 4 * 9)
        // No temporary file is left beside it.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(siblings == ["m.safetensors"])
    }

    /// Damaged files: one clear error each, never a crash.
    @Test func damagedFilesAreRefused() throws {
        let good = [UInt8](sample.encoded())
        let n = good[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        func header(_ json: String, data: Int) -> [UInt8] {
            var h = Array(json.utf8)
            while h.count % 8 != 0 { h.append(32) }
            return withUnsafeBytes(of: UInt64(h.count).littleEndian, Array.init) + h + [UInt8](repeating: 0, count: data)
        }
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "complete"),
            ("truncated data", Array(good.dropLast(5)), "complete"),
            ("truncated header", Array(good.prefix(8 + n / 2)), "complete"),
            ("not safetensors at all", Array("hello, this is a text file and not a model".utf8), "complete"),
            ("header not JSON", header("{not json", data: 0), "not a safetensors"),
            ("header a list", header("[1, 2]", data: 0), "not a safetensors"),
            ("offsets beyond the data", header(#"{"t": {"dtype": "F32", "shape": [20], "data_offsets": [0, 80]}}"#, data: 8), "need 80 data bytes"),
            ("offsets reversed", header(#"{"t": {"dtype": "F32", "shape": [0], "data_offsets": [8, 4]}}"#, data: 8), "not a range"),
            ("wrong dtype", header(#"{"t": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}"#, data: 4), "dtype F16"),
            ("shape and offsets disagree", header(#"{"t": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, data: 8), "needs 12 bytes"),
            ("gap", header(#"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#, data: 8), "gap"),
            ("bad metadata", header(#"{"__metadata__": {"a": 1}}"#, data: 0), "__metadata__"),
        ]
        for (label, bytes, fragment) in cases {
            #expect(throws: SafeTensorsError.self, "\(label)") { try SafeTensors.decode(Data(bytes), path: "f.safetensors") }
            do { _ = try SafeTensors.decode(Data(bytes), path: "f.safetensors") } catch {
                let message = "\(error)"
                #expect(message.hasPrefix("f.safetensors: ") && message.contains(fragment), "\(label): \(message)")
            }
        }
    }

    @Test func modelFileRoundTripAndMismatches() throws {
        var c = TrainingConfiguration(preset: .paperD, seed: 4)
        c.data = .grammar(Grammar(), size: 50)
        c.batchSize = 8
        c.generatorBatchSize = 8
        let dataset = try Dataset.load(c.data, seed: c.seed)
        let a = try TrainingSession(configuration: c, dataset: dataset)
        for _ in 0..<3 { _ = a.iterate() }
        let path = temporaryFolder() + "/model.safetensors"
        try ModelFile.write(a, to: path)
        let file = try SafeTensors.read(path)
        #expect(file.tensor("generator.lstm.weight_ih")?.shape == [40, 6] && file.tensor("generator.c0")?.shape == [10])
        #expect(file.tensor("discriminator.out.weight")?.shape == [1, 10])
        #expect(try ModelFile.configuration(of: file, path: path) == c)
        let b = try TrainingSession(configuration: c, dataset: dataset)
        try ModelFile.load(file, path: path, into: b)
        #expect(Array(b.generator.parameters.values.values) == Array(a.generator.parameters.values.values))
        #expect(Array(b.discriminator!.parameters.values.values) == Array(a.discriminator!.parameters.values.values))
        #expect(b.completedIterations == 3)
        #expect(b.sample(count: 20, seed: 1) == a.sample(count: 20, seed: 1))
        // Another model size: the first tensor that differs is named.
        var other = c
        other.hiddenSize = 12
        let wrong = try TrainingSession(configuration: other, dataset: dataset)
        #expect(throws: SafeTensorsError.badTensor(path: path, name: "generator.lstm.weight_ih", detail: "shape [40, 6], the model needs [48, 6]")) {
            try ModelFile.load(file, path: path, into: wrong)
        }
        var missing = file
        missing.tensors.removeAll { $0.name == "discriminator.h0" }
        #expect(throws: SafeTensorsError.missingTensor(path: path, name: "discriminator.h0")) {
            try ModelFile.load(missing, path: path, into: b)
        }
    }
}
