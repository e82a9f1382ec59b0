import Foundation

/// The synthetic-data oracle of the text-GAN benchmarks (SeqGAN, LeakGAN, RelGAN; the
/// protocol of TextGAN-PyTorch's `Oracle`): a randomly initialised LSTM language model whose
/// sentences are the training data, and whose likelihood scores a generator's samples.
///
///     e_t = E[s_{t−1}]   (s_{−1} = the start symbol 1)       E: [V, E] (nn.Embedding)
///     (h_t, c_t) = LSTM(e_t, h_{t−1}, c_{t−1}),  h_{−1} = c_{−1} = 0   (nn.LSTM, one layer)
///     p(s_t | s_<t) = softmax(W h_t + b)                              (nn.Linear)
///
/// Every parameter is drawn from N(0, 1) (TextGAN-PyTorch's `init_oracle`; with the usual
/// small initialisation the sentences would be nearly uniform). Sentences have exactly
/// `length` symbols, each drawn from the full softmax (symbols 0 and 1 included). Draws are
/// addressed: symbol `t` of sentence `i` of set `k` by inverse CDF of the uniform at
/// `(data, step: k, row: i, index: t)`; the parameters at stream `initialization` under
/// the seed, so the oracle and its data depend on the seed alone.
public final class Oracle: @unchecked Sendable {
    public let vocabularySize: Int
    public let embeddingSize: Int
    public let hiddenSize: Int
    public let length: Int
    /// `embedding.weight`, `lstm.weight_ih_l0`, …, `out.weight`, `out.bias`: PyTorch's names.
    public let parameters: Parameters
    let embedding: Embedding
    let lstm: LSTM
    let output: Linear
    /// The symbol fed before the first (TextGAN-PyTorch's `start_letter`).
    public static let startSymbol = 1

    /// The sets of sentences an oracle draws.
    public enum SentenceSet: Int, Sendable {
        case training = 0
        case heldOut = 1
        case reference = 2
    }

    public init(seed: UInt64, vocabularySize: Int = 5000, embeddingSize: Int = 32, hiddenSize: Int = 32, length: Int = 20) {
        precondition(vocabularySize > Self.startSymbol && embeddingSize > 0 && hiddenSize > 0 && length > 0, "Oracle: sizes")
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.length = length
        var layout = ParameterLayout()
        Embedding.declare(in: &layout, prefix: "embedding", symbols: vocabularySize, size: embeddingSize)
        LSTM.declare(in: &layout, prefix: "lstm", suffix: "_l0", inputSize: embeddingSize, hiddenSize: hiddenSize)
        Linear.declare(in: &layout, prefix: "out", inputs: hiddenSize, outputs: vocabularySize)
        let p = Parameters(layout: layout)
        p.initialize(.normal(standardDeviation: 1), seed: seed)
        parameters = p
        embedding = Embedding(p, prefix: "embedding")
        lstm = LSTM(p, prefix: "lstm", suffix: "_l0")
        output = Linear(p, prefix: "out")
    }

    /// Runs the oracle over sentences `0 ..< count`, in blocks of at most 1,000, position by
    /// position: it feeds the start symbol, then `symbol(i, t − 1)` (sentence `i`'s previous
    /// symbol); `visit(first, t, ℓ)` sees the logits `ℓ` (`[rows, V]`, rows `first …`) of
    /// position `t`, which it may overwrite.
    private func run(count: Int, symbol: (Int, Int) -> Int32, visit: (Int, Int, Matrix) -> Void) {
        let (v, e) = (vocabularySize, embeddingSize)
        var first = 0
        while first < count {
            let rows = min(1000, count - first)
            let a = LSTMActivations(steps: length, rows: rows, hiddenSize: hiddenSize, inputSize: e)
            let x = Tensor(zeros: [rows, v]), embedded = Tensor(zeros: [rows, e]), logits = Tensor(zeros: [rows, v])
            for t in 0..<length {
                x.zero()
                for r in 0..<rows { x.matrix[r, t == 0 ? Self.startSymbol : Int(symbol(first + r, t - 1))] = 1 }
                embedding.forward(x.matrix, into: embedded.matrix)
                lstm.forwardStep(t, input: embedded.matrix, a)
                output.forward(a.hidden(t + 1), .transposed, into: logits.matrix)
                visit(first, t, logits.matrix)
            }
            first += rows
        }
    }

    /// Sentences `first ..< first + count` of `set`, as symbol indices (`count × length`).
    public func sample(_ set: SentenceSet, first: Int = 0, count: Int, seed: UInt64) -> [[Int32]] {
        let random = CounterRandom(seed: seed)
        var out = [[Int32]](repeating: [], count: count)
        run(
            count: count, symbol: { out[$0][$1] },
            visit: { start, t, p in
                softmaxRows(p, into: p)
                for r in 0..<p.rows {
                    let u = Double(CounterRandom.openUnit(random.bits(.data, step: set.rawValue, row: first + start + r, index: t)))
                    let row = p.row(r)
                    var total = 0.0
                    for j in 0..<vocabularySize { total += Double(row[j]) }
                    var cumulative = 0.0, chosen = vocabularySize - 1
                    for j in 0..<vocabularySize {
                        cumulative += Double(row[j])
                        if cumulative > u * total {
                            chosen = j
                            break
                        }
                    }
                    out[start + r].append(Int32(chosen))
                }
            })
        return out
    }

    /// The oracle's mean negative log-likelihood per symbol (nats) of `sentences` (each of
    /// `length` symbols in `0 ..< V`), as TextGAN-PyTorch's NLL-oracle: the mean over every
    /// position of every sentence.
    public func negativeLogLikelihood(_ sentences: [[Int32]]) -> Double {
        precondition(sentences.allSatisfy { $0.count == length }, "Oracle: sentences of \(length) symbols")
        guard !sentences.isEmpty else { return .nan }
        var total = 0.0
        run(
            count: sentences.count, symbol: { sentences[$0][$1] },
            visit: { start, t, logits in
                logSoftmaxRows(logits, into: logits)
                for r in 0..<logits.rows { total -= Double(logits[r, Int(sentences[start + r][t])]) }
            })
        return total / Double(sentences.count * length)
    }
}
