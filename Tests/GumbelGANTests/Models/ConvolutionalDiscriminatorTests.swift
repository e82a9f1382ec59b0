import Testing

@testable import GumbelGAN

/// The CNN discriminator (`--discriminator cnn`): its parameters' gradient of the
/// discriminator's loss and the gradient it hands the generator (of its soft inputs), against
/// central differences in Float32 away from the kinks of ReLU and the maximum over positions;
/// with RelGAN's representations (slices of the embedded inputs' channels, one logit each) too;
/// and the whole chain through it against the Float64 reference.
@Suite struct ConvolutionalDiscriminatorTests {
    @Test(arguments: [(0, 1), (3, 1), (4, 2)])
    func gradients(embedding: Int, representations: Int) {
        let f = GANFixture(
            initialState: .noise, embedding: embedding, dropout: embedding > 0 ? 0.3 : 0, convolutionWidths: [2, 3],
            representations: representations)
        let d = f.discriminator
        let expected =
            (embedding > 0 ? ["embedding.weight"] : []) + [
                "convs.0.weight", "convs.0.bias", "convs.1.weight", "convs.1.bias", "highway.weight", "highway.bias", "out.weight", "out.bias",
            ]
        #expect(d.parameters.layout.entries.map(\.name) == expected)
        let channels = embedding > 0 ? embedding / representations : f.vocabulary
        #expect(d.parameters.layout.entries.first { $0.name == "convs.1.weight" }!.shape == [4, 1, 3, channels])
        #expect(f.dFake.logits.count == f.rows * representations)
        if embedding > 0 {
            #expect((0..<f.rows * representations).contains { r in (0..<d.features).contains { f.dFake.featureMask[r, $0] == 0 } })
        }
        _ = f.discriminatorLoss(backward: true)
        expectGradientsAwayFromKinks(
            "CNN D (embedding \(embedding), \(representations) representations)",
            d.parameters.layout.entries.map {
                Checked(name: $0.name, values: d.parameters.value($0.name), analytic: d.parameters.gradient($0.name).array)
            }
        ) { f.discriminatorLoss(backward: false) }
        // The gradient the generator's backward reads: ∂(−mean a)/∂x of soft inputs.
        let x = f.real
        let inputLoss = {
            d.forward(x, f.dReal)
            let total = LogitLoss.generator.evaluate(
                logits: UnsafeBufferPointer(f.dReal.logits.values), scale: f.scale, gradients: f.dReal.logitGradients.values)
            return total * Double(f.scale)
        }
        _ = inputLoss()
        d.backward(f.dReal, .inputs)
        let analytic = f.dReal.inputGradients.array
        d.backward(f.dReal, [.parameters, .inputs])
        #expect(f.dReal.inputGradients.array == analytic, "a second backward pass changed the input gradient")
        expectGradientsAwayFromKinks(
            "CNN D input (embedding \(embedding), \(representations) representations)", [Checked(name: "x", values: x, analytic: analytic)],
            loss: inputLoss)
    }

    /// The whole chain through the CNN against the Float64 reference, where central
    /// differences step far inside the kinks that Float32 differences cross: the
    /// discriminator's parameters (its loss and the relativistic one), the generator's
    /// parameters and noise through it; with up to 4 representations of 1–3 channels each.
    @Test(arguments: [(0, 1), (3, 1), (6, 3), (4, 4)])
    func matchesTheFloat64Reference(embedding: Int, representations: Int) {
        let f = GANFixture(
            initialState: .noise, embedding: embedding, dropout: embedding > 0 ? 0.3 : 0, convolutionWidths: [2, 3],
            representations: representations)
        var reference = ReferenceGAN(f)
        let label = "CNN chain (embedding \(embedding), \(representations) representations)"
        #expect(abs(f.discriminatorLoss(backward: true) - reference.discriminatorLoss()) < 1e-5)
        reference.expectGradients("\(label) D", of: f.discriminator.parameters, in: \.discriminator) { $0.discriminatorLoss() }
        #expect(abs(f.generatorLoss(backward: true) - reference.generatorLoss()) < 1e-5)
        reference.expectGeneratorGradients("\(label) G", f) { $0.generatorLoss() }
        #expect(abs(f.relativisticLoss(generator: false, backward: true) - reference.relativisticLoss(generator: false)) < 1e-5)
        reference.expectGradients("\(label) rsgan D", of: f.discriminator.parameters, in: \.discriminator) {
            $0.relativisticLoss(generator: false)
        }
    }

    /// A CNN backward that sends each representation's gradient to the first slice of the
    /// channels (as if the slices shared one input) fails the reference check.
    @Test func representationsWithOneSliceFail() {
        let f = GANFixture(initialState: .noise, embedding: 6, convolutionWidths: [2, 3], representations: 3)
        var reference = ReferenceGAN(f)
        _ = f.generatorLoss(backward: false)
        f.generator.parameters.zeroGradients()
        f.discriminator.backward(f.dFake, .inputs)
        // The embedded inputs' gradient as the backward left it: move slices 1, 2 onto slice 0.
        let embedded = f.dFake.embeddedGradients!
        let (c, slices) = (2, 3)
        for t in 0..<f.length {
            for r in 0..<f.rows {
                for k in 1..<slices {
                    for j in 0..<c {
                        embedded[t][r, j] += embedded[t][r, k * c + j]
                        embedded[t][r, k * c + j] = 0
                    }
                }
            }
        }
        f.discriminator.embedding!.inputGradient(embedded.matrix, into: f.dFake.inputGradients.matrix)
        f.generator.backward(f.g, sampleGradients: f.dFake.inputGradients, temperature: f.temperature)
        let numeric = reference.numericGradient(\.generator["lstm.weight_ih_l0"]!) { $0.generatorLoss() }
        let error = GradientCheck.relativeError(f.generator.parameters.gradient("lstm.weight_ih_l0").array, numeric)
        #expect(error > 100 * GradientCheck.referenceTolerance, "a backward with one slice matched the reference: \(error)")
    }

    /// Representation `k` of an input is what a one-representation discriminator with the same
    /// filters gives when its embedding is the `k`-th slice of the table's columns (RelGAN's
    /// `num_rep`: each slice of the embedding a CNN input of its own, in that order).
    @Test func eachRepresentationIsTheCNNOfItsSlice() {
        let (r, e) = (3, 6)
        let f = GANFixture(initialState: .noise, embedding: e, convolutionWidths: [2, 3], representations: r)
        let d = f.discriminator
        d.forward(f.real, f.dReal)
        let single = Discriminator(
            vocabularySize: f.vocabulary, hiddenSize: d.hiddenSize, length: f.length, embeddingSize: e / r, convolutionWidths: [2, 3])
        let workspace = Discriminator.Workspace(discriminator: single, rows: f.rows)
        for k in 0..<r {
            for entry in single.parameters.layout.entries {
                let target = single.parameters.value(entry.name)
                let source = d.parameters.value(entry.name)
                if entry.name == "embedding.weight" {
                    for v in 0..<f.vocabulary {
                        for j in 0..<(e / r) { target.base[v * (e / r) + j] = source.base[v * e + k * (e / r) + j] }
                    }
                } else {
                    #expect(target.shape == source.shape, "\(entry.name)")
                    target.base.update(from: source.base, count: source.count)
                }
            }
            single.forward(f.real, workspace)
            for i in 0..<f.rows {
                let (expected, got) = (workspace.logits.base[i], f.dReal.logits.base[i * r + k])
                #expect(abs(expected - got) <= 1e-5 * max(1, abs(expected)), "input \(i), representation \(k): \(got), expected \(expected)")
            }
        }
        #expect(f.dReal.logits.base[0] != f.dReal.logits.base[1], "the first two representations gave the same logit")
    }

    /// A discriminator that skips its dropout mask on the way back fails the check.
    @Test func backwardWithoutTheMaskFails() {
        let f = GANFixture(initialState: .noise, embedding: 3, dropout: 0.3, convolutionWidths: [2, 3])
        let d = f.discriminator
        let loss = { f.discriminatorLoss(backward: false) }
        _ = loss()
        let masks = [f.dReal.featureMask, f.dFake.featureMask]
        let saved = masks.map(\.array)
        d.parameters.zeroGradients()
        for m in masks { m.values.update(repeating: 1) }
        _ = f.discriminatorLoss(backward: true)
        for (m, values) in zip(masks, saved) { m.base.update(from: values, count: values.count) }
        // The forward passes above ran unmasked: redo them masked, keeping the unmasked gradient.
        let analytic = d.parameters.gradient("highway.weight").array
        #expect(!passes(analytic, values: d.parameters.value("highway.weight"), loss: loss), "an unmasked backward passed")
    }
}
