import Foundation
import Testing

@testable import GumbelGAN

@Suite struct AdamTests {
    /// Two steps worked by hand, lr 0.01, β1 0.5, β2 0.999, ε 1e-8.
    ///
    /// Step 1, g = (0.1, −0.2, 0): m = 0.5 g, v = 0.001 g², m̂ = g, v̂ = g², so
    /// θ −= 0.01 · g / (|g| + 1e-8): (1, −2, 0.5) → (0.99, −1.99, 0.5) (to 1e-9; 0/(0+ε) = 0).
    /// Step 2, g = (0.3, 0.2, −0.4): m = (0.175, 0.05, −0.2),
    /// v = (9.999e-5, 7.996e-5, 1.6e-4), 1 − β1² = 0.75, 1 − β2² = 0.001999,
    /// m̂ = (0.233333, 0.0666667, −0.266667), √v̂ = (0.2236509, 0.2, 0.2829125),
    /// θ −= 0.01 · m̂ / (√v̂ + ε) = (0.0104329, 0.0033333, −0.0094257):
    /// θ = (0.9795671, −1.9933333, 0.5094257).
    @Test func firstStepsMatchHandComputedValues() {
        var layout = ParameterLayout()
        layout.add("theta", shape: [3])
        let p = Parameters(layout: layout)
        p.value("theta").base.update(from: [1, -2, 0.5], count: 3)
        let adam = Adam(parameterCount: 3, settings: AdamSettings(learningRate: 0.01, beta1: 0.5, beta2: 0.999, epsilon: 1e-8))
        p.gradient("theta").base.update(from: [0.1, -0.2, 0], count: 3)
        adam.update(p)
        let after1 = p.value("theta").array
        for (got, want) in zip(after1, [0.99, -1.99, 0.5] as [Float]) { #expect(abs(got - want) < 1e-6, "step 1: \(after1)") }
        p.gradient("theta").base.update(from: [0.3, 0.2, -0.4], count: 3)
        adam.update(p)
        let after2 = p.value("theta").array
        for (got, want) in zip(after2, [0.9795671, -1.9933333, 0.5094257] as [Float]) {
            #expect(abs(got - want) < 2e-6, "step 2: \(after2)")
        }
        #expect(adam.step == 2)
        #expect(abs(adam.firstMoment.pointer[0] - 0.175) < 1e-7 && abs(adam.secondMoment.pointer[2] - 1.6e-4) < 1.6e-8)
    }
}
