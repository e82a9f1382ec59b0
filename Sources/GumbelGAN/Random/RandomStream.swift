/// The independent streams of random numbers a run draws from. Each value is a fixed
/// part of a draw's address, so adding a stream never changes the numbers of another.
public enum RandomStream: UInt32, Sendable, CaseIterable {
    /// Initial parameter values (row: a hash of the tensor's name; index: the element).
    case initialization = 1
    /// Which training examples form each step's global minibatch.
    case minibatch = 2
    /// The generator's noise initial state `(h0, c0)`.
    case generatorNoise = 3
    /// Gumbel noise of the generator's samples.
    case generatorGumbel = 4
    /// Gumbel noise of the real examples' soft one-hot inputs.
    case realGumbel = 5
    /// The built-in data sampler (derivations of the grammar).
    case data = 6
    /// Samples drawn for evaluation and for people to read.
    case evaluation = 7
    /// Dropout masks between stacked LSTM layers (index: the generator's at 0 …, the
    /// discriminator's real and generated inputs' from 2^31 and 2^32).
    case dropout = 8
}
