import Foundation
import Testing

@testable import GumbelGAN

@Suite struct ProductCountTests {
    /// Runs `op(A)·op(B)` of `m × k` by `k × n` on fresh zero operands.
    func product(m: Int, n: Int, k: Int, _ ta: Transpose = .none) {
        let a = Tensor(zeros: ta == .none ? [m, k] : [k, m]), b = Tensor(zeros: [k, n]), c = Tensor(zeros: [m, n])
        gemm(a.matrix, ta, b.matrix, .none, into: c.matrix)
    }

    @Test func countsTwoOperationsPerMultiplyAddOfThisThreadsProducts() {
        product(m: 9, n: 9, k: 9)  // outside any measurement: not counted anywhere
        let (_, operations) = ProductCount.measure {
            product(m: 3, n: 5, k: 7)
            product(m: 4, n: 2, k: 6, .transposed)
            product(m: 4, n: 2, k: 0)  // no multiply–adds
            let other = Thread { product(m: 50, n: 50, k: 50) }
            other.start()
            while !other.isFinished { usleep(100) }
        }
        #expect(operations == 2 * (3 * 5 * 7 + 4 * 2 * 6))
        let (inner, outer) = ProductCount.measure { () -> Int in
            product(m: 2, n: 2, k: 2)
            return ProductCount.measure { product(m: 1, n: 1, k: 3) }.operations
        }
        #expect(inner == 6 && outer == 16)
    }

    /// The products of one adversarial iteration, counted from the layers' equations, against
    /// what the counter sees: the paper's one-layer networks, then what a second layer adds to each.
    @Test func countsAnAdversarialIterationAsTheLayersPrescribe() {
        let (v, g, d, t, r, f) = (5, 6, 7, 4, 3, 2)
        func iteration(layers: Int) -> Int {
            let generator = Generator(vocabularySize: v, hiddenSize: g, length: t, layers: layers)
            let discriminator = Discriminator(vocabularySize: v, hiddenSize: d, length: t, layers: layers)
            generator.parameters.initialize(.uniform(bound: 0.5), seed: 1)
            discriminator.parameters.initialize(.uniform(bound: 0.5), seed: 2)
            let step = AdversarialStep(
                generator: generator, discriminator: discriminator, realRows: r, fakeRows: f,
                estimator: .gumbelSoftmax, encoder: RealInputs(.smoothed, vocabularySize: v), adam: AdamSettings())
            let symbols = [Int32](repeating: 1, count: r * t)
            return ProductCount.measure {
                _ = symbols.withUnsafeBufferPointer {
                    step.run(step: 0, realSymbols: $0, temperature: 1, inputTemperature: 1, random: CounterRandom(seed: 3))
                }
            }.operations
        }
        // Multiply–adds per example. Generator: T−1 LSTM steps after the first output, T output
        // layers; backward twice the forward. Discriminator: forward on the R real and F
        // generated rows of its step and the F rows of the generator's, T steps and the output
        // layer; backward in its own step (recurrent and weight gradients, the output layer's
        // weight and input gradients), in the generator's (recurrent and input gradients).
        let generatorPass = (t - 1) * 4 * g * (v + g) + t * v * g
        let discriminatorForward = t * 4 * d * (v + d) + d
        let parameterBackward = t * 4 * d * (2 * d + v) + 2 * d
        let inputBackward = t * 4 * d * (d + v) + d
        let oneLayer =
            3 * f * generatorPass + (r + 2 * f) * discriminatorForward + (r + f) * parameterBackward + f * inputBackward
        #expect(iteration(layers: 1) == 2 * oneLayer)
        // A second layer of each: 4H·2H per step forward; backward twice that in each network's
        // own update (its input gradient feeds the layer below), once in the generator's step.
        let secondLayers = 3 * f * (t - 1) * 8 * g * g + ((r + 2 * f) + 2 * (r + f) + f) * t * 8 * d * d
        #expect(iteration(layers: 2) == 2 * (oneLayer + secondLayers))
    }
}
