import Foundation
import Testing

@testable import GumbelGAN

extension ReferenceGAN {
    /// R1's penalty `γ/2 · mean_i ‖∇ₓ Σ_k a_ik(x_i)‖²` on the real rows, in Float64, each input
    /// gradient by central differences (step 1e-4: its rounding, 1e-12, stays far below what
    /// the parameters' differences of 1e-6 can see).
    func gradientPenalty(_ gamma: Double) -> Double {
        let h = 1e-4
        var total = 0.0
        for r in 0..<rows {
            var x = (0..<length).map { real[$0][r] }
            for t in 0..<length {
                for v in 0..<vocabulary {
                    let saved = x[t][v]
                    x[t][v] = saved + h
                    let up = logits(x, row: r).reduce(0, +)
                    x[t][v] = saved - h
                    let down = logits(x, row: r).reduce(0, +)
                    x[t][v] = saved
                    total += pow((up - down) / (2 * h), 2)
                }
            }
        }
        return gamma / 2 * total / Double(rows)
    }
}

extension ReferenceGAN {
    /// `∂P/∂θ` of the discriminator's tensor `name` by central differences of ``gradientPenalty(_:)``
    /// with step 1e-4: the 1e-6 of ``numericGradient(_:_:)`` would divide the inner
    /// differences' rounding (1e-12) into noise of 1e-8, the size of the smallest gradients here.
    func penaltyGradient(_ gamma: Double, of name: String) -> [Double] {
        var copy = self
        let h = 1e-4
        return (0..<discriminator[name]!.count).map { i in
            let saved = copy.discriminator[name]![i]
            copy.discriminator[name]![i] = saved + h
            let up = copy.gradientPenalty(gamma)
            copy.discriminator[name]![i] = saved - h
            let down = copy.gradientPenalty(gamma)
            copy.discriminator[name]![i] = saved
            return (up - down) / (2 * h)
        }
    }
}

/// R1's penalty (`--gradient-penalty γ`): its parameter gradient, made of first-order passes
/// only, against Float64 central differences of the penalty itself; the sum it reports; a
/// penalty whose passes lose the dropout masks fails; and a run with it logs and uses it.
@Suite struct GradientPenaltyTests {
    let gamma: Float = 2

    /// The penalty's gradient of a fixture's discriminator on its real rows, with the
    /// fixture's dropout masks when `masks` (as ``AdversarialStep`` draws them alike).
    func penaltyGradient(_ f: GANFixture, masks: Bool = true, logitChange: Float = 1e-2) -> (squares: Double, gradient: Parameters) {
        let d = f.discriminator
        let penalty = GradientPenalty(weight: gamma, discriminator: d, packs: f.rows)
        penalty.logitChange = logitChange
        if masks {
            penalty.workspace.copyDropout(from: f.dReal)
        }
        d.parameters.zeroGradients()
        let squares = penalty.addGradient(d, inputs: f.real, globalPacks: f.rows)
        return (squares, d.parameters)
    }

    /// The paper's discriminator, an embedded 2-layer one with dropout, and RelGAN's CNN
    /// reading 2 representations (the R logits of a pack summed) with dropout on its features,
    /// also with weights of U(±2), whose input gradients (‖g‖² about 4,700 per example) are
    /// the size the grammar's runs reached where their discriminator won.
    /// The estimate is a central difference of step 1e-2 in input space, so it is held to
    /// ``GradientCheck/tolerance`` (the worst seen: 3e-4), not to the reference tolerance of
    /// exact backward passes.
    @Test(arguments: ["paper", "stacked", "cnn", "cnn-large"])
    func matchesTheFloat64Reference(variant: String) {
        let f =
            switch variant {
            case "stacked": GANFixture(initialState: .noise, layers: 2, embedding: 3, dropout: 0.3)
            case "cnn": GANFixture(initialState: .noise, embedding: 4, dropout: 0.3, convolutionWidths: [2, 3], representations: 2)
            case "cnn-large": largeCNN()
            default: GANFixture(initialState: .noise)
            }
        let reference = ReferenceGAN(f)
        let (squares, parameters) = penaltyGradient(f)
        // The reported sum is what the reference's penalty is made of.
        let exact = reference.gradientPenalty(Double(gamma)) * 2 / Double(gamma) * Double(f.rows)
        #expect(abs(squares - exact) <= 1e-4 * exact, "Σ‖∇ₓa‖² \(squares) against \(exact)")
        let label = "R1 penalty (\(variant))"
        // P does not depend on the output bias: its gradient is left exactly as it was (zero).
        #expect(parameters.gradient("out.bias").array.allSatisfy { $0 == 0 })
        let checked = parameters.layout.entries.map(\.name).filter { $0 != "out.bias" }
        let numeric = checked.map { reference.penaltyGradient(Double(gamma), of: $0) }
        for (name, numeric) in zip(checked, numeric) {
            let error = GradientCheck.relativeError(parameters.gradient(name).array, numeric)
            print("gradient check \(label) \(name): worst relative error \(String(format: "%.2e", error))")
            #expect(error < GradientCheck.tolerance, "\(label) \(name): relative error \(error)")
        }
    }

    /// The CNN of the reference check with weights of U(±2).
    func largeCNN() -> GANFixture {
        let f = GANFixture(initialState: .noise, embedding: 4, dropout: 0.3, convolutionWidths: [2, 3], representations: 2)
        f.discriminator.parameters.initialize(.uniform(bound: 2), seed: 22)
        return f
    }

    /// At that size a step of 1e-2 whatever the gradient moves the logit by about 0.7 and
    /// crosses the CNN's kinks: the difference measures them, and the check fails (it is
    /// why the step shrinks with ‖g‖).
    @Test func aFixedStepFailsWhereTheGradientIsLarge() {
        let f = largeCNN()
        let reference = ReferenceGAN(f)
        let (_, parameters) = penaltyGradient(f, logitChange: .infinity)
        let name = "embedding.weight"
        let error = GradientCheck.relativeError(parameters.gradient(name).array, reference.penaltyGradient(Double(gamma), of: name))
        #expect(error > 10 * GradientCheck.tolerance, "with a fixed step the error is only \(error)")
    }

    /// Passes at x ± hĝ that do not drop the inputs the real pass dropped differentiate
    /// another function: the check fails.
    @Test func passesWithoutTheMasksFail() {
        let f = GANFixture(initialState: .noise, layers: 2, embedding: 3, dropout: 0.3)
        let reference = ReferenceGAN(f)
        let (_, parameters) = penaltyGradient(f, masks: false)
        let name = "lstm.weight_hh_l1"
        let numeric = reference.penaltyGradient(Double(gamma), of: name)
        let error = GradientCheck.relativeError(parameters.gradient(name).array, numeric)
        #expect(error > 10 * GradientCheck.tolerance, "without the masks the error is only \(error)")
    }

    func configuration(penalty: Float?, fake: Float? = nil) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: .tuned, seed: 5)
        c.fakeGradientPenalty = fake
        (c.batchSize, c.generatorBatchSize, c.pack, c.iterations, c.logEvery) = (12, 12, 2, 6, 3)
        (c.discriminatorWidths, c.embeddingSize, c.dropout, c.gradientPenalty) = ([2, 3], 4, 0.25, penalty)
        c.data = .grammar(Grammar(), size: 60)
        return c
    }

    /// A run with the penalty logs the mean ‖∇ₓa‖² at the real packs and ends elsewhere than
    /// the same run without it; without it nothing is logged and the bits are the plain run's.
    /// R2 (at the generated packs) logs its own figure and moves the run again.
    @Test func aRunUsesAndLogsThePenalty() throws {
        let dataset = try Dataset.load(configuration(penalty: nil).data, seed: 5)
        func train(_ penalty: Float?, fake: Float? = nil) throws -> (records: [MetricsRecord], parameters: [Float]) {
            let session = try TrainingSession(configuration: configuration(penalty: penalty, fake: fake), dataset: dataset)
            let log = EventLog()
            _ = try TrainingRun(session: session, observers: [log]).run()
            return (log.records, Array(session.discriminator!.parameters.values.values))
        }
        let (plain, zero, penalised) = (try train(nil), try train(0), try train(10))
        #expect(plain.parameters == zero.parameters)
        #expect(plain.records.allSatisfy { $0.dGradient == nil && $0.dGradientFake == nil })
        #expect(penalised.parameters != plain.parameters)
        let logged = penalised.records.compactMap(\.dGradient)
        #expect(logged.count == 2 && logged.allSatisfy { $0 > 0 && $0.isFinite }, "\(logged)")
        #expect(penalised.records.allSatisfy { $0.dGradientFake == nil })
        #expect(MetricsText.line(penalised.records[0]).contains("d_grad_real"))
        let json = String(decoding: try JSONEncoder().encode(penalised.records[0]), as: UTF8.self)
        #expect(json.contains("\"d_grad_real\""), "\(json)")
        let both = try train(10, fake: 10)
        #expect(both.parameters != penalised.parameters)
        let fakeLogged = both.records.compactMap(\.dGradientFake)
        #expect(fakeLogged.count == 2 && fakeLogged.allSatisfy { $0 > 0 && $0.isFinite }, "\(fakeLogged)")
        #expect(MetricsText.line(both.records[0]).contains("d_grad_fake"))
    }

    /// A non-finite penalised size, real or generated, marks the interval's figures as not
    /// finite (the run then stops with its non-finite error), as a non-finite loss does.
    @Test func aNonFiniteSizeIsNotFinite() {
        for fake in [false, true] {
            var losses = StepLosses(sums: [1, 1, 1, 0.5, 0.5], realPacks: 2, fakePacks: 2)
            var report = IterationReport(step: 1, temperature: 1)
            report.adversarial = losses
            var interval = IntervalFigures()
            let first = interval.add(report)
            #expect(first)
            if fake { losses.fakeGradientSquaredSum = .nan } else { losses.gradientSquaredSum = .infinity }
            report.adversarial = losses
            let second = interval.add(report)
            #expect(!second, "fake: \(fake)")
        }
    }

    /// Negative, infinite, or in a run without a discriminator: refused, naming the setting.
    @Test func badWeightsAreRefused() {
        for weight: Float in [-1, .infinity, .nan] {
            #expect(throws: ConfigurationError.self, "\(weight)") { try configuration(penalty: weight).validate() }
            #expect(throws: ConfigurationError.self, "\(weight)") { try configuration(penalty: nil, fake: weight).validate() }
        }
        var mle = TrainingConfiguration(preset: .mle)
        mle.gradientPenalty = 1
        #expect((try? mle.validate()) == nil)
        (mle.gradientPenalty, mle.fakeGradientPenalty) = (nil, 1)
        #expect((try? mle.validate()) == nil)
        #expect(throws: Never.self) { try configuration(penalty: 1, fake: 1).validate() }
    }
}
