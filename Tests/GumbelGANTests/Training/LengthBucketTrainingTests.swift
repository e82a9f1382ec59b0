import Foundation
import Testing

@testable import GumbelGAN

@Suite struct LengthBucketTrainingTests {
    /// Teacher forcing over the first `steps` positions gives the gradient of the full pass
    /// whose loss leaves out the positions after them, even when the workspace holds another
    /// pass's values there (an embedded 2-layer generator with dropout and a learned state).
    /// The positions left out do count in the full loss: the check can see them.
    @Test func truncatedPassIsTheMaskedFullPass() {
        let (v, t, rows, steps) = (5, 7, 4, 4)
        let g = Generator(vocabularySize: v, hiddenSize: 6, length: t, initialState: .learned, layers: 2, embeddingSize: 3, dropout: 0.3)
        g.parameters.initialize(.uniform(bound: 0.5), seed: 3)
        let ws = Generator.Workspace(generator: g, rows: rows)
        let random = CounterRandom(seed: 5)
        g.drawDropout(ws, random: random, step: 2, firstRow: 0)
        // Every row ends (padding, symbol 4) by position 3.
        let lengths = [3, 1, 2, 3]
        let inputs = Tensor(zeros: [t, rows, v])
        for r in 0..<rows { for s in 0..<t { inputs[s][r, s < lengths[r] ? (r + s) % 4 : 4] = 1 } }

        func gradient(steps: Int?, maskFrom: Int?) -> (Double, [Float]) {
            g.parameters.zeroGradients()
            g.forward(ws, teacherInputs: inputs, steps: steps)
            let n = steps ?? t
            let nll = SequenceLikelihood.negativeLogLikelihood(
                logits: ws.logits.prefix(steps: n), targets: inputs.prefix(steps: n), scale: 0.1,
                gradients: ws.logitGradients.prefix(steps: n))
            if let m = maskFrom { for s in m..<t { ws.logitGradients[s].zero() } }
            g.backwardTeacherForced(ws, steps: steps)
            return (nll, Array(g.parameters.gradients.values))
        }
        let (_, masked) = gradient(steps: nil, maskFrom: steps)
        let (_, unmasked) = gradient(steps: nil, maskFrom: nil)
        // The workspace now holds a full pass's gradients; the truncated pass must not read
        // past its steps.
        let (nll, truncated) = gradient(steps: steps, maskFrom: nil)
        g.forward(ws, teacherInputs: inputs)
        let full = SequenceLikelihood.negativeLogLikelihood(
            logits: ws.logits.prefix(steps: steps), targets: inputs.prefix(steps: steps), scale: 0, gradients: Tensor(zeros: [steps, rows, v]))
        #expect(abs(nll - full) < 1e-9 * abs(full))
        let scale = masked.map { abs($0) }.max()!
        let error = zip(truncated, masked).map { abs($0 - $1) }.max()! / scale
        let tail = zip(unmasked, masked).map { abs($0 - $1) }.max()! / scale
        #expect(error < 1e-6, "truncated vs masked full pass: \(error)")
        #expect(tail > 1e-3, "the positions after the steps change the gradient: \(tail)")
    }

    /// With length buckets each maximum-likelihood batch comes from one bucket and runs
    /// through its longest example's end; over many batches each example is drawn about as
    /// often as any other (within 5σ), as without buckets.
    @Test func bucketedBatchesAreUniformOverExamples() throws {
        let lines = (1...12).map { String(repeating: "ab", count: $0).prefix($0) }.map(String.init)
        let path = temporaryFolder() + "/lines.txt"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var c = TrainingConfiguration(preset: .mle, seed: 3)
        (c.data, c.batchSize, c.generatorBatchSize, c.lengthBuckets) = (.file(path: path, maximumLength: nil, skipLong: false), 4, 4, 3)
        let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        let t = session.dataset.length
        var counts = [Int](repeating: 0, count: 13)
        let draws = 3000
        for step in 0..<draws {
            let steps = try #require(session.drawBatch(step: step, byLength: true))
            let lengths = (0..<4).map { r in (0..<t).filter { session.batch[r * t + $0] != Int32(session.dataset.vocabulary.paddingIndex) }.count }
            #expect(Set(lengths.map { ($0 - 1) / 4 }).count == 1, "step \(step): lengths \(lengths) span buckets")
            #expect(steps == min(lengths.max()! + 1, t))
            for l in lengths { counts[l] += 1 }
        }
        let expected = Double(4 * draws) / 12
        let sigma = (expected * (1 - 1.0 / 12)).squareRoot()
        for l in 1...12 { #expect(abs(Double(counts[l]) - expected) < 5 * sigma, "length \(l): \(counts[l]) draws, expected \(expected)") }
        // Without buckets the batch is the one drawn before buckets existed.
        #expect(session.drawBatch(step: 0) == nil)
    }

    /// `--length-buckets` is refused where it cannot act, and above the example count.
    @Test func badBucketCountsAreRefused() throws {
        var c = TrainingConfiguration(preset: .tuned, seed: 1)
        c.lengthBuckets = 4
        #expect(throws: ConfigurationError.self) { try c.validate(ranks: 1) }
        c.pretrainIterations = 2
        try c.validate(ranks: 1)
        var m = TrainingConfiguration(preset: .mle, seed: 1)
        m.lengthBuckets = -1
        #expect(throws: ConfigurationError.self) { try m.validate(ranks: 1) }
        (m.lengthBuckets, m.data) = (20, .grammar(Grammar(), size: 10))
        do {
            _ = try TrainingSession(configuration: m, dataset: try Dataset.load(m.data, seed: 1))
            Issue.record("20 buckets of 10 examples were accepted")
        } catch let e as ConfigurationError {
            #expect(e.description.contains("lengthBuckets (20) must not exceed the training examples (10)"), "\(e)")
        }
    }
}
