/// The training strings of a run, their vocabulary and fixed length, and how to tell a
/// valid string and draw more strings like them.
public struct Dataset: Sendable {
    public let source: DataSource
    public let vocabulary: Vocabulary
    public let length: Int
    /// The training strings, without padding.
    public let strings: [String]
    /// The training strings' symbol indices, padded: `strings.count × length`, row-major.
    public let symbols: [Int32]
    /// Lines of a user's file left out as too long (see ``Corpus``).
    public let skippedLong: Int
    /// The oracle that wrote the data, for ``DataSource/oracle(seed:size:heldOut:)``.
    public let oracle: Oracle?
    let seed: UInt64

    /// The data of `source`: the grammar's training set drawn with `seed`, or the file.
    /// A file's data is refused before its symbols are laid out when they would take more
    /// than `memoryLimit` bytes.
    public static func load(_ source: DataSource, seed: UInt64, memoryLimit: Double = .infinity) throws -> Dataset {
        switch source {
        case .grammar(let grammar, let size):
            let strings = grammar.samples(size, set: .training, random: CounterRandom(seed: seed))
            return Dataset(
                source: source, vocabulary: .grammar, length: grammar.maximumLength,
                strings: strings, skippedLong: 0, seed: seed)
        case .file(let path, let maximumLength, let skipLong, let tokens, let maximumVocabulary):
            let corpus = try Corpus.load(
                path: path, maximumLength: maximumLength, skipLong: skipLong, tokens: tokens ?? .characters,
                maximumVocabulary: maximumVocabulary)
            let bytes = 4 * Double(corpus.lines.count) * Double(corpus.length)
            if bytes > memoryLimit {
                throw DataError.tooLarge(path: path, lines: corpus.lines.count, length: corpus.length, bytes: bytes)
            }
            return Dataset(
                source: source, vocabulary: corpus.vocabulary, length: corpus.length,
                strings: corpus.lines, skippedLong: corpus.skippedLong, seed: seed)
        case .oracle(let oracleSeed, let size, _):
            let oracle = Oracle(seed: oracleSeed)
            let sentences = oracle.sample(.training, count: size, seed: oracleSeed)
            return Dataset(
                source: source, vocabulary: .oracle(oracle), length: oracle.length,
                strings: sentences.map(Self.sentence), skippedLong: 0, seed: seed, oracle: oracle)
        }
    }

    /// A digest of the training strings (CRC-32 of the lines joined by newlines, and their
    /// count): a user's file is recognised by the lines it gave, whatever its line ends or
    /// byte-order mark, and the run folder's `train.txt` copy has the same digest.
    public var digest: String {
        var crc: UInt32 = 0
        for (i, line) in strings.enumerated() {
            if i > 0 { crc = CRC32.ieee.checksum(CollectionOfOne(UInt8(ascii: "\n")), continuing: crc) }
            crc = CRC32.ieee.checksum(line.utf8, continuing: crc)
        }
        return String(format: "crc32:%08x:%d", crc, strings.count)
    }

    /// An oracle sentence as text: its symbols' indices, separated by spaces.
    static func sentence(_ symbols: [Int32]) -> String { symbols.map(String.init).joined(separator: " ") }

    init(
        source: DataSource, vocabulary: Vocabulary, length: Int, strings: [String], skippedLong: Int, seed: UInt64,
        oracle: Oracle? = nil
    ) {
        self.oracle = oracle
        self.source = source
        self.vocabulary = vocabulary
        self.length = length
        self.strings = strings
        self.skippedLong = skippedLong
        self.seed = seed
        symbols = strings.flatMap { s -> [Int32] in
            guard let encoded = vocabulary.encode(s, length: length) else {
                preconditionFailure("Dataset: \(s) does not fit length \(length) and its vocabulary")
            }
            return encoded
        }
    }

    /// Whether a generated string (padding at the end removed) counts as valid: for the
    /// grammar, that the grammar derives it; for a user's data, that it is not empty and
    /// holds no padding inside.
    public func isValid(_ string: String) -> Bool {
        switch source {
        case .grammar: return Grammar.derives(string)
        case .file: return !string.isEmpty && !string.contains(vocabulary.padding)
        case .oracle: return oracleSymbols(string) != nil
        }
    }

    /// `count` strings drawn from the data distribution, independent of the training set:
    /// fresh derivations of the grammar, or uniform draws (with replacement) from the
    /// user's lines. The yardstick of coverage.
    public func referenceSample(_ count: Int) -> [String] { referenceSample(count, checkpoint: {}) }

    /// ``referenceSample(_:)`` in blocks of 10,000, calling `checkpoint` before each (it may
    /// throw: a long evaluation can be given up).
    func referenceSample(_ count: Int, checkpoint: () throws -> Void) rethrows -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        for first in stride(from: 0, to: count, by: 10_000) {
            try checkpoint()
            out += referenceSample(first..<min(first + 10_000, count))
        }
        return out
    }

    /// Strings `range` of the reference sample (each drawn on its own address).
    private func referenceSample(_ range: Range<Int>) -> [String] {
        let random = CounterRandom(seed: seed)
        if case .oracle(let oracleSeed, _, _) = source, let oracle {
            return oracle.sample(.reference, first: range.lowerBound, count: range.count, seed: oracleSeed).map(Self.sentence)
        }
        switch source {
        case .grammar(let grammar, _):
            return range.map { grammar.sample($0, set: .reference, random: random) }
        case .file, .oracle:
            return range.map { i in
                let u = CounterRandom.openUnit(random.bits(.data, step: Grammar.SampleSet.reference.rawValue, row: i, index: 0))
                return strings[min(Int(u * Float(strings.count)), strings.count - 1)]
            }
        }
    }

    /// The strings the model never saw, for a held-out likelihood: 1,000 fresh derivations of
    /// the grammar, the oracle's held-out sentences; none for a user's file (nil).
    public func heldOut() -> [String]? {
        switch source {
        case .grammar(let grammar, _): return grammar.samples(1000, set: .heldOut, random: CounterRandom(seed: seed))
        case .file: return nil
        case .oracle(let oracleSeed, _, let heldOut):
            return oracle?.sample(.heldOut, count: heldOut, seed: oracleSeed).map(Self.sentence)
        }
    }

    /// An oracle sentence's symbol indices: `length` symbols of the oracle's (no padding),
    /// or nil.
    public func oracleSymbols(_ string: String) -> [Int32]? {
        guard let oracle, let symbols = vocabulary.encode(string, length: length),
            !symbols.contains(where: { Int($0) >= oracle.vocabularySize })
        else { return nil }
        return symbols
    }
}
