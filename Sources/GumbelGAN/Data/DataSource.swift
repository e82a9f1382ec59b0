/// Where the training strings come from.
public enum DataSource: Sendable, Equatable, Codable {
    /// The paper's grammar, `size` strings.
    case grammar(Grammar, size: Int)
    /// A user's file, one example per line.
    case file(path: String, maximumLength: Int?, skipLong: Bool)
}
