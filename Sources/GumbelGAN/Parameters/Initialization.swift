/// How initial parameter values are drawn.
public enum Initialization: Sendable, Equatable {
    /// Every value from N(0, σ²) (the authors' script: σ = 0.01).
    case normal(standardDeviation: Float)
    /// Every value from U(-b, b) (PyTorch's LSTM and Linear default: b = 1/√fan-in).
    case uniform(bound: Float)
}

extension Parameters {
    /// Draws every value afresh from `scheme`, reproducibly: element `i` of the tensor
    /// named `n` is the draw at `(seed, .initialization, step 0, row hash(n), index i)`.
    /// So a tensor's initial values depend on its name and shape only, not on what else
    /// the network holds or in which order it was declared.
    public func initialize(_ scheme: Initialization, seed: UInt64) {
        let random = CounterRandom(seed: seed)
        for e in layout.entries {
            let out = values.pointer + e.offset
            let row = Int(fnv1a32(e.name))
            switch scheme {
            case .normal(let sigma):
                random.fillNormal(out, count: e.count, .initialization, step: 0, row: row)
                for i in 0..<e.count { out[i] *= sigma }
            case .uniform(let bound):
                random.fillUniform(out, count: e.count, .initialization, step: 0, row: row)
                for i in 0..<e.count { out[i] = (2 * out[i] - 1) * bound }
            }
        }
    }
}

/// The 32-bit FNV-1a hash of a string's UTF-8 bytes.
func fnv1a32(_ s: String) -> UInt32 {
    var h: UInt32 = 0x811C_9DC5
    for byte in s.utf8 {
        h ^= UInt32(byte)
        h &*= 0x0100_0193
    }
    return h
}
