import Foundation
import Testing

@testable import GumbelGAN

@Suite struct TrainingRunTests {
    func session(iterations: Int = 10, preset: Preset = .paperA) throws -> TrainingSession {
        var c = TrainingConfiguration(preset: preset, seed: 5)
        (c.iterations, c.batchSize, c.generatorBatchSize, c.logEvery, c.evaluateEvery, c.evaluationSamples) = (iterations, 8, 8, 3, 6, 20)
        c.data = .grammar(Grammar(), size: 40)
        return try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
    }

    /// The schedule: every iteration reported, checkpoints every 4 (none at the end), logs
    /// every 3 with evaluations every 6 and at the end, then the end.
    @Test func eventsFollowTheSchedule() throws {
        let log = EventLog()
        let outcome = try TrainingRun(session: try session(), schedule: TrainingSchedule(checkpointEvery: 4), observers: [log]).run()
        #expect(outcome == .finished)
        let kinds = log.events.map { event -> String in
            switch event {
            case .iterated(let step, _, _): "i\(step)"
            case .checkpoint(let step): "c\(step)"
            case .stopped(let step): "s\(step)"
            case .logged(let r): r.evaluation == nil ? "l\(r.step)" : "e\(r.step)"
            case .finished(let step): "f\(step)"
            }
        }
        #expect(kinds == ["i1", "i2", "i3", "l3", "i4", "c4", "i5", "i6", "e6", "i7", "i8", "c8", "i9", "l9", "i10", "e10", "f10"])
        // The progress figures between log steps are this interval's, and the last log is carried.
        guard case .iterated(_, let interval, let last) = log.events[4] else {
            Issue.record("not an iteration")
            return
        }
        #expect(interval.step == 4 && interval.lossD != nil && last?.step == 3)
    }

    /// The same run in one go and in two (the second continuing the same session) logs
    /// the same figures once their intervals line up again (after step 6).
    @Test func aRunContinuesWhereItStopped() throws {
        let straight = EventLog()
        _ = try TrainingRun(session: try session(), observers: [straight]).run()
        let s = try session()
        let first = EventLog(), second = EventLog()
        var asked = 0
        let outcome = try TrainingRun(
            session: s, schedule: TrainingSchedule(checkpointEvery: 100), observers: [first],
            stopRequested: {
                asked += 1
                return asked == 5
            }
        ).run()
        #expect(outcome == .stopped(step: 5))
        #expect(first.events.suffix(2) == [.checkpoint(step: 5), .stopped(step: 5)])
        #expect(try TrainingRun(session: s, observers: [second]).run() == .finished)
        func losses(_ log: EventLog) -> [Double?] { log.records.filter { $0.step > 6 }.map(\.lossD) }
        #expect(losses(second) == losses(straight) && !losses(second).isEmpty)
    }

    /// An observer's error ends the run; a non-finite loss is caught every iteration when asked.
    @Test func failuresEndTheRun() throws {
        let log = EventLog()
        log.failAt = .checkpoint(step: 2)
        #expect(throws: EventLog.Failure.self) {
            try TrainingRun(session: try session(), schedule: TrainingSchedule(checkpointEvery: 2), observers: [log]).run()
        }
        #expect(log.events.last == .checkpoint(step: 2))
        let s = try session()
        s.generator.parameters.values.pointer[0] = .nan
        #expect(throws: DistributedError.notFinite(step: 1, what: "a loss")) {
            try TrainingRun(session: s, schedule: TrainingSchedule(checkLossesEveryIteration: true)).run()
        }
    }
}

@Suite struct EvaluationSubsetTests {
    /// The training likelihood reads at most 10,000 strings, evenly spaced; all of them, in
    /// order, when there are no more.
    @Test func evenlySpacedSubset() {
        let strings = (0..<25).map(String.init)
        #expect(TrainingSession.evenlySpaced(strings, count: 30) == strings)
        #expect(TrainingSession.evenlySpaced(strings, count: 5) == ["0", "5", "10", "15", "20"])
        #expect(TrainingSession.evenlySpaced(strings, count: 10) == ["0", "2", "5", "7", "10", "12", "15", "17", "20", "22"])
    }

    /// Samples come in blocks of at most 1,000 (what `sample` writes as it goes), the same
    /// strings as all at once; a likelihood scored in chunks is the same as scored whole.
    @Test func blocksAreTheWhole() throws {
        var c = TrainingConfiguration(preset: .mle)
        c.iterations = 5
        let s = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        var blocks: [[String]] = []
        s.sample(count: 2_345, seed: 4) { blocks.append($0) }
        #expect(blocks.map(\.count) == [1000, 1000, 345])
        #expect(blocks.flatMap { $0 } == s.sample(count: 2_345, seed: 4))
        let strings = Array(s.dataset.strings.prefix(1_234))  // chunks of 500, 500, 234
        let whole = strings.enumerated().reduce(0.0) { sum, item in sum + s.negativeLogLikelihood([item.element]) }
        #expect(abs(s.negativeLogLikelihood(strings) - whole / Double(strings.count)) < 1e-5)
    }
}

@Suite struct MemoryEstimateTests {
    /// The estimate is of the right size where it was measured (bench's peak: 36 MB at the
    /// paper's size, 1.29 GB at the molecule size, both with about 100 MB of start-up), and
    /// grows with every size that allocates, and with R1's penalty (a third discriminator
    /// workspace).
    @Test func estimatesAreOfTheRightSize() {
        var c = TrainingConfiguration(preset: .paperA)
        let paper = MemoryEstimate.bytes(c, vocabulary: 6, length: 12, strings: 5000)
        #expect(paper > 100e6 && paper < 150e6, "\(paper)")
        (c.hiddenSize, c.discriminatorHiddenSize, c.embeddingSize, c.layers, c.discriminatorLayers) = (512, 512, 64, 2, 2)
        let molecule = MemoryEstimate.bytes(c, vocabulary: 26, length: 57, strings: 0)
        #expect(molecule > 0.6e9 && molecule < 2.6e9, "\(molecule)")
        for change in [
            { (c: inout TrainingConfiguration) in c.hiddenSize *= 2 }, { $0.batchSize *= 2 }, { $0.generatorBatchSize *= 2 },
            { $0.gradientPenalty = 1 }, { $0.fakeGradientPenalty = 1 },
        ] {
            var d = c
            change(&d)
            #expect(MemoryEstimate.bytes(d, vocabulary: 26, length: 57, strings: 0) > molecule)
        }
        #expect(MemoryEstimate.bytes(c, vocabulary: 26, length: 1_000_000_000, strings: 5000).isFinite)
    }
}
