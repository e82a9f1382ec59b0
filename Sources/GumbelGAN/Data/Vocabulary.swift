/// The symbols of a data set, each with an index, one of which pads strings to the fixed
/// length.
///
/// For the paper's grammar the padding symbol is the space, itself part of the alphabet
/// (the paper pads with spaces). For a user's file it is an extra symbol, shown as
/// ``Vocabulary/userPadding``, so that spaces inside the data stay ordinary characters. A
/// user's symbols are its characters or its words (``Tokenization``); a vocabulary capped
/// at a size keeps the most frequent and maps the others to ``Vocabulary/unknown``.
public struct Vocabulary: Sendable, Equatable {
    /// The symbols, in index order.
    public let symbols: [String]
    /// Index of the padding symbol.
    public let paddingIndex: Int
    /// Index of the unknown symbol, in a capped vocabulary.
    public let unknownIndex: Int?
    public let tokenization: Tokenization
    /// Each symbol's index.
    private let indices: [String: Int32]

    /// How padding inside a user's string is shown (U+2400 SYMBOL FOR NULL).
    public static let userPadding = "\u{2400}"
    /// The symbol standing for the ones a capped vocabulary left out (U+FFFD).
    public static let unknown = "\u{FFFD}"

    public init(symbols: [String], paddingIndex: Int, unknownIndex: Int? = nil, tokenization: Tokenization = .characters) {
        precondition(paddingIndex >= 0 && paddingIndex < symbols.count, "Vocabulary: padding index \(paddingIndex) of \(symbols.count)")
        precondition(Set(symbols).count == symbols.count, "Vocabulary: repeated symbols")
        self.symbols = symbols
        self.paddingIndex = paddingIndex
        self.unknownIndex = unknownIndex
        self.tokenization = tokenization
        indices = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, Int32($0)) })
    }

    /// The paper's alphabet: `x + - * /` and space, space padding.
    public static let grammar = Vocabulary(symbols: ["x", "+", "-", "*", "/", " "], paddingIndex: 5)

    /// An oracle's symbols, named by their indices ("0", "1", …), then padding: symbol `i`
    /// is the oracle's symbol `i`.
    public static func oracle(_ oracle: Oracle) -> Vocabulary {
        Vocabulary(
            symbols: (0..<oracle.vocabularySize).map(String.init) + [userPadding], paddingIndex: oracle.vocabularySize,
            tokenization: .words)
    }

    /// The symbols of `lines` in order of first appearance, then the padding symbol. With
    /// `maximumSize` K below that count, the K − 2 most frequent symbols (ties: the first
    /// seen), the unknown symbol and the padding symbol.
    public static func of(lines: [String], tokenization: Tokenization = .characters, maximumSize: Int? = nil) -> Vocabulary {
        var counts: [String: Int] = [:], order: [String] = []
        for line in lines {
            for token in tokenization.tokens(of: line) {
                if counts[token] == nil { order.append(token) }
                counts[token, default: 0] += 1
            }
        }
        var symbols = order
        var unknownIndex: Int?
        if let k = maximumSize, order.count + 1 > k {
            let firstSeen = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            let kept = Set(order.sorted { (counts[$0]!, firstSeen[$1]!) > (counts[$1]!, firstSeen[$0]!) }.prefix(max(k - 2, 0)))
            symbols = order.filter(kept.contains) + [unknown]
            unknownIndex = symbols.count - 1
        }
        symbols.append(userPadding)
        return Vocabulary(symbols: symbols, paddingIndex: symbols.count - 1, unknownIndex: unknownIndex, tokenization: tokenization)
    }

    public var count: Int { symbols.count }
    public var padding: String { symbols[paddingIndex] }

    /// The indices of `string`'s symbols followed by padding up to `length`, or nil when it
    /// has more than `length` symbols or one outside the vocabulary (unless the vocabulary
    /// has an unknown symbol, which stands for it).
    public func encode(_ string: String, length: Int) -> [Int32]? {
        var out: [Int32] = []
        out.reserveCapacity(length)
        for token in tokenization.tokens(of: string) {
            guard out.count < length, let i = indices[token] ?? unknownIndex.map(Int32.init) else { return nil }
            out.append(i)
        }
        while out.count < length { out.append(Int32(paddingIndex)) }
        return out
    }

    /// The string of `indices` with the padding at the end removed (padding inside stays,
    /// shown as the padding symbol); `endingAtPadding` ends it at its first padding instead,
    /// as a sampler that stops at its end token reads it.
    public func decode<S: Sequence>(_ indices: S, endingAtPadding: Bool = false) -> String where S.Element == Int32 {
        var tokens = endingAtPadding ? indices.prefix { Int($0) != paddingIndex }.map { symbols[Int($0)] } : indices.map { symbols[Int($0)] }
        while tokens.last == padding { tokens.removeLast() }
        return tokenization.join(tokens)
    }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool {
        a.symbols == b.symbols && a.paddingIndex == b.paddingIndex && a.unknownIndex == b.unknownIndex
            && a.tokenization == b.tokenization
    }
}

extension Vocabulary: Codable {
    private enum CodingKeys: String, CodingKey {
        case symbols
        case paddingIndex = "padding_index"
        case unknownIndex = "unknown_index"
        case tokens
    }

    /// Symbols are strings: one character each, or words without white space. The keys a
    /// character vocabulary does not need are left out, so such files read as before.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let strings = try c.decode([String].self, forKey: .symbols)
        let padding = try c.decode(Int.self, forKey: .paddingIndex)
        let unknown = try c.decodeIfPresent(Int.self, forKey: .unknownIndex)
        let tokens = try c.decodeIfPresent(Tokenization.self, forKey: .tokens) ?? .characters
        let wellFormed = strings.allSatisfy { s in
            tokens == .characters ? s.count == 1 : !s.isEmpty && !s.contains(where: \.isWhitespace)
        }
        guard wellFormed, Set(strings).count == strings.count, padding >= 0, padding < strings.count,
            unknown.map({ $0 >= 0 && $0 < strings.count && $0 != padding }) ?? true
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .symbols, in: c,
                debugDescription: "a vocabulary needs distinct symbols and padding and unknown indices among them")
        }
        self.init(symbols: strings, paddingIndex: padding, unknownIndex: unknown, tokenization: tokens)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(symbols, forKey: .symbols)
        try c.encode(paddingIndex, forKey: .paddingIndex)
        try c.encodeIfPresent(unknownIndex, forKey: .unknownIndex)
        if tokenization != .characters { try c.encode(tokenization, forKey: .tokens) }
    }
}
