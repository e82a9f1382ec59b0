import Testing

@testable import GumbelGAN

/// The CNN discriminator (`--discriminator cnn`): its parameters' gradient of the
/// discriminator's loss and the gradient it hands the generator (of its soft inputs), against
/// central differences in Float32 away from the kinks of ReLU and the maximum over positions.
@Suite struct ConvolutionalDiscriminatorTests {
    @Test(arguments: [0, 3])
    func gradients(embedding: Int) {
        let f = GANFixture(initialState: .noise, embedding: embedding, dropout: embedding > 0 ? 0.3 : 0, convolutionWidths: [2, 3])
        let d = f.discriminator
        let expected =
            (embedding > 0 ? ["embedding.weight"] : []) + [
                "convs.0.weight", "convs.0.bias", "convs.1.weight", "convs.1.bias", "highway.weight", "highway.bias", "out.weight", "out.bias",
            ]
        #expect(d.parameters.layout.entries.map(\.name) == expected)
        let channels = embedding > 0 ? embedding : f.vocabulary
        #expect(d.parameters.layout.entries.first { $0.name == "convs.1.weight" }!.shape == [4, 1, 3, channels])
        if embedding > 0 {
            #expect((0..<f.rows).contains { r in (0..<d.features).contains { f.dFake.featureMask[r, $0] == 0 } })
        }
        _ = f.discriminatorLoss(backward: true)
        expectGradientsAwayFromKinks(
            "CNN D (embedding \(embedding))",
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
        expectGradientsAwayFromKinks("CNN D input (embedding \(embedding))", [Checked(name: "x", values: x, analytic: analytic)], loss: inputLoss)
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
