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
    /// Per layer, per example: `h0` and `c0` (from `generator["h0…"]`, `generator["c0…"]` when learned).
    var noiseHidden: [[[Double]]]
    var noiseCell: [[[Double]]]?
    /// `[t][row][v]`.
    let gumbel: [[[Double]]]
    let real: [[[Double]]]
    /// Dropout masks of layers 1 … (`[layer − 1][row][step][j]`), all ones without dropout.
    let generatorMasks: [[[[Double]]]], discriminatorMasks: [[[[Double]]]]
    let vocabulary: Int, length: Int, generatorHidden: Int, discriminatorHidden: Int
    let generatorSuffixes: [String], discriminatorSuffixes: [String]
    /// The CNN discriminator's filter widths (empty: the LSTM) and representations `R`; its
    /// feature dropout masks, `[row·R + k][j]`.
    let convolutionWidths: [Int], representations: Int
    let featureMasks: [[Double]]
    let temperature: Double
    /// RelGAN's generator: the next step reads the exact draw `one_hot(argmax(ℓ + g))`.
    var hardFeedback = false

    /// A copy of the fixture's models, noise, masks and data in Float64.
    init(_ f: GANFixture) {
        func table(_ p: Parameters) -> [String: [Double]] {
            Dictionary(uniqueKeysWithValues: p.layout.entries.map { ($0.name, p.value($0.name).array.map(Double.init)) })
        }
        func rows(_ m: Matrix) -> [[Double]] { (0..<m.rows).map { r in (0..<m.columns).map { Double(m[r, $0]) } } }
        func columns(_ m: Matrix) -> [[Double]] { (0..<m.columns).map { c in (0..<m.rows).map { Double(m[$0, c]) } } }
        /// `[H, steps·rows]` feature-major masks as `[row][step][j]`.
        func masks(_ m: Matrix, steps: Int, rows: Int) -> [[[Double]]] {
            (0..<rows).map { r in (0..<steps).map { s in (0..<m.rows).map { Double(m[$0, s * rows + r]) } } }
        }
        generator = table(f.generator.parameters)
        discriminator = table(f.discriminator.parameters)
        // The LSTM's states are feature-major: one example per column.
        noiseHidden = f.g.layers.map { columns($0.initialHidden) }
        noiseCell = f.generator.initialState.learnsCell ? nil : f.g.layers.map { columns($0.initialCell) }
        gumbel = (0..<f.length).map { rows(f.g.gumbel[$0]) }
        real = (0..<f.length).map { rows(f.real[$0]) }
        generatorMasks = f.g.dropoutMasks.map { masks($0, steps: f.length - 1, rows: f.rows) }
        discriminatorMasks = f.dFake.dropoutMasks.map { masks($0, steps: f.length, rows: f.rows) }
        vocabulary = f.vocabulary
        length = f.length
        generatorHidden = f.generator.hiddenSize
        discriminatorHidden = f.discriminator.hiddenSize
        generatorSuffixes = LSTM.suffixes(layers: f.generator.layers.count, embedded: f.generator.embeddingSize > 0)
        discriminatorSuffixes = LSTM.suffixes(layers: f.discriminator.layers.count, embedded: f.discriminator.embeddingSize > 0)
        temperature = Double(f.temperature)
        convolutionWidths = f.discriminator.convolutionWidths
        representations = f.discriminator.representations
        featureMasks = f.discriminator.features > 0 ? rows(f.dFake.featureMask) : []
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// One LSTM step with the tensors `lstm.*<suffix>` of `p`.
    static func cell(_ x: [Double], _ h: [Double], _ c: [Double], _ p: [String: [Double]], suffix: String = "") -> (h: [Double], c: [Double]) {
        let n = h.count, inputs = x.count
        let wih = p["lstm.weight_ih\(suffix)"]!, whh = p["lstm.weight_hh\(suffix)"]!
        let bih = p["lstm.bias_ih\(suffix)"]!, bhh = p["lstm.bias_hh\(suffix)"]!
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

    /// `x W` with `embedding.weight [V, E]` of `p`, or `x` itself without an embedding.
    static func embed(_ x: [Double], _ p: [String: [Double]]) -> [Double] {
        guard let w = p["embedding.weight"] else { return x }
        let e = w.count / x.count
        return (0..<e).map { j in (0..<x.count).map { x[$0] * w[$0 * e + j] }.reduce(0, +) }
    }

    /// One step of a stack of layers: layer `k > 0` reads layer `k − 1`'s new state times
    /// `masks[k − 1]`.
    static func stackStep(
        _ x: [Double], _ states: inout [(h: [Double], c: [Double])], _ p: [String: [Double]], suffixes: [String], masks: [[Double]]
    ) {
        var input = x
        for (k, suffix) in suffixes.enumerated() {
            if k > 0 { input = zip(states[k - 1].h, masks[k - 1]).map { $0 * $1 } }
            states[k] = cell(input, states[k].h, states[k].c, p, suffix: suffix)
        }
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

    /// Example `row`'s initial states, layer by layer.
    func initialStates(row: Int) -> [(h: [Double], c: [Double])] {
        generatorSuffixes.indices.map { k in
            (generator["h0\(generatorSuffixes[k])"] ?? noiseHidden[k][row], noiseCell?[k][row] ?? generator["c0\(generatorSuffixes[k])"]!)
        }
    }

    /// The generated soft one-hot sequence of example `row`: `[t][v]`.
    func generate(row: Int) -> [[Double]] {
        var states = initialStates(row: row)
        var ys: [[Double]] = [], draws: [[Double]] = []
        for t in 0..<length {
            if t > 0 {
                Self.stackStep(
                    Self.embed(hardFeedback ? draws[t - 1] : ys[t - 1], generator), &states, generator,
                    suffixes: generatorSuffixes, masks: generatorMasks.map { $0[row][t - 1] })
            }
            let z = zip(Self.linear(states.last!.h, generator), gumbel[t][row]).map { ($0 + $1) / temperature }
            let top = z.max()!
            let e = z.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            ys.append(e.map { $0 / sum })
            draws.append(z.map { $0 == top ? 1 : 0 })
        }
        return ys
    }

    /// The discriminator's logits of the sequence `[t][v]` of example `row` (whose dropout
    /// masks it uses): one for the LSTM, `R` for the CNN.
    func logits(_ x: [[Double]], row: Int = 0) -> [Double] {
        guard !convolutionWidths.isEmpty else { return [logit(x, row: row)] }
        let embedded = x.map { Self.embed($0, discriminator) }
        return (0..<representations).map { convolutionalLogit(embedded, row: row, representation: $0) }
    }

    /// The CNN's logit of representation `k` of example `row` from its embedded steps `[t][C]`:
    /// channels `k·C/R ..< (k+1)·C/R`; per width `w`, filter `j`: `max_s relu(b_j + Σ_{i<w} W_j[i]·x_{s+i})`;
    /// the features of all widths through the highway `g ⊙ relu(u) + (1 − g) ⊙ m` (`u = W m + b`,
    /// `g = σ(u)`), times the dropout mask, then `out`.
    func convolutionalLogit(_ embedded: [[Double]], row: Int, representation k: Int) -> Double {
        let c = embedded[0].count / representations
        let slice = embedded.map { Array($0[(k * c)..<((k + 1) * c)]) }
        var m: [Double] = []
        for (i, w) in convolutionWidths.enumerated() {
            let weight = discriminator["convs.\(i).weight"]!, bias = discriminator["convs.\(i).bias"]!
            for j in 0..<bias.count {
                var best = -Double.infinity
                for s in 0...(length - w) {
                    var z = bias[j]
                    for tap in 0..<w { for ch in 0..<c { z += weight[(j * w + tap) * c + ch] * slice[s + tap][ch] } }
                    best = max(best, z)
                }
                m.append(max(best, 0))
            }
        }
        let hw = discriminator["highway.weight"]!, hb = discriminator["highway.bias"]!
        let y = (0..<m.count).map { j in
            let u = (0..<m.count).reduce(hb[j]) { $0 + hw[j * m.count + $1] * m[$1] }
            let g = Self.sigmoid(u)
            return (g * max(u, 0) + (1 - g) * m[j]) * featureMasks[row * representations + k][j]
        }
        return Self.linear(y, discriminator)[0]
    }

    /// The LSTM discriminator's logit of the sequence `[t][v]` of example `row` (whose dropout
    /// masks it uses).
    func logit(_ x: [[Double]], row: Int = 0) -> Double {
        var states: [(h: [Double], c: [Double])] = discriminatorSuffixes.map { (discriminator["h0\($0)"]!, discriminator["c0\($0)"]!) }
        for t in 0..<length {
            Self.stackStep(
                Self.embed(x[t], discriminator), &states, discriminator, suffixes: discriminatorSuffixes,
                masks: discriminatorMasks.map { $0[row][t] })
        }
        return Self.linear(states.last!.h, discriminator)[0]
    }

    var rows: Int { noiseHidden[0].count }

    /// Teacher forcing: mean over examples and steps of `−log softmax(ℓ_t)[s_t]`, where
    /// `ℓ_t` is computed after feeding the one-hot symbols `s_0 … s_{t−1}` (`symbols[row][t]`).
    func teacherForcedLoss(_ symbols: [[Int]]) -> Double {
        var total = 0.0
        for (r, sequence) in symbols.enumerated() {
            var states = initialStates(row: r)
            for t in 0..<length {
                if t > 0 {
                    var x = [Double](repeating: 0, count: vocabulary)
                    x[sequence[t - 1]] = 1
                    Self.stackStep(
                        Self.embed(x, generator), &states, generator, suffixes: generatorSuffixes,
                        masks: generatorMasks.map { $0[r][t - 1] })
                }
                let l = Self.linear(states.last!.h, generator)
                let top = l.max()!
                total -= l[sequence[t]] - top - log(l.map { exp($0 - top) }.reduce(0, +))
            }
        }
        return total / Double(symbols.count * length)
    }

    /// `−mean a_fake` (the `R` logits of an example summed).
    func generatorLoss() -> Double {
        -(0..<rows).map { logits(generate(row: $0), row: $0).reduce(0, +) }.reduce(0, +) / Double(rows)
    }

    /// `mean softplus(−a_real) + mean softplus(a_fake)`.
    func discriminatorLoss() -> Double {
        func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
        var total = 0.0
        for r in 0..<rows {
            total += logits((0..<length).map { real[$0][r] }, row: r).map { softplus(-$0) }.reduce(0, +)
            total += logits(generate(row: r), row: r).map(softplus).reduce(0, +)
        }
        return total / Double(rows)
    }

    /// RelGAN's relativistic losses, real and generated examples paired by row:
    /// D `mean softplus(−(a_real − a_fake))`, G `mean softplus(−(a_fake − a_real))`.
    func relativisticLoss(generator: Bool) -> Double {
        func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
        var total = 0.0
        for r in 0..<rows {
            let (real, fake) = (logits((0..<length).map { self.real[$0][r] }, row: r), logits(generate(row: r), row: r))
            for (a, b) in zip(real, fake) { total += generator ? softplus(-(b - a)) : softplus(-(a - b)) }
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
    /// (Of the bottom layer.)
    var flatNoiseHidden: [Double] {
        get { noiseHidden[0].flatMap { $0 } }
        set { noiseHidden[0] = stride(from: 0, to: newValue.count, by: generatorHidden).map { Array(newValue[$0..<($0 + generatorHidden)]) } }
    }
    var flatNoiseCell: [Double] {
        get { noiseCell?[0].flatMap { $0 } ?? [] }
        set { noiseCell?[0] = stride(from: 0, to: newValue.count, by: generatorHidden).map { Array(newValue[$0..<($0 + generatorHidden)]) } }
    }
}
