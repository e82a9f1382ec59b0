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
    let seed: UInt64

    /// The data of `source`: the grammar's training set drawn with `seed`, or the file.
    public static func load(_ source: DataSource, seed: UInt64) throws -> Dataset {
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
            return Dataset(
                source: source, vocabulary: corpus.vocabulary, length: corpus.length,
                strings: corpus.lines, skippedLong: corpus.skippedLong, seed: seed)
        }
    }

    init(source: DataSource, vocabulary: Vocabulary, length: Int, strings: [String], skippedLong: Int, seed: UInt64) {
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
        }
    }

    /// `count` strings drawn from the data distribution, independent of the training set:
    /// fresh derivations of the grammar, or uniform draws (with replacement) from the
    /// user's lines. The yardstick of coverage.
    public func referenceSample(_ count: Int) -> [String] {
        let random = CounterRandom(seed: seed)
        switch source {
        case .grammar(let grammar, _):
            return grammar.samples(count, set: .reference, random: random)
        case .file:
            return (0..<count).map { i in
                let u = CounterRandom.openUnit(random.bits(.data, step: Grammar.SampleSet.reference.rawValue, row: i, index: 0))
                return strings[min(Int(u * Float(strings.count)), strings.count - 1)]
            }
        }
    }

    /// `count` strings the model never saw, for a held-out likelihood: fresh derivations of
    /// the grammar; none for a user's file (nil).
    public func heldOut(_ count: Int) -> [String]? {
        guard case .grammar(let grammar, _) = source else { return nil }
        return grammar.samples(count, set: .heldOut, random: CounterRandom(seed: seed))
    }
}
