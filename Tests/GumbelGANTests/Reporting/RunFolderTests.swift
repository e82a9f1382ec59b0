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
}
