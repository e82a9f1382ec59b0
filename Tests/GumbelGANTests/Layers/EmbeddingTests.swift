import Foundation
import Testing

@testable import GumbelGAN

@Suite struct EmbeddingTests {
    /// `y = x W` on soft rows and on one-hot rows (where it is row `s` of `W` exactly): the
    /// weight's and the input's gradients against central differences; a backward without
    /// the input gradient's transpose fails.
    @Test(arguments: [false, true])
    func gradients(oneHot: Bool) {
        let (embedding, p) = Self.embedding(symbols: 6, size: 3, seed: 1)
        let x = Tensor(zeros: [4, 6]), y = Tensor(zeros: [4, 3]), dx = Tensor(zeros: [4, 6])
        if oneHot {
            for r in 0..<4 { x.matrix[r, (r * 5) % 6] = 1 }
        } else {
            fillUniform(x, bound: 2, seed: 2, row: 0)
            softmaxRows(x.matrix, into: x.matrix)
        }
        let w = projection(count: 12, seed: 3)
        func loss() -> Double {
            embedding.forward(x.matrix, into: y.matrix)
            return dot(w, y.values)
        }
        _ = loss()
        if oneHot { for r in 0..<4 { #expect((0..<3).map { y.matrix[r, $0] } == (0..<3).map { embedding.weight.matrix[(r * 5) % 6, $0] }) } }
        let dy = Tensor(shape: [4, 3], values: w)
        p.zeroGradients()
        embedding.accumulateGradients(input: x.matrix, outputGradient: dy.matrix)
        embedding.inputGradient(dy.matrix, into: dx.matrix)
        _ = expectGradients(
            "Embedding \(oneHot ? "one-hot" : "soft")",
            [
                Checked(name: "weight", values: embedding.weight, analytic: embedding.weightGradient.array),
                Checked(name: "input", values: x, analytic: dx.array),
            ], loss: loss)
        let wrong = Tensor(zeros: [4, 6])
        gemm(dy.matrix, .none, Matrix(embedding.weight.base, rows: 3, columns: 6), .none, into: wrong.matrix)
        #expect(!passes(wrong.array, values: x, loss: loss), "an input gradient through the untransposed table passed")
    }

    /// One-hot rows given by their symbols copy rows of the table: the product's values bit
    /// for bit (every other term of the product is a zero), and a row taken from the wrong
    /// symbol differs.
    @Test func rowsOfOneHotInputsAreTheProduct() {
        let (embedding, _) = Self.embedding(symbols: 7, size: 5, seed: 4)
        let symbols = [3, 0, 6, 3, 1, 5]
        let x = Tensor(zeros: [6, 7]), product = Tensor(zeros: [6, 5]), rows = Tensor(zeros: [6, 5])
        for (r, s) in symbols.enumerated() { x.matrix[r, s] = 1 }
        embedding.forward(x.matrix, into: product.matrix)
        embedding.forward(oneHotRows: { symbols[$0] }, into: rows.matrix)
        #expect(rows.array == product.array)
        embedding.forward(oneHotRows: { (symbols[$0] + 1) % 7 }, into: rows.matrix)
        #expect(rows.array != product.array, "rows of the wrong symbols matched the product")
    }

    /// A table of `symbols × size` values drawn from U(−0.5, 0.5), and its parameters.
    private static func embedding(symbols: Int, size: Int, seed: UInt64) -> (Embedding, Parameters) {
        var layout = ParameterLayout()
        Embedding.declare(in: &layout, prefix: "embedding", symbols: symbols, size: size)
        let p = Parameters(layout: layout)
        p.initialize(.uniform(bound: 0.5), seed: seed)
        return (Embedding(p, prefix: "embedding"), p)
    }
}
