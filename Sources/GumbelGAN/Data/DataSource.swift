/// Where the training strings come from.
public enum DataSource: Sendable, Equatable, Codable {
    /// The paper's grammar, `size` strings.
    case grammar(Grammar, size: Int)
    /// A user's file, one example per line; `tokens` (default characters) and at most
    /// `maximumVocabulary` symbols (the rarest replaced by an unknown symbol) when set.
    case file(path: String, maximumLength: Int?, skipLong: Bool, tokens: Tokenization? = nil, maximumVocabulary: Int? = nil)
    /// The text benchmarks' synthetic oracle (``Oracle``, drawn from `seed`): `size`
    /// training sentences and `heldOut` others.
    case oracle(seed: UInt64, size: Int, heldOut: Int)
}
