import Foundation
import Testing

@testable import GumbelGAN

@Suite struct GrammarTests {
    @Test func derivesExactlyAlternatingStrings() {
        for s in ["x", "x+x", "x*x-x/x", "x-x-x-x-x-x"] { #expect(Grammar.derives(s), "\(s)") }
        for s in ["", "+", "xx", "x+", "+x", "x+ x", "x++x", " x", "x+x ", "y", "x+y"] { #expect(!Grammar.derives(s), "\(s)") }
    }

    @Test func samplesAreDerivableBoundedAndSeeded() {
        let g = Grammar()
        let a = g.samples(2000, set: .training, random: CounterRandom(seed: 1))
        #expect(a.allSatisfy { Grammar.derives($0) && $0.count <= 12 })
        #expect(a == g.samples(2000, set: .training, random: CounterRandom(seed: 1)))
        #expect(a != g.samples(2000, set: .training, random: CounterRandom(seed: 2)))
        #expect(a != g.samples(2000, set: .heldOut, random: CounterRandom(seed: 1)))
        // A derivation is "x" with probability 0.4 and "x op x" with 0.6 · 0.4 · 0.4 = 0.096;
        // redrawing long strings scales both alike, so their ratio stays 0.4 / 0.096 ≈ 4.17
        // (over 20,000 strings its standard error is about 0.08).
        let many = g.samples(20_000, set: .training, random: CounterRandom(seed: 1))
        let ratio = Double(many.filter { $0 == "x" }.count) / Double(many.filter { $0.count == 3 }.count)
        #expect(abs(ratio - 0.4 / 0.096) < 0.3, "x : x op x = \(ratio)")
        #expect(Set(a.map(\.count)).isSuperset(of: [1, 3, 5, 7, 9, 11]))
        // The knobs do what they say.
        #expect(Grammar(stopProbability: 1).samples(50, set: .training, random: CounterRandom(seed: 3)).allSatisfy { $0 == "x" })
        #expect(Grammar(maximumDepth: 0).samples(50, set: .training, random: CounterRandom(seed: 3)).allSatisfy { $0 == "x" })
        #expect(
            Grammar(stopProbability: 0.1, maximumDepth: 1).samples(200, set: .training, random: CounterRandom(seed: 3))
                .allSatisfy { $0.count <= 3 })
    }

    /// The derivation on an explicit stack, stopped once too long, gives the strings of the
    /// plain recursion (the draws are addressed by attempt, so stopping early changes none).
    @Test func stackedDerivationIsTheRecursiveOne() {
        func recursive(_ g: Grammar, _ index: Int, _ random: CounterRandom) -> String {
            func expand(_ depth: Int, _ out: inout String, _ cursor: inout DrawCursor) {
                if depth >= g.maximumDepth || Double(cursor.next()) < g.stopProbability { return out.append("x") }
                let op = Grammar.operators[min(Int(cursor.next() * 4), 3)]
                expand(depth + 1, &out, &cursor)
                out.append(op)
                expand(depth + 1, &out, &cursor)
            }
            for attempt in 0... {
                var (cursor, out) = (DrawCursor(random: random, step: index, row: attempt), "")
                expand(0, &out, &cursor)
                if out.count <= g.maximumLength { return out }
            }
            fatalError()
        }
        let random = CounterRandom(seed: 5)
        for g in [Grammar(), Grammar(stopProbability: 0.3, maximumDepth: 8, maximumLength: 15), Grammar(stopProbability: 0.7, maximumDepth: 3)] {
            #expect(g.samples(300, set: .training, random: random) == (0..<300).map { recursive(g, $0, random) })
        }
    }

    /// The chance that a draw is short enough, worked out exactly, matches the draws; settings
    /// that almost never give one are refused before drawing, and a huge depth costs nothing.
    @Test func hopelessSettingsAreRefusedAndDeepOnesEnd() throws {
        // Default: "x" (0.4), "x op x" (0.6 · 0.4²), … — checked against 20,000 attempts.
        let g = Grammar()
        let random = CounterRandom(seed: 9)
        var accepted = 0
        for row in 0..<20_000 {
            var cursor = DrawCursor(random: random, step: 0, row: row)
            if g.derivation(cursor: &cursor) != nil { accepted += 1 }
        }
        #expect(abs(Double(accepted) / 20_000 - g.acceptance) < 0.01, "\(accepted) vs \(g.acceptance)")
        #expect(abs(Grammar(stopProbability: 0.5, maximumDepth: 1, maximumLength: 1).acceptance - 0.5) < 1e-12)
        var c = TrainingConfiguration(preset: .paperA)
        c.data = .grammar(Grammar(stopProbability: 0.001, maximumDepth: 60), size: 10)
        #expect(throws: ConfigurationError.self) { try c.validate(ranks: 1) }
        let deep = Grammar(stopProbability: 0.3, maximumDepth: 1_000_000_000)
        c.data = .grammar(deep, size: 10)
        try c.validate(ranks: 1)
        #expect(deep.samples(1000, set: .training, random: random).allSatisfy { Grammar.derives($0) && $0.count <= 12 })
    }
}

@Suite struct VocabularyTests {
    @Test func encodesPadsAndDecodes() {
        let v = Vocabulary.grammar
        #expect(v.count == 6 && v.padding == " ")
        let e = v.encode("x+x", length: 5)!
        #expect(e == [0, 1, 0, 5, 5])
        #expect(v.decode(e) == "x+x")
        #expect(v.encode("x+x+x+x", length: 5) == nil)
        #expect(v.encode("x?x", length: 5) == nil)
        #expect(v.decode([0, 5, 0, 5, 5] as [Int32]) == "x x")  // padding inside stays
        #expect(v.decode([0, 1, 5, 0, 5] as [Int32], endingAtPadding: true) == "x+")  // or ends the string
        #expect(v.decode([5, 0, 1, 0] as [Int32], endingAtPadding: true) == "" && v.decode([0, 1, 0] as [Int32], endingAtPadding: true) == "x+x")
        let u = Vocabulary.of(lines: ["ab", "ba c"])
        #expect(u.symbols == ["a", "b", " ", "c", Vocabulary.userPadding] && u.paddingIndex == 4)
        let data = try! JSONEncoder().encode(u)
        #expect(try! JSONDecoder().decode(Vocabulary.self, from: data) == u)
        // A character vocabulary is written as before: symbols and padding index only.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(
            String(decoding: try! encoder.encode(Vocabulary.grammar), as: UTF8.self) == #"{"padding_index":5,"symbols":["x","+","-","*","\/"," "]}"#)
    }

    /// Words as symbols, and a vocabulary capped at K: the K − 2 most frequent (ties: first
    /// seen), an unknown symbol for the rest, padding; round trips through JSON.
    @Test func wordsAndACappedVocabulary() throws {
        let lines = ["the cat sat", "the dog sat", "a  cat"]
        let w = Vocabulary.of(lines: lines, tokenization: .words)
        #expect(w.symbols == ["the", "cat", "sat", "dog", "a", Vocabulary.userPadding] && w.unknownIndex == nil)
        #expect(w.encode("the  dog\tsat", length: 4) == [0, 3, 2, 5])
        #expect(w.decode([0, 3, 2, 5] as [Int32]) == "the dog sat")
        #expect(w.decode([0, 3, 5, 2] as [Int32], endingAtPadding: true) == "the dog")
        #expect(w.encode("the cow", length: 4) == nil)
        let capped = Vocabulary.of(lines: lines, tokenization: .words, maximumSize: 5)
        #expect(capped.symbols == ["the", "cat", "sat", Vocabulary.unknown, Vocabulary.userPadding] && capped.unknownIndex == 3)
        #expect(capped.encode("a cow sat", length: 3) == [3, 3, 2])
        #expect(capped.decode([0, 3, 4] as [Int32]) == "the \(Vocabulary.unknown)")
        let json = try JSONEncoder().encode(capped)
        #expect(try JSONDecoder().decode(Vocabulary.self, from: json) == capped)
        let characters = Vocabulary.of(lines: ["abca", "bd"], maximumSize: 4)
        #expect(characters.symbols == ["a", "b", Vocabulary.unknown, Vocabulary.userPadding])
        #expect(characters.decode(characters.encode("dab", length: 3)!) == "\(Vocabulary.unknown)ab")
        // A damaged file's vocabulary is refused, not trusted.
        let bad = #"{"padding_index":1,"symbols":["a b","c"],"tokens":"words"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Vocabulary.self, from: Data(bad.utf8)) }
    }
}

@Suite struct TokenCorpusTests {
    /// A word-level file: lengths count words, lines are kept with single spaces, the cap
    /// applies; the padding symbol inside the data is one clear error naming the line.
    @Test func wordFiles() throws {
        let path = temporaryFolder() + "/words.txt"
        try "the cat  sat\nthe dog sat on the mat\n\na cat\n".write(toFile: path, atomically: true, encoding: .utf8)
        let c = try Corpus.load(path: path, tokens: .words, maximumVocabulary: 6)
        #expect(c.lines == ["the cat sat", "the dog sat on the mat", "a cat"] && c.length == 6)
        #expect(c.vocabulary.count == 6 && c.vocabulary.unknownIndex == 4)
        #expect(throws: DataError.tooLong(path: path, firstLine: 2, count: 1, maximumLength: 5)) {
            try Corpus.load(path: path, maximumLength: 5, tokens: .words)
        }
        let d = try Dataset.load(.file(path: path, maximumLength: nil, skipLong: false, tokens: .words, maximumVocabulary: 6), seed: 1)
        #expect(d.symbols.count == 3 * 6 && d.vocabulary.decode(d.symbols[0..<6]) == "the cat sat")
        let padded = temporaryFolder() + "/padded.txt"
        try "ab\na\u{2400}b\n".write(toFile: padded, atomically: true, encoding: .utf8)
        #expect(throws: DataError.holdsPadding(path: padded, line: 2)) { try Corpus.load(path: padded) }
    }
}

@Suite struct CorpusTests {
    func write(_ bytes: [UInt8], _ name: String = "data.txt") -> String {
        let path = temporaryFolder() + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func text(_ s: String) -> String { write(Array(s.utf8)) }

    @Test func readsLinesVocabularyAndLength() throws {
        let c = try Corpus.load(path: text("CCO\nc1ccccc1\r\n\n  \nCC(=O)O\n"))
        #expect(c.lines == ["CCO", "c1ccccc1", "CC(=O)O"])
        #expect(c.length == 8)
        #expect(Set(c.vocabulary.symbols) == Set("CO1c(=)".map { String($0) }).union([Vocabulary.userPadding]))
        let d = try Dataset.load(.file(path: c.path, maximumLength: nil, skipLong: false), seed: 1)
        #expect(d.symbols.count == 3 * 8)
        #expect(d.isValid("CCO") && !d.isValid("") && !d.isValid("C\(Vocabulary.userPadding)O"))
        #expect(d.heldOut() == nil)
        #expect(Set(d.referenceSample(200)).isSubset(of: Set(c.lines)))
    }

    @Test func badInputsGiveOneClearError() {
        let folder = temporaryFolder()
        let cases: [(String, DataError)] = [
            (folder + "/nope.txt", .missing(path: folder + "/nope.txt")),
            (folder, .unreadable(path: folder, reason: "it is a folder")),
            (write([]), .empty(path: "")),
            (text("\n  \n\t\n"), .noUsableLines(path: "")),
            (write(Array("ok\nfine\n".utf8) + [0xC3, 0x28] + Array("\n".utf8)), .invalidUTF8(path: "", line: 3)),
        ]
        for (path, expected) in cases {
            #expect {
                try Corpus.load(path: path)
            } throws: { error in
                guard let e = error as? DataError else { return false }
                let message = e.description
                #expect(message.contains(path) && !message.contains("\n"), "\(message)")
                switch (e, expected) {
                case (.missing, .missing), (.unreadable, .unreadable), (.empty, .empty), (.noUsableLines, .noUsableLines): return true
                case (.invalidUTF8(_, let a), .invalidUTF8(_, let b)): return a == b
                default: return false
                }
            }
        }
    }

    @Test func longLinesAreNamedOrSkipped() throws {
        let path = text("short\nthis one is long\nok\nand this one too\n")
        #expect(throws: DataError.tooLong(path: path, firstLine: 2, count: 2, maximumLength: 6)) {
            try Corpus.load(path: path, maximumLength: 6)
        }
        let c = try Corpus.load(path: path, maximumLength: 6, skipLong: true)
        #expect(c.lines == ["short", "ok"] && c.skippedLong == 2 && c.length == 6)
        #expect(throws: DataError.allTooLong(path: path, count: 4, maximumLength: 1)) {
            try Corpus.load(path: path, maximumLength: 1, skipLong: true)
        }
        #expect(throws: DataError.tooShortMaximum(maximumLength: 0)) { try Corpus.load(path: path, maximumLength: 0) }
    }
}

@Suite struct LineEndTests {
    /// Unix, Windows and classic Mac line ends give the same lines; a byte-order mark is not
    /// a symbol; `\r\r\n` is a line and a blank one, not a line ending in `\r`.
    @Test func lineEndsAndByteOrderMark() throws {
        let folder = temporaryFolder()
        var vocabularies: [Vocabulary] = []
        for (name, text) in [
            ("unix", "CCO\nc1ccccc1\n"), ("windows", "CCO\r\nc1ccccc1\r\n"), ("mac", "CCO\rc1ccccc1\r"),
            ("bom", "\u{FEFF}CCO\nc1ccccc1"), ("double", "CCO\r\r\nc1ccccc1\r\r\n"),
        ] {
            let path = folder + "/\(name).txt"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let c = try Corpus.load(path: path)
            #expect(c.lines == ["CCO", "c1ccccc1"], "\(name): \(c.lines)")
            vocabularies.append(c.vocabulary)
        }
        #expect(Set(vocabularies.map(\.symbols)).count == 1)
        let bad = folder + "/bad.txt"
        _ = FileManager.default.createFile(atPath: bad, contents: Data("ok\rfine\r\u{FF}".utf8) + Data([0xFF]))
        #expect(throws: DataError.invalidUTF8(path: bad, line: 3)) { try Corpus.load(path: bad) }
    }

    /// A FIFO or a device as data is refused before anything is read (/dev/zero never ends).
    @Test func pipesAndDevicesAreNotData() throws {
        let fifo = temporaryFolder() + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [fifo, "/dev/zero", "/dev/null"] where FileManager.default.fileExists(atPath: path) {
            #expect(throws: DataError.unreadable(path: path, reason: "not a regular file (a pipe or a device); give a text file")) {
                try Corpus.load(path: path)
            }
        }
    }
}
