@testable import GumbelGAN

/// The whole chain of Algorithm 1 on a few examples: noise → generator (feeding back its
/// own Gumbel-softmax samples) → discriminator → loss.
struct GANFixture {
    let rows = 3, vocabulary = 6, length = 5
    let temperature: Float = 1.5
    let generator: Generator
    let discriminator: Discriminator
    let g: Generator.Workspace
    let dFake: Discriminator.Workspace, dReal: Discriminator.Workspace
    let real: Tensor
    let logitGradients: Tensor

    /// The paper's networks, or with `layers`, `embedding` and `dropout` the stacked and
    /// embedded ones (their dropout masks drawn once and held fixed); with `convolutionWidths`
    /// a CNN discriminator, reading `representations` slices of its inputs.
    init(
        initialState: GeneratorInitialState, layers: Int = 1, embedding: Int = 0, dropout: Float = 0, convolutionWidths: [Int] = [],
        representations: Int = 1
    ) {
        generator = Generator(
            vocabularySize: vocabulary, hiddenSize: 5, length: length, initialState: initialState, layers: layers,
            embeddingSize: embedding, dropout: dropout)
        discriminator = Discriminator(
            vocabularySize: vocabulary, hiddenSize: 4, length: length, layers: convolutionWidths.isEmpty ? layers : 1,
            embeddingSize: embedding, dropout: dropout, convolutionWidths: convolutionWidths, representations: representations)
        generator.parameters.initialize(.uniform(bound: 0.5), seed: 21)
        discriminator.parameters.initialize(.uniform(bound: 0.5), seed: 22)
        g = Generator.Workspace(generator: generator, rows: rows)
        dFake = Discriminator.Workspace(discriminator: discriminator, rows: rows)
        dReal = Discriminator.Workspace(discriminator: discriminator, rows: rows)
        generator.drawNoise(g, random: CounterRandom(seed: 23), step: 4, firstRow: 10)
        generator.drawDropout(g, random: CounterRandom(seed: 23), step: 4, firstRow: 10)
        discriminator.drawDropout(dFake, random: CounterRandom(seed: 23), step: 4, firstRow: 10, role: 2)
        dReal.copyDropout(from: dFake)
        // Soft one-hot "real" sequences.
        real = Tensor(zeros: [length, rows, vocabulary])
        fillUniform(real, bound: 3, seed: 24, row: 0)
        softmaxRows(real.matrix, into: real.matrix)
        logitGradients = Tensor(zeros: [rows])
    }

    var scale: Float { 1 / Float(rows) }

    /// `mean softplus(−a_real) + mean softplus(a_fake)`; with `backward`, its gradient
    /// with respect to the discriminator's parameters (the fakes held fixed).
    func discriminatorLoss(backward: Bool) -> Double {
        generator.forward(g, temperature: temperature)
        if backward { discriminator.parameters.zeroGradients() }
        var total = 0.0
        for (x, ws, kind) in [(real, dReal, LogitLoss.real), (g.samples, dFake, .fake)] {
            discriminator.forward(x, ws)
            total += kind.evaluate(logits: UnsafeBufferPointer(ws.logits.values), scale: scale, gradients: ws.logitGradients.values)
            if backward { discriminator.backward(ws, .parameters) }
        }
        return total * Double(scale)
    }

    /// RelGAN's relativistic losses through ``RelativisticLoss``, real and generated rows
    /// paired as ``AdversarialStep`` pairs them: for the discriminator (`generator` false)
    /// with its parameters' gradient, for the generator with its parameters' and noise's.
    func relativisticLoss(generator forGenerator: Bool, backward: Bool) -> Double {
        generator.forward(g, temperature: temperature)
        discriminator.forward(real, dReal)
        discriminator.forward(g.samples, dFake)
        let (realLogits, fakeLogits) = (UnsafeBufferPointer(dReal.logits.values), UnsafeBufferPointer(dFake.logits.values))
        let total =
            forGenerator
            ? RelativisticLoss.evaluate(
                fakeLogits, realLogits, scale: scale, gradientsA: dFake.logitGradients.values, gradientsB: nil)
            : RelativisticLoss.evaluate(
                realLogits, fakeLogits, scale: scale, gradientsA: dReal.logitGradients.values,
                gradientsB: dFake.logitGradients.values)
        if backward && forGenerator {
            generator.parameters.zeroGradients()
            discriminator.backward(dFake, .inputs)
            generator.backward(g, sampleGradients: dFake.inputGradients, temperature: temperature)
        } else if backward {
            discriminator.parameters.zeroGradients()
            discriminator.backward(dReal, .parameters)
            discriminator.backward(dFake, .parameters)
            discriminator.output.biasGradient.zero()  // as AdversarialStep does: the loss does not depend on it
        }
        return total * Double(scale)
    }

    /// `−mean a_fake`; with `backward`, its gradient with respect to the generator's
    /// parameters and noise, through the discriminator.
    func generatorLoss(backward: Bool, estimator: Estimator = .gumbelSoftmax) -> Double {
        generator.forward(g, temperature: temperature, estimator: estimator)
        discriminator.forward(g.samples, dFake)
        let total = LogitLoss.generator.evaluate(
            logits: UnsafeBufferPointer(dFake.logits.values), scale: scale,
            gradients: dFake.logitGradients.values)
        if backward {
            generator.parameters.zeroGradients()
            discriminator.backward(dFake, [.parameters, .inputs])
            generator.backward(g, sampleGradients: dFake.inputGradients, temperature: temperature, estimator: estimator)
        }
        return total * Double(scale)
    }

}
