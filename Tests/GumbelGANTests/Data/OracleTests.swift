import Foundation
import Testing

@testable import GumbelGAN

@Suite struct OracleTests {
    /// A tiny oracle whose LSTM is switched off (all its weights zero, so h stays 0 and every
    /// position's distribution is softmax(b)): its NLL of any sentence is worked by hand, and
    /// its sentences follow softmax(b).
    @Test func likelihoodByHand() {
        let oracle = Oracle(seed: 3, vocabularySize: 4, embeddingSize: 2, hiddenSize: 3, length: 5)
        for e in oracle.parameters.layout.entries where e.name.hasPrefix("lstm.") { oracle.parameters.value(e.name).zero() }
        let b: [Float] = [0, 1, 2, -1]
        oracle.parameters.value("out.bias").base.update(from: b, count: 4)
        let logZ = Foundation.log(b.map { Foundation.exp(Double($0)) }.reduce(0, +))
        let sentence: [Int32] = [2, 0, 1, 2, 3]
        let byHand = sentence.map { logZ - Double(b[Int($0)]) }.reduce(0, +) / 5
        #expect(abs(oracle.negativeLogLikelihood([sentence, sentence]) - byHand) < 1e-6)
        let drawn = oracle.sample(.training, count: 2000, seed: 9).flatMap { $0 }
        for (v, bias) in b.enumerated() {
            let expected = Foundation.exp(Double(bias) - logZ)
            let seen = Double(drawn.filter { $0 == Int32(v) }.count) / Double(drawn.count)
            #expect(abs(seen - expected) < 0.02, "symbol \(v): \(seen) vs \(expected)")
        }
    }

    /// The protocol's sizes, N(0, 1) weights, sentences addressed by seed, set and index
    /// (any split of the work gives the same sentences); its held-out NLL is far below the
    /// uniform log V.
    @Test func protocolAndDeterminism() {
        let oracle = Oracle(seed: 1, vocabularySize: 300, embeddingSize: 32, hiddenSize: 32, length: 20)
        #expect(
            oracle.parameters.layout.entries.map(\.name) == [
                "embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "out.weight", "out.bias",
            ])
        let w = oracle.parameters.value("out.weight").array.map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count), variance = w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(w.count)
        #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.05, "N(0, 1): mean \(mean), variance \(variance)")
        let whole = oracle.sample(.training, count: 30, seed: 5)
        let parts = oracle.sample(.training, first: 0, count: 13, seed: 5) + oracle.sample(.training, first: 13, count: 17, seed: 5)
        #expect(whole == parts && whole.allSatisfy { $0.count == 20 })
        #expect(Oracle(seed: 1, vocabularySize: 300).sample(.training, count: 5, seed: 5) != oracle.sample(.heldOut, count: 5, seed: 5))
        let floor = oracle.negativeLogLikelihood(oracle.sample(.heldOut, count: 200, seed: 5))
        #expect(floor < 0.8 * Foundation.log(300.0), "the oracle's own NLL \(floor) is well below uniform")
    }

    /// A run on oracle data: the vocabulary is the oracle's symbols in order, the data the
    /// same for any training seed, and an evaluation reports NLL-oracle and the floor;
    /// NLL-oracle of the oracle's own sentences is near the floor.
    @Test func oracleDataAndMetrics() throws {
        var c = TrainingConfiguration(preset: .mle, seed: 2)
        (c.iterations, c.batchSize, c.evaluationSamples, c.embeddingSize) = (3, 16, 50, 8)
        c.data = .oracle(seed: 4, size: 40, heldOut: 30)
        let dataset = try Dataset.load(c.data, seed: c.seed)
        #expect(dataset.vocabulary.count == 5001 && dataset.vocabulary.symbols[17] == "17" && dataset.length == 20)
        #expect(try Dataset.load(c.data, seed: 99).strings == dataset.strings)
        let oracle = try #require(dataset.oracle)
        let symbols = try #require(dataset.oracleSymbols(dataset.strings[0]))
        #expect(Dataset.sentence(symbols) == dataset.strings[0] && dataset.isValid(dataset.strings[0]) && !dataset.isValid("1 2 3"))
        let session = try TrainingSession(configuration: c, dataset: dataset)
        _ = try TrainingRun(session: session).run()
        let e = session.evaluate(count: 50)
        let floor = try #require(e.oracleFloor), nllOracle = try #require(e.oracleNLL)
        #expect(e.heldOutNLL != nil && nllOracle > floor)
        // Every sentence is 20 words (the metrics count words, not characters).
        #expect(session.trainingReference.lengths == [20: 1] && e.samples.lengthJS == 0)
        let own = oracle.negativeLogLikelihood(dataset.strings.compactMap(dataset.oracleSymbols))
        #expect(abs(own - floor) < 0.5, "the oracle's NLL of its training sentences \(own) vs of its held-out ones \(floor)")

        // At a sampling temperature the evaluation scores the cooled model: its samples (the
        // evaluation seed's draws at T) and its NLL of the held-out sentences.
        let cooled = session.evaluate(count: 50, temperature: 0.5)
        let drawn = session.sample(count: 50, seed: SampleSeed.evaluation(of: c.seed), temperature: 0.5)
        #expect(cooled.oracleNLL == oracle.negativeLogLikelihood(drawn.compactMap(dataset.oracleSymbols)))
        #expect(cooled.oracleNLL != nllOracle && cooled.oracleFloor == floor)
        let held = try #require(dataset.heldOut())
        let heldCooled = session.withSamplingWeights(temperature: 0.5) { session.negativeLogLikelihood(held) }
        #expect(cooled.heldOutNLL == heldCooled && heldCooled != session.negativeLogLikelihood(held))
        #expect(session.evaluate(count: 50) == e, "evaluating at T = 0.5 left the weights as they were")
    }
}
