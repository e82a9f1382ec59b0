import Testing

@testable import GumbelGAN

/// The values of a feature-major `[H, rows]` state, example by example (`[rows][H]`), the
/// reference's order.
func byExample(_ m: Matrix) -> [Float] { (0..<m.columns).flatMap { c in (0..<m.rows).map { m[$0, c] } } }

/// Compares a Float32 analytic gradient with Float64 central differences of the reference;
/// prints the worst relative error (max norm, as in ``GradientCheck``).
func expectMatchesReference(_ label: String, _ analytic: [Float], _ numeric: [Double]) {
    let error = GradientCheck.relativeError(analytic, numeric)
    print("gradient check \(label): worst relative error \(String(format: "%.2e", error))")
    #expect(error < GradientCheck.referenceTolerance, "\(label): relative error \(error)")
}

extension ReferenceGAN {
    /// Every tensor's gradient in `parameters` (filled by the library's backward pass) against
    /// central differences of `loss` with respect to the same-named values of `table`.
    mutating func expectGradients(
        _ label: String, of parameters: Parameters, in table: WritableKeyPath<ReferenceGAN, [String: [Double]]>,
        _ loss: (ReferenceGAN) -> Double
    ) {
        for e in parameters.layout.entries {
            let numeric = numericGradient(table.appending(path: \.[e.name]!), loss)
            expectMatchesReference("\(label) \(e.name)", parameters.gradient(e.name).array, numeric)
        }
    }

    /// The generator's side of a backward pass through the chain: its parameters, and the
    /// bottom layer's initial state where it is an input (`h0` unless learned, `c0` for noise).
    mutating func expectGeneratorGradients(_ label: String, _ f: GANFixture, _ loss: (ReferenceGAN) -> Double) {
        expectGradients(label, of: f.generator.parameters, in: \.generator, loss)
        let initialState = f.generator.initialState
        if initialState != .learned {
            expectMatchesReference("\(label) noise h0", byExample(f.g.initialHiddenGradient), numericGradient(\.flatNoiseHidden, loss))
        }
        if initialState == .noise {
            expectMatchesReference("\(label) noise c0", byExample(f.g.initialCellGradient), numericGradient(\.flatNoiseCell, loss))
        }
    }
}
