import Foundation
import Testing

@testable import GumbelGAN

@Suite struct FastMathTests {
    /// Applies a lane function to `xs` through ``map(_:into:count:_:)`` (odd count: the
    /// padded tail is exercised too).
    func apply(_ xs: [Float], _ f: (Lanes) -> Lanes) -> [Float] {
        var out = [Float](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { map(x.baseAddress!, into: $0.baseAddress!, count: xs.count, f) }
        }
        return out
    }

    func grid(_ low: Float, _ high: Float, _ n: Int) -> [Float] {
        (0..<n).map { low + (high - low) * Float($0) / Float(n - 1) }
    }

    @Test func expWithinTwoUlp() {
        let xs = grid(-87, 88, 100_003)
        for (x, y) in zip(xs, apply(xs, GumbelGAN.exp)) {
            let want = Foundation.exp(Double(x))
            #expect(abs(Double(y) - want) <= 2 * Double(Float(want).ulp), "exp(\(x)) = \(y), want \(want)")
        }
        // Clamped, never ∞ or 0-by-underflow-to-denormal-garbage.
        let extremes = apply([-1e30, -200, 200, 1e30, .greatestFiniteMagnitude], GumbelGAN.exp)
        #expect(extremes.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func logWithinTwoUlp() {
        let xs = grid(-30, 30, 50_001).map { Float(Foundation.exp(Double($0))) } + [Float.leastNormalMagnitude, 1, 2, 0x1p-23, 1 - 0x1p-24]
        for (x, y) in zip(xs, apply(xs, GumbelGAN.log)) {
            let want = Foundation.log(Double(x))
            #expect(abs(Double(y) - want) <= 2 * Double(Float(want).ulp) + 1e-12, "log(\(x)) = \(y), want \(want)")
        }
    }

    @Test func sigmoidAndTanhWithin2e7() {
        let xs = grid(-40, 40, 80_001) + [-1e4, 1e4]
        for (x, y) in zip(xs, apply(xs, GumbelGAN.sigmoid)) {
            #expect(abs(Double(y) - 1 / (1 + Foundation.exp(-Double(x)))) < 2e-7, "sigmoid(\(x))")
        }
        for (x, y) in zip(xs, apply(xs, GumbelGAN.tanh)) {
            #expect(abs(Double(y) - Foundation.tanh(Double(x))) < 2e-7, "tanh(\(x))")
        }
    }
}
