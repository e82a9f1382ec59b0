/// How a line of a user's file becomes symbols.
public enum Tokenization: String, Sendable, Codable, CaseIterable {
    /// Every character is a symbol (SMILES, formulas; the default).
    case characters
    /// Every whitespace-separated word is a symbol (text); samples are joined by spaces.
    case words

    /// The symbols of `line`.
    public func tokens(of line: String) -> [String] {
        switch self {
        case .characters: line.map { String($0) }
        case .words: line.split(whereSeparator: \.isWhitespace).map { String($0) }
        }
    }

    /// The line of `tokens`.
    public func join(_ tokens: [String]) -> String {
        tokens.joined(separator: self == .words ? " " : "")
    }
}
