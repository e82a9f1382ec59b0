import Foundation
import Testing

@testable import GumbelGAN

@Suite struct RunRecorderTests {
    /// The README's library example: a run observed by a RunRecorder writes the run folder,
    /// and StoredModel finds the newest of its checkpoints and model.
    @Test func aLibraryRunWritesItsFolder() throws {
        var configuration = TrainingConfiguration(preset: .paperA, seed: 2)
        (configuration.iterations, configuration.batchSize, configuration.generatorBatchSize) = (12, 8, 8)
        (configuration.logEvery, configuration.evaluateEvery, configuration.evaluationSamples) = (4, 8, 30)
        configuration.data = .grammar(Grammar(), size: 40)
        let dataset = try Dataset.load(configuration.data, seed: configuration.seed)
        let session = try TrainingSession(configuration: configuration, dataset: dataset)
        let path = temporaryFolder() + "/runs/mine"
        let folder = try RunFolder(creating: path)
        try folder.write(configuration: configuration)
        let events = try TensorBoardEvents(folder: path)
        let recorder = RunRecorder(folder: folder, showSamples: 7, keep: 2, events: events)
        let outcome = try TrainingRun(session: session, schedule: TrainingSchedule(checkpointEvery: 5), observers: [recorder]).run()
        #expect(outcome == .finished)
        #expect(folder.checkpoints().map(\.step) == [5, 10])
        #expect(try folder.readMetrics().map(\.step) == [4, 8, 12] && recorder.records.count == 3)
        #expect(try String(contentsOfFile: path + "/samples.txt", encoding: .utf8).split(separator: "\n").count == 7)
        // Every evaluation (steps 8 and 12, the end) leaves its samples for reading during the run.
        #expect(try String(contentsOfFile: path + "/samples-8.txt", encoding: .utf8).split(separator: "\n").count == 7)
        #expect(
            try String(contentsOfFile: path + "/samples-12.txt", encoding: .utf8)
                == String(contentsOfFile: path + "/samples.txt", encoding: .utf8))
        #expect(FileManager.default.fileExists(atPath: path + "/losses.svg"))
        // TensorBoard: the version record, each record's scalars, and the samples at each evaluation.
        let read = try EventFileReader.events(events.path)
        let steps = read.dropFirst().map { event -> UInt64 in
            if case .varint(let step) = event[2]?.first { return step }
            return 0
        }
        #expect(read.count == 1 + 3 + 2 && steps == [4, 8, 8, 12, 12])
        let text = read[3][5]?.first?.message[1]?.first?.message[8]?.first?.message[8]?.first?.string ?? ""
        let eight = try String(contentsOfFile: path + "/samples-8.txt", encoding: .utf8)
        #expect(text == eight.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        let stored = try StoredModel.locate(path)
        #expect(stored.path == folder.modelPath && stored.step == 12 && stored.configuration == configuration)
        #expect(try StoredModel.locate(folder.checkpointPath(step: 10)).step == 10)
        try FileManager.default.removeItem(atPath: folder.modelPath)
        #expect(try StoredModel.locate(path).step == 10)
        let restored = try StoredModel.locate(path).session()
        #expect(restored.completedIterations == 10)
    }
}
