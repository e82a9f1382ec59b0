import Foundation

@testable import GumbelGAN

/// A plain Float64 implementation of the generator, the discriminator and Algorithm 1's
/// losses, written independently of the library with scalar loops over PyTorch's layout
/// (gate blocks input, forget, cell, output), as the reference for the chain's gradient
/// check: Float32 rounding would swamp central differences through the whole chain
/// (errors of 1e-3 … 1e-2 there), Float64 differences are exact to about 1e-9.
struct ReferenceGAN {
    /// Parameters by name, as in the library's layouts.
    var generator: [String: [Double]]
    var discriminator: [String: [Double]]
    /// Per example: `h0` and `c0` (`c0` from `generator["c0"]` when learned).
    var noiseHidden: [[Double]]
    var noiseCell: [[Double]]?
    /// `[t][row][v]`.
    let gumbel: [[[Double]]]
    let real: [[[Double]]]
    let vocabulary: Int, length: Int, generatorHidden: Int, discriminatorHidden: Int
    let temperature: Double

    /// A copy of the fixture's models, noise and data in Float64.
    init(_ f: GANFixture) {
        func table(_ p: Parameters) -> [String: [Double]] {
            Dictionary(uniqueKeysWithValues: p.layout.entries.map { ($0.name, p.value($0.name).array.map(Double.init)) })
        }
        func rows(_ m: Matrix) -> [[Double]] { (0..<m.rows).map { r in (0..<m.columns).map { Double(m[r, $0]) } } }
        func columns(_ m: Matrix) -> [[Double]] { (0..<m.columns).map { c in (0..<m.rows).map { Double(m[$0, c]) } } }
        generator = table(f.generator.parameters)
        discriminator = table(f.discriminator.parameters)
        // The LSTM's states are feature-major: one example per column.
        noiseHidden = columns(f.g.lstm.initialHidden)
        noiseCell = f.generator.initialState == .noiseHiddenLearnedCell ? nil : columns(f.g.lstm.initialCell)
        gumbel = (0..<f.length).map { rows(f.g.gumbel[$0]) }
        real = (0..<f.length).map { rows(f.real[$0]) }
        vocabulary = f.vocabulary
        length = f.length
        generatorHidden = f.generator.hiddenSize
        discriminatorHidden = f.discriminator.hiddenSize
        temperature = Double(f.temperature)
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// One LSTM step with the tensors `lstm.*` of `p`.
    static func cell(_ x: [Double], _ h: [Double], _ c: [Double], _ p: [String: [Double]]) -> (h: [Double], c: [Double]) {
        let n = h.count, inputs = x.count
        let wih = p["lstm.weight_ih"]!, whh = p["lstm.weight_hh"]!, bih = p["lstm.bias_ih"]!, bhh = p["lstm.bias_hh"]!
        var a = [Double](repeating: 0, count: 4 * n)
        for k in 0..<(4 * n) {
            var s = bih[k] + bhh[k]
            for j in 0..<inputs { s += wih[k * inputs + j] * x[j] }
            for j in 0..<n { s += whh[k * n + j] * h[j] }
            a[k] = s
        }
        var h2 = [Double](repeating: 0, count: n), c2 = h2
        for j in 0..<n {
            let i = sigmoid(a[j]), f = sigmoid(a[n + j]), g = tanh(a[2 * n + j]), o = sigmoid(a[3 * n + j])
            c2[j] = f * c[j] + i * g
            h2[j] = o * tanh(c2[j])
        }
        return (h2, c2)
    }

    /// `W h + b` with `out.weight`, `out.bias` of `p`.
    static func linear(_ h: [Double], _ p: [String: [Double]]) -> [Double] {
        let w = p["out.weight"]!, b = p["out.bias"]!
        var y = b
        for k in 0..<b.count {
            for j in 0..<h.count { y[k] += w[k * h.count + j] * h[j] }
        }
        return y
    }

    /// The generated soft one-hot sequence of example `row`: `[t][v]`.
    func generate(row: Int) -> [[Double]] {
        var h = noiseHidden[row]
        var c = noiseCell?[row] ?? generator["c0"]!
        var ys: [[Double]] = []
        for t in 0..<length {
            if t > 0 { (h, c) = Self.cell(ys[t - 1], h, c, generator) }
            let z = zip(Self.linear(h, generator), gumbel[t][row]).map { ($0 + $1) / temperature }
            let top = z.max()!
            let e = z.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            ys.append(e.map { $0 / sum })
        }
        return ys
    }

    /// The discriminator's logit of a sequence `[t][v]`.
    func logit(_ x: [[Double]]) -> Double {
        var h = discriminator["h0"]!, c = discriminator["c0"]!
        for t in 0..<length { (h, c) = Self.cell(x[t], h, c, discriminator) }
        return Self.linear(h, discriminator)[0]
    }

    var rows: Int { noiseHidden.count }

    /// Teacher forcing: mean over examples and steps of `−log softmax(ℓ_t)[s_t]`, where
    /// `ℓ_t` is computed after feeding the one-hot symbols `s_0 … s_{t−1}` (`symbols[row][t]`).
    func teacherForcedLoss(_ symbols: [[Int]]) -> Double {
        var total = 0.0
        for (r, sequence) in symbols.enumerated() {
            var h = noiseHidden[r]
            var c = noiseCell?[r] ?? generator["c0"]!
            for t in 0..<length {
                if t > 0 {
                    var x = [Double](repeating: 0, count: vocabulary)
                    x[sequence[t - 1]] = 1
                    (h, c) = Self.cell(x, h, c, generator)
                }
                let l = Self.linear(h, generator)
                let top = l.max()!
                total -= l[sequence[t]] - top - log(l.map { exp($0 - top) }.reduce(0, +))
            }
        }
        return total / Double(symbols.count * length)
    }

    /// `−mean a_fake`.
    func generatorLoss() -> Double {
        -(0..<rows).map { logit(generate(row: $0)) }.reduce(0, +) / Double(rows)
    }

    /// `mean softplus(−a_real) + mean softplus(a_fake)`.
    func discriminatorLoss() -> Double {
        func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
        var total = 0.0
        for r in 0..<rows {
            total += softplus(-logit((0..<length).map { real[$0][r] }))
            total += softplus(logit(generate(row: r)))
        }
        return total / Double(rows)
    }

    /// RelGAN's relativistic losses, real and generated examples paired by row:
    /// D `mean softplus(−(a_real − a_fake))`, G `mean softplus(−(a_fake − a_real))`.
    func relativisticLoss(generator: Bool) -> Double {
        func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
        var total = 0.0
        for r in 0..<rows {
            let (real, fake) = (logit((0..<length).map { self.real[$0][r] }), logit(generate(row: r)))
            total += generator ? softplus(-(fake - real)) : softplus(-(real - fake))
        }
        return total / Double(rows)
    }

    /// Central differences of `loss` with respect to every value at `path`, in Float64.
    mutating func numericGradient(_ path: WritableKeyPath<ReferenceGAN, [Double]>, _ loss: (ReferenceGAN) -> Double) -> [Double] {
        let h = 1e-6
        return (0..<self[keyPath: path].count).map { i in
            let saved = self[keyPath: path][i]
            self[keyPath: path][i] = saved + h
            let up = loss(self)
            self[keyPath: path][i] = saved - h
            let down = loss(self)
            self[keyPath: path][i] = saved
            return (up - down) / (2 * h)
        }
    }
}

extension ReferenceGAN {
    /// Flat views of the per-example noise, for ``numericGradient(_:_:)``.
    var flatNoiseHidden: [Double] {
        get { noiseHidden.flatMap { $0 } }
        set { noiseHidden = stride(from: 0, to: newValue.count, by: generatorHidden).map { Array(newValue[$0..<($0 + generatorHidden)]) } }
    }
    var flatNoiseCell: [Double] {
        get { noiseCell?.flatMap { $0 } ?? [] }
        set { noiseCell = stride(from: 0, to: newValue.count, by: generatorHidden).map { Array(newValue[$0..<($0 + generatorHidden)]) } }
    }
}
