/// The memory a training process of a configuration allocates, estimated before anything is
/// allocated (its largest buffers: parameters with their gradients, Adam's moments and
/// moving average; the generator's and discriminator's workspaces; the data's symbols), so
/// that a size no machine can hold is one clear error, not a failed allocation.
public enum MemoryEstimate {
    /// Bytes for `c` on data of `vocabulary` symbols, `length` positions and `strings`
    /// examples, with `ranks` ranks (each process holds its shard's workspaces). Sizes
    /// are multiplied in Double, so absurd ones give a large finite figure, not an overflow.
    public static func bytes(_ c: TrainingConfiguration, vocabulary: Int, length: Int, strings: Int, ranks: Int = 1) -> Double {
        let (v, t, e) = (Double(vocabulary), Double(length), Double(c.embedding))
        let (h, hd, m) = (Double(c.hiddenSize), Double(c.discriminatorHiddenSize), Double(c.pack))
        func lstmParameters(input: Double, hidden: Double, layers: Int) -> Double {
            4 * hidden * (input + hidden + 2) + Double(layers - 1) * 4 * hidden * (2 * hidden + 2)
        }
        func activations(input: Double, hidden: Double, layers: Int, rows: Double) -> Double {
            (input + 8 * hidden) * (t + 1) * rows + Double(layers - 1) * (10 * hidden) * (t + 1) * rows
        }
        let gInput = e > 0 ? e : v, dInput = e > 0 ? m * e : m * v
        var parameters = (e > 0 ? v * e : 0) + lstmParameters(input: gInput, hidden: h, layers: c.generatorLayers) + v * h + v
        var words = 0.0
        let real = Double(c.batchSize) / Double(max(ranks, 1))
        let fake = c.objective == .adversarial ? Double(c.generatorBatchSize) / Double(max(ranks, 1)) : real
        words += 5 * t * fake * v + 2 * t * fake * e + activations(input: gInput, hidden: h, layers: c.generatorLayers, rows: fake)
        if c.objective == .adversarial {
            let widths = c.convolutionWidths.map(Double.init)
            let features = hd * Double(widths.count), r = Double(c.representationCount)
            parameters +=
                (e > 0 ? v * e : 0)
                + (widths.isEmpty
                    ? lstmParameters(input: dInput, hidden: hd, layers: c.discriminatorLayerCount) + hd + 1
                    : widths.reduce(0) { $0 + hd * ($1 * dInput / r + 1) } + features * (features + 2) + 1)
            // R1's and R2's penalties: a workspace over the real or generated packs, and two
            // buffers of their inputs, each.
            let workspaceRows = [real / m, fake / m] + (c.penaltyWeight > 0 ? [real / m] : []) + (c.fakePenaltyWeight > 0 ? [fake / m] : [])
            if c.penaltyWeight > 0 { words += 2 * t * real * v }
            if c.fakePenaltyWeight > 0 { words += 2 * t * fake * v }
            for rows in workspaceRows {
                let body =
                    widths.isEmpty
                    ? activations(input: dInput, hidden: hd, layers: c.discriminatorLayerCount, rows: rows)
                    : r * (7 * rows * features + t * rows * hd)
                words += body + t * rows * m * v + 2 * t * rows * m * e
            }
            words += t * real * v
        }
        if c.pretraining > 0 { words += 5 * t * real * v + activations(input: gInput, hidden: h, layers: c.generatorLayers, rows: real) }
        words += parameters * (4 + (c.generatorAverage > 0 ? 1 : 0) + (c.pretraining > 0 ? 2 : 0))
        words += Double(strings) * t
        return 4 * words + evaluationBytes(count: c.evaluationSamples, length: length) + 100e6
    }

    /// Bytes an evaluation of `count` generated strings of up to `length` symbols holds: the
    /// strings, as many reference strings, and the sets and histograms built from them.
    public static func evaluationBytes(count: Int, length: Int) -> Double {
        Double(count) * (96 + 12 * Double(length))
    }
}
