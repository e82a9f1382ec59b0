import Foundation
import Testing

@testable import GumbelGAN

@Suite struct RelativisticLossTests {
    /// `Σ softplus(−(a − b))` against Float64, and both gradients against central
    /// differences; a gradient with the wrong sign on `b` (treating `b` like `a`) fails.
    @Test func valuesAndGradients() {
        let xs: [Float] = [-30, -3, -0.5, 0, 0.7, 4, 30], ys: [Float] = [2, -1, 0.3, 0, -0.7, 4.5, -20]
        let a = Tensor(shape: [xs.count], values: xs), b = Tensor(shape: [ys.count], values: ys)
        let da = Tensor(zeros: [xs.count]), db = Tensor(zeros: [xs.count])
        let scale: Float = 0.5
        let total = RelativisticLoss.evaluate(
            UnsafeBufferPointer(a.values), UnsafeBufferPointer(b.values), scale: scale,
            gradientsA: da.values, gradientsB: db.values)
        let reference = zip(xs, ys).map { Foundation.log1p(Foundation.exp(-(Double($0) - Double($1)))) }.reduce(0, +)
        #expect(abs(total - reference) < 1e-5 * max(1, abs(total)), "total \(total), reference \(reference)")
        func loss() -> Double {
            Double(scale)
                * RelativisticLoss.evaluate(
                    UnsafeBufferPointer(a.values), UnsafeBufferPointer(b.values), scale: 1, gradientsA: nil, gradientsB: nil)
        }
        _ = expectGradients(
            "RelativisticLoss",
            [Checked(name: "first", values: a, analytic: da.array), Checked(name: "second", values: b, analytic: db.array)],
            loss: loss)
        #expect(!passes(da.array, values: b, loss: loss), "a wrong-signed gradient of the second logit passed")
    }
}
