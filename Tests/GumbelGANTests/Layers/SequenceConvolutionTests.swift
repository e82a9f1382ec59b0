import Testing

@testable import GumbelGAN

/// One width of the text CNN: the forward pass against a direct sum over windows, every
/// gradient against central differences, and a backward at the wrong positions failing.
@Suite struct SequenceConvolutionTests {
    let t = 6, n = 3, c = 4, f = 5, w = 3

    struct Fixture {
        let p: Parameters
        let conv: SequenceConvolution
        let x: Tensor, scratch: Tensor, maxima: Tensor, dx: Tensor
        let argmax: UnsafeMutablePointer<Int32>
    }

    func fixture() -> Fixture {
        var layout = ParameterLayout()
        SequenceConvolution.declare(in: &layout, prefix: "convs.0", width: w, channels: c, filters: f)
        let p = Parameters(layout: layout)
        p.initialize(.uniform(bound: 0.5), seed: 11)
        let conv = SequenceConvolution(p, prefix: "convs.0")
        let x = Tensor(zeros: [t, n, c])
        fillUniform(x, bound: 1, seed: 12, row: 0)
        let s = t - w + 1
        return Fixture(
            p: p, conv: conv, x: x, scratch: Tensor(zeros: [s * n, f]), maxima: Tensor(zeros: [n, f]), dx: Tensor(zeros: [t, n, c]),
            argmax: .allocate(capacity: n * f))
    }

    @Test func forwardIsTheMaximumOverWindows() {
        let a = fixture()
        defer { a.argmax.deallocate() }
        #expect(a.p.layout.entries.map(\.shape) == [[f, 1, w, c], [f]])
        a.conv.forward(a.x, scratch: a.scratch.matrix, into: a.maxima.matrix, argmax: a.argmax)
        var clipped = 0
        for r in 0..<n {
            for j in 0..<f {
                var best = -Double.infinity, at = -1
                for s in 0...(t - w) {
                    var z = Double(a.conv.bias.base[j])
                    for k in 0..<w {
                        for i in 0..<c { z += Double(a.conv.weight.base[(j * w + k) * c + i]) * Double(a.x[s + k][r, i]) }
                    }
                    if z > best { (best, at) = (z, s) }
                }
                #expect(abs(Double(a.maxima.base[r * f + j]) - max(best, 0)) < 1e-5)
                #expect(Int(a.argmax[r * f + j]) == at)
                if best < 0 { clipped += 1 }
            }
        }
        #expect(clipped > 0 && clipped < n * f, "the ReLU should clip some maxima and not all: \(clipped)")
    }

    @Test func gradients() {
        let a = fixture()
        defer { a.argmax.deallocate() }
        let weights = projection(count: n * f, seed: 13)
        let dm = Tensor(shape: [n, f], values: weights)
        a.p.zeroGradients()
        a.conv.forward(a.x, scratch: a.scratch.matrix, into: a.maxima.matrix, argmax: a.argmax)
        a.conv.backward(
            input: a.x, maxima: a.maxima.matrix, argmax: a.argmax, outputGradient: dm.matrix, scratch: a.scratch.matrix, parameters: true,
            inputGradient: a.dx)
        let loss = {
            a.conv.forward(a.x, scratch: a.scratch.matrix, into: a.maxima.matrix, argmax: a.argmax)
            return dot(weights, a.maxima.values)
        }
        expectGradients(
            "SequenceConvolution",
            [
                Checked(name: "weight", values: a.p.value("convs.0.weight"), analytic: a.p.gradient("convs.0.weight").array),
                Checked(name: "bias", values: a.p.value("convs.0.bias"), analytic: a.p.gradient("convs.0.bias").array),
                Checked(name: "input", values: a.x, analytic: a.dx.array),
            ], loss: loss)
        // A backward that sends each filter's gradient to position 0, not its arg-max, fails.
        a.p.zeroGradients()
        _ = loss()
        a.argmax.update(repeating: 0, count: n * f)
        a.conv.backward(
            input: a.x, maxima: a.maxima.matrix, argmax: a.argmax, outputGradient: dm.matrix, scratch: a.scratch.matrix, parameters: true,
            inputGradient: nil)
        #expect(!passes(a.p.gradient("convs.0.weight").array, values: a.p.value("convs.0.weight"), loss: loss))
    }
}

/// RelGAN's highway layer: every gradient against central differences; a backward through
/// another forward pass's gate fails.
@Suite struct HighwayTests {
    @Test func gradients() {
        var layout = ParameterLayout()
        Highway.declare(in: &layout, prefix: "highway", features: 6)
        let p = Parameters(layout: layout)
        p.initialize(.uniform(bound: 0.7), seed: 21)
        let highway = Highway(p, prefix: "highway")
        let x = Tensor(zeros: [4, 6]), u = Tensor(zeros: [4, 6]), y = Tensor(zeros: [4, 6])
        let du = Tensor(zeros: [4, 6]), dx = Tensor(zeros: [4, 6])
        fillUniform(x, bound: 1, seed: 22, row: 0)
        let weights = projection(count: 24, seed: 23)
        let dy = Tensor(shape: [4, 6], values: weights)
        p.zeroGradients()
        highway.forward(x.matrix, preactivation: u.matrix, into: y.matrix)
        #expect(u.array.contains { $0 < 0 } && u.array.contains { $0 > 0 })
        highway.backward(input: x.matrix, preactivation: u.matrix, outputGradient: dy.matrix, scratch: du.matrix, into: dx.matrix, parameters: true)
        let loss = {
            highway.forward(x.matrix, preactivation: u.matrix, into: y.matrix)
            return dot(weights, y.values)
        }
        expectGradients(
            "Highway",
            [
                Checked(name: "weight", values: p.value("highway.weight"), analytic: p.gradient("highway.weight").array),
                Checked(name: "bias", values: p.value("highway.bias"), analytic: p.gradient("highway.bias").array),
                Checked(name: "input", values: x, analytic: dx.array),
            ], loss: loss)
        u.zero()
        highway.backward(input: x.matrix, preactivation: u.matrix, outputGradient: dy.matrix, scratch: du.matrix, into: dx.matrix, parameters: false)
        #expect(!passes(dx.array, values: x, loss: loss), "a backward with the gate of u = 0 passed")
    }
}
