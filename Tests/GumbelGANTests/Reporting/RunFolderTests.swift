import Foundation
import Testing

@testable import GumbelGAN

@Suite struct RunFolderTests {
    @Test func writesAndReadsBack() throws {
        let path = temporaryFolder() + "/run"
        let folder = try RunFolder(creating: path)
        let c = TrainingConfiguration(preset: .tuned, seed: 77)
        try folder.write(configuration: c)
        #expect(try folder.readConfiguration() == c)
        var r1 = MetricsRecord(step: 100, tau: 1, seconds: 2)
        (r1.lossD, r1.lossG, r1.dReal, r1.dFake) = (1.3, 0.2, 0.5, 0.4)
        var r2 = MetricsRecord(step: 200, tau: 1, seconds: 4)
        r2.nll = 0.7
        r2.evaluation = Evaluation(
            samples: SampleMetrics(count: 1, validity: 1, uniqueness: 1, novelty: 0, coverage: 0.5, lengthJS: 0.1, bigramJS: 0.2),
            trainingNLL: 0.5, heldOutNLL: 0.6)
        try folder.append(r1)
        try folder.append(r2)
        #expect(try folder.readMetrics() == [r1, r2])
        let line = try String(contentsOfFile: folder.metricsPath, encoding: .utf8).split(separator: "\n")[0]
        for key in ["\"step\":100", "\"tau\":1", "\"loss_d\":1.3", "\"loss_g\":0.2", "\"d_real\":0.5", "\"d_fake\":0.4", "\"seconds\":2"] {
            #expect(line.contains(key), "\(line) lacks \(key)")
        }
        try folder.writePlot([r1, r1], title: "t")
        let svg = try String(contentsOfFile: path + "/losses.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("iteration") && svg.contains("discriminator") && svg.contains("generator"))
        // A folder that holds files is not reused.
        #expect(throws: RunFolderError.notEmpty(path: path)) { try RunFolder(creating: path) }
        // The oracle's trade-off plot is drawn only from evaluations that have NLL-oracle.
        try folder.writeOraclePlot([r1, r2], title: "t")
        #expect(!FileManager.default.fileExists(atPath: path + "/oracle.svg"))
        var r3 = r2
        r3.step = 300
        (r3.evaluation!.oracleNLL, r3.evaluation!.oracleFloor) = (9.5, 5.766)
        try folder.writeOraclePlot([r1, r2, r3], title: "t")
        let oracle = try String(contentsOfFile: path + "/oracle.svg", encoding: .utf8)
        #expect(oracle.contains("NLL-oracle") && oracle.contains("NLL-gen") && oracle.contains("floor"))
    }

    /// A last record cut short (a full disk mid-append) is dropped, and rewriting the log
    /// for a resume removes it; a damaged record before the last is still an error.
    @Test func aTornLastRecordIsDropped() throws {
        let folder = try RunFolder(creating: temporaryFolder() + "/run")
        let records = (1...3).map { MetricsRecord(step: $0 * 10, tau: 1, seconds: Double($0)) }
        for r in records { try folder.append(r) }
        let handle = try #require(FileHandle(forWritingAtPath: folder.metricsPath))
        handle.seekToEndOfFile()
        handle.write(Data("{\"step\":40,\"ta".utf8))
        handle.closeFile()
        #expect(try folder.readMetrics() == records)
        try folder.truncateMetrics(after: 20)
        #expect(try folder.readMetrics() == Array(records.prefix(2)))
        #expect(try String(contentsOfFile: folder.metricsPath, encoding: .utf8).hasSuffix("}\n"))
        let text = try String(contentsOfFile: folder.metricsPath, encoding: .utf8)
        try ("{\"step\":" + "\n" + text).write(toFile: folder.metricsPath, atomically: true, encoding: .utf8)
        #expect(throws: RunFolderError.unreadable(path: folder.metricsPath + ":1", reason: "not a metrics record")) { try folder.readMetrics() }
    }

    @Test func unwritablePlacesFailClearly() throws {
        let file = temporaryFolder() + "/plain-file"
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        #expect(throws: RunFolderError.self) { try RunFolder(creating: file) }
        #expect(throws: FileWriteError.self) { try writeAtomically(Data("x".utf8), to: file + "/inside/f.txt") }
        // A failed replacement leaves the old file as it was.
        let target = temporaryFolder() + "/keep.txt"
        try writeAtomically(Data("old".utf8), to: target)
        try FileManager.default.createDirectory(atPath: target + ".dir", withIntermediateDirectories: false)
        #expect(throws: FileWriteError.self) { try writeAtomically(Data("new".utf8), to: target + ".dir") }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
    }

    /// A stored configuration passes the same validation as flags: a damaged value names the
    /// file and the setting, in config.json and in a model file's metadata alike.
    @Test func damagedStoredConfigurationsAreNamed() throws {
        let path = temporaryFolder()
        let folder = try RunFolder(creating: path + "/run")
        var c = TrainingConfiguration(preset: .tuned)
        try folder.write(configuration: c)
        #expect(try folder.readConfiguration() == c)
        let text = try String(contentsOfFile: folder.configurationPath, encoding: .utf8)
        try text.replacingOccurrences(of: "\"pack\" : 8", with: "\"pack\" : 0").write(
            toFile: folder.configurationPath, atomically: true, encoding: .utf8)
        #expect(throws: RunFolderError.unreadable(path: folder.configurationPath, reason: "a damaged setting: pack must be at least 1 (got 0)")) {
            try folder.readConfiguration()
        }
        (c.iterations, c.batchSize, c.generatorBatchSize) = (1, 16, 16)
        c.data = .grammar(Grammar(), size: 20)
        let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        let model = path + "/m.safetensors"
        try ModelFile.write(session, to: model)
        var file = try SafeTensors.read(model)
        file.metadata["configuration"] = file.metadata["configuration"]!.replacingOccurrences(of: "\"pack\":8", with: "\"pack\":0")
        #expect(throws: SafeTensorsError.badHeader(path: model, detail: "its checksum does not match its contents; the file is damaged")) {
            try ModelFile.configuration(of: file, path: model)
        }
        // Written so by a program (its checksum matches), the setting is still validated.
        file.metadata["checksum"] = ModelFile.checksum(file)
        #expect(throws: SafeTensorsError.badHeader(path: model, detail: "its stored configuration is damaged: pack must be at least 1 (got 0)")) {
            try ModelFile.configuration(of: file, path: model)
        }
    }
}
