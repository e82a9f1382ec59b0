/// The symbols of a data set, each with an index, one of which pads strings to the fixed
/// length.
///
/// For the paper's grammar the padding symbol is the space, itself part of the alphabet
/// (the paper pads with spaces). For a user's file it is an extra symbol, shown as
/// ``Vocabulary/userPadding``, so that spaces inside the data stay ordinary characters.
public struct Vocabulary: Sendable, Equatable, Codable {
    /// The symbols, in index order.
    public let symbols: [Character]
    /// Index of the padding symbol.
    public let paddingIndex: Int

    /// How padding inside a user's string is shown (U+2400 SYMBOL FOR NULL).
    public static let userPadding: Character = "\u{2400}"

    public init(symbols: [Character], paddingIndex: Int) {
        precondition(paddingIndex >= 0 && paddingIndex < symbols.count, "Vocabulary: padding index \(paddingIndex) of \(symbols.count)")
        precondition(Set(symbols).count == symbols.count, "Vocabulary: repeated symbols in \(symbols)")
        self.symbols = symbols
        self.paddingIndex = paddingIndex
    }

    /// The paper's alphabet: `x + - * /` and space, space padding.
    public static let grammar = Vocabulary(symbols: ["x", "+", "-", "*", "/", " "], paddingIndex: 5)

    /// The characters of `lines` in order of first appearance, then the padding symbol.
    public static func of(lines: [String]) -> Vocabulary {
        var seen = Set<Character>(), symbols: [Character] = []
        for line in lines {
            for c in line where !seen.contains(c) {
                seen.insert(c)
                symbols.append(c)
            }
        }
        symbols.append(userPadding)
        return Vocabulary(symbols: symbols, paddingIndex: symbols.count - 1)
    }

    public var count: Int { symbols.count }
    public var padding: Character { symbols[paddingIndex] }

    /// The indices of `string` followed by padding up to `length`, or nil when the string
    /// is longer than `length` or holds a symbol outside the vocabulary.
    public func encode(_ string: String, length: Int) -> [Int32]? {
        var out: [Int32] = []
        out.reserveCapacity(length)
        for c in string {
            guard out.count < length, let i = symbols.firstIndex(of: c) else { return nil }
            out.append(Int32(i))
        }
        while out.count < length { out.append(Int32(paddingIndex)) }
        return out
    }

    /// The string of `indices` with the padding at the end removed (padding inside stays,
    /// shown as the padding symbol).
    public func decode<S: Sequence>(_ indices: S) -> String where S.Element == Int32 {
        var symbolsOut = indices.map { symbols[Int($0)] }
        while symbolsOut.last == padding { symbolsOut.removeLast() }
        return String(symbolsOut)
    }
}

extension Vocabulary {
    private enum CodingKeys: String, CodingKey {
        case symbols
        case paddingIndex = "padding_index"
    }

    /// Symbols are written as one-character strings.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let strings = try c.decode([String].self, forKey: .symbols)
        let padding = try c.decode(Int.self, forKey: .paddingIndex)
        guard strings.allSatisfy({ $0.count == 1 }), Set(strings).count == strings.count,
            padding >= 0, padding < strings.count
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .symbols, in: c,
                debugDescription: "a vocabulary needs distinct one-character symbols and a padding index among them")
        }
        self.init(symbols: strings.map { $0.first! }, paddingIndex: padding)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(symbols.map { String($0) }, forKey: .symbols)
        try c.encode(paddingIndex, forKey: .paddingIndex)
    }
}
