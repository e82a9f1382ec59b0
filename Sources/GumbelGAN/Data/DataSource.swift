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

    /// The same source read from `path` (a user's file moved or copied); others unchanged.
    public func reading(_ path: String) -> DataSource {
        guard case .file(_, let maximumLength, let skipLong, let tokens, let maximumVocabulary) = self else { return self }
        return .file(path: path, maximumLength: maximumLength, skipLong: skipLong, tokens: tokens, maximumVocabulary: maximumVocabulary)
    }

    /// The file a user's data is read from; nil for built-in data.
    public var path: String? {
        if case .file(let path, _, _, _, _) = self { return path }
        return nil
    }
}
