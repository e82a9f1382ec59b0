import Foundation
import Testing

@testable import GumbelGAN

/// A tensor to check: its values (perturbed by the check) and the analytic gradient.
struct Checked {
    let name: String
    let values: Tensor
    let analytic: [Float]
}

/// Checks every tensor against central differences of `loss`, prints each worst error
/// (the figures quoted in the gradient-check tolerance), and returns them.
@discardableResult
func expectGradients(_ label: String, _ tensors: [Checked], loss: () -> Double) -> [String: Double] {
    var errors: [String: Double] = [:]
    for t in tensors {
        let numeric = GradientCheck.numeric(t.values.values, loss)
        let error = GradientCheck.relativeError(t.analytic, numeric)
        errors[t.name] = error
        print("gradient check \(label) \(t.name): worst relative error \(String(format: "%.2e", error))")
        #expect(error < GradientCheck.tolerance, "\(label) \(t.name): relative error \(error)")
    }
    return errors
}

/// ``expectGradients(_:_:loss:)`` for a loss with kinks: coordinates whose loss has a kink
/// within the step are left out (``GradientCheck/numericAwayFromKinks(_:_:)``), at most a
/// tenth of all, so that the check still covers nearly all of them.
func expectGradientsAwayFromKinks(_ label: String, _ tensors: [Checked], loss: () -> Double) {
    var (total, left) = (0, 0)
    for t in tensors {
        let numeric = GradientCheck.numericAwayFromKinks(t.values.values, loss)
        let kept = numeric.indices.filter { numeric[$0] != nil }
        let error = GradientCheck.relativeError(kept.map { t.analytic[$0] }, kept.map { numeric[$0]! })
        print(
            "gradient check \(label) \(t.name): worst relative error \(String(format: "%.2e", error)) (\(numeric.count - kept.count) of \(numeric.count) at kinks)"
        )
        #expect(error < GradientCheck.tolerance, "\(label) \(t.name): relative error \(error)")
        (total, left) = (total + numeric.count, left + numeric.count - kept.count)
    }
    #expect(10 * left <= total, "\(label): \(left) of \(total) values at kinks")
}

/// Whether a gradient would pass the check (for the tests that must see a wrong one fail).
func passes(_ analytic: [Float], values: Tensor, loss: () -> Double) -> Bool {
    GradientCheck.relativeError(analytic, GradientCheck.numeric(values.values, loss)) < GradientCheck.tolerance
}

@Suite struct LinearTests {
    @Test func gradients() {
        var layout = ParameterLayout()
        Linear.declare(in: &layout, prefix: "fc", inputs: 5, outputs: 3)
        let p = Parameters(layout: layout)
        p.initialize(.uniform(bound: 0.5), seed: 1)
        let fc = Linear(p, prefix: "fc")
        let x = Tensor(zeros: [4, 5]), y = Tensor(zeros: [4, 3]), dx = Tensor(zeros: [4, 5])
        fillUniform(x, bound: 1, seed: 2, row: 0)
        let w = projection(count: 12, seed: 3)
        let dy = Tensor(shape: [4, 3], values: w)
        p.zeroGradients()
        fc.forward(x.matrix, into: y.matrix)
        fc.accumulateGradients(input: x.matrix, outputGradient: dy.matrix)
        fc.inputGradient(dy.matrix, into: dx.matrix)
        expectGradients(
            "Linear",
            [
                Checked(name: "weight", values: p.value("fc.weight"), analytic: p.gradient("fc.weight").array),
                Checked(name: "bias", values: p.value("fc.bias"), analytic: p.gradient("fc.bias").array),
                Checked(name: "input", values: x, analytic: dx.array),
            ]
        ) {
            fc.forward(x.matrix, into: y.matrix)
            return dot(w, y.values)
        }
    }
}

@Suite struct GumbelSoftmaxTests {
    @Test(arguments: [Float(0.5), 1, 3])
    func gradients(temperature tau: Float) {
        // 11 rows: eight go through the vector path, three one by one.
        let h = Tensor(zeros: [11, 6]), g = Tensor(zeros: [11, 6]), y = Tensor(zeros: [11, 6]), dh = Tensor(zeros: [11, 6])
        fillUniform(h, bound: 2, seed: 4, row: 0)
        CounterRandom(seed: 5).fillGumbel(g.base, count: g.count, .generatorGumbel, step: 0, row: 0)
        let w = projection(count: 66, seed: 6)
        let dy = Tensor(shape: [11, 6], values: w)
        GumbelSoftmax.forward(logits: h.matrix, gumbel: g.matrix, temperature: tau, into: y.matrix)
        GumbelSoftmax.backward(outputGradient: dy.matrix, output: y.matrix, temperature: tau, into: dh.matrix)
        let loss = {
            GumbelSoftmax.forward(logits: h.matrix, gumbel: g.matrix, temperature: tau, into: y.matrix)
            return dot(w, y.values)
        }
        expectGradients("GumbelSoftmax tau=\(tau)", [Checked(name: "logits", values: h, analytic: dh.array)], loss: loss)

        // Wrong backwards fail: the softmax Jacobian taken as diagonal (no ⟨dy, y⟩ term),
        // and the 1/τ factor forgotten (for τ ≠ 1).
        let diagonal = (0..<66).map { i in y.base[i] * (w[i]) / tau }
        #expect(!passes(diagonal, values: h, loss: loss))
        if tau != 1 {
            #expect(!passes(dh.array.map { $0 * tau }, values: h, loss: loss))
        }
    }

    /// The exact draw `argmax(h + g)` of every row (eight at a time and the rest one by
    /// one), the first of equal largest scores winning, written `symbolStride` apart.
    @Test func symbolsAreTheFirstLargestScore() {
        let (rows, n) = (21, 5)
        let h = Tensor(shape: [rows, n], values: (0..<rows * n).map { Float(($0 * 7) % 11 / 3) })  // many ties
        let g = Tensor(zeros: [rows, n]), y = Tensor(zeros: [rows, n])
        var symbols = [Int32](repeating: -1, count: 2 * rows)
        symbols.withUnsafeMutableBufferPointer {
            GumbelSoftmax.forward(
                logits: h.matrix, gumbel: g.matrix, temperature: 1, into: y.matrix,
                symbols: $0.baseAddress!, symbolStride: 2)
        }
        for r in 0..<rows {
            let scores = (0..<n).map { h.matrix[r, $0] }
            #expect(symbols[2 * r] == Int32(scores.firstIndex(of: scores.max()!)!), "row \(r): \(scores)")
            #expect(symbols[2 * r + 1] == -1)
        }
    }

    @Test func lowTemperatureApproachesTheExactDraw() {
        let h = Tensor(zeros: [50, 6]), g = Tensor(zeros: [50, 6]), y = Tensor(zeros: [50, 6])
        fillUniform(h, bound: 2, seed: 8, row: 0)
        CounterRandom(seed: 9).fillGumbel(g.base, count: g.count, .generatorGumbel, step: 0, row: 0)
        var mass = [Float]()
        for tau: Float in [10, 1, 0.1, 1e-3] {
            GumbelSoftmax.forward(logits: h.matrix, gumbel: g.matrix, temperature: tau, into: y.matrix)
            var total: Float = 0
            for r in 0..<50 {
                let scores = (0..<6).map { h.matrix[r, $0] + g.matrix[r, $0] }
                let best = scores.indices.max { scores[$0] < scores[$1] }!
                total += y.matrix[r, best]
            }
            mass.append(total / 50)
        }
        // The mass on argmax(h + g) grows as τ falls, towards 1 (a one-hot draw, eq. 3).
        #expect(mass == mass.sorted() && mass[0] < 0.5 && mass[3] > 0.98, "\(mass)")
    }
}

@Suite struct LogitLossTests {
    @Test(arguments: [LogitLoss.real, .fake, .generator])
    func valuesAndGradients(loss kind: LogitLoss) {
        let xs: [Float] = [-30, -3, -0.5, 0, 0.7, 4, 30]
        let a = Tensor(shape: [xs.count], values: xs), da = Tensor(zeros: [xs.count])
        let scale: Float = 0.25
        let total = kind.evaluate(logits: UnsafeBufferPointer(a.values), scale: scale, gradients: da.values)
        // Values against Float64: −log σ(a) = log(1 + e^−a), −log(1 − σ(a)) = log(1 + e^a), −a.
        let reference = xs.map { x -> Double in
            let d = Double(x)
            switch kind {
            case .real: return Foundation.log1p(Foundation.exp(-d))
            case .fake: return Foundation.log1p(Foundation.exp(d))
            case .generator: return -d
            }
        }
        #expect(abs(total - reference.reduce(0, +)) < 1e-5 * max(1, abs(total)), "\(kind) total \(total)")
        let scratch = Tensor(zeros: [xs.count])
        expectGradients("LogitLoss.\(kind)", [Checked(name: "logits", values: a, analytic: da.array)]) {
            Double(scale) * kind.evaluate(logits: UnsafeBufferPointer(a.values), scale: 1, gradients: scratch.values)
        }
    }
}

@Suite struct EntropyTests {
    @Test func negativeEntropyGradient() {
        let l = Tensor(zeros: [4, 6]), d = Tensor(zeros: [4, 6]), scratch = Tensor(zeros: [4, 6])
        fillUniform(l, bound: 2, seed: 50, row: 0)
        let lambda: Float = 0.7
        let total = CategoricalEntropy.addNegativeEntropyGradient(logits: l.matrix, weight: lambda, into: d.matrix, scratch: scratch.matrix)
        // Uniform logits have the largest entropy, log 6.
        let u = Tensor(zeros: [1, 6]), du = Tensor(zeros: [1, 6]), su = Tensor(zeros: [1, 6])
        #expect(abs(CategoricalEntropy.addNegativeEntropyGradient(logits: u.matrix, weight: 1, into: du.matrix, scratch: su.matrix) - log(6)) < 1e-6)
        #expect(total > 0 && total < 4 * log(6))
        let sink = Tensor(zeros: [4, 6])
        expectGradients("entropy", [Checked(name: "logits", values: l, analytic: d.array)]) {
            sink.zero()
            return -Double(lambda)
                * CategoricalEntropy.addNegativeEntropyGradient(logits: l.matrix, weight: 0, into: sink.matrix, scratch: scratch.matrix)
        }
    }
}
