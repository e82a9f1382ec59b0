import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A user's data set: one example per line of a UTF-8 text file.
///
/// Blank lines are left out; lines end at `\n`, `\r\n` or `\r`, and a byte-order mark
/// at the start is not data. The vocabulary is the set of symbols in the file (characters or words, at most
/// `maximumVocabulary`) plus a padding symbol; the length, in symbols, is `maximumLength`
/// when given, else the longest line's. With words, a line is kept as its words joined by
/// single spaces.
public struct Corpus: Sendable {
    public let path: String
    public let lines: [String]
    public let vocabulary: Vocabulary
    public let length: Int
    /// Lines left out because they were longer than the maximum length (with `skipLong`).
    public let skippedLong: Int

    /// The lines of a file's bytes: a UTF-8 byte-order mark at the start is dropped, and a
    /// line ends at `\n`, `\r\n` or a lone `\r` (Unix, Windows and classic Mac files alike).
    static func lines(of bytes: Data) -> [Data.SubSequence] {
        var start = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        var out: [Data.SubSequence] = []
        var i = start
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                out.append(bytes[start..<i])
                if b == UInt8(ascii: "\r"), i + 1 < bytes.endIndex, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                start = i + 1
            }
            i += 1
        }
        out.append(bytes[start..<bytes.endIndex])
        return out
    }

    public static func load(
        path: String, maximumLength: Int? = nil, skipLong: Bool = false, tokens: Tokenization = .characters,
        maximumVocabulary: Int? = nil
    ) throws -> Corpus {
        if let m = maximumLength, m < 1 { throw DataError.tooShortMaximum(maximumLength: m) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw DataError.missing(path: path) }
        if isFolder.boolValue { throw DataError.unreadable(path: path, reason: "it is a folder") }
        // A FIFO or a device (/dev/zero, /dev/null) is not a data set: it may never end.
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            throw DataError.unreadable(path: path, reason: "not a regular file (a pipe or a device); give a text file")
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: path) ? "\(error.localizedDescription)" : "permission denied"
            throw DataError.unreadable(path: path, reason: reason)
        }
        if bytes.isEmpty { throw DataError.empty(path: path) }

        // Each line with its number and its length in symbols, counted once.
        var lines: [(number: Int, text: String, length: Int)] = []
        for (i, lineBytes) in Self.lines(of: bytes).enumerated() {
            guard let text = String(validating: lineBytes, as: UTF8.self) else {
                throw DataError.invalidUTF8(path: path, line: i + 1)
            }
            if text.unicodeScalars.contains("\u{2400}") { throw DataError.holdsPadding(path: path, line: i + 1) }
            guard !text.allSatisfy(\.isWhitespace) else { continue }
            if tokens == .words {
                let words = tokens.tokens(of: text)
                lines.append((i + 1, tokens.join(words), words.count))
            } else {
                lines.append((i + 1, text, text.count))
            }
        }
        guard !lines.isEmpty else { throw DataError.noUsableLines(path: path) }

        var skipped = 0
        if let maximum = maximumLength {
            let long = lines.filter { $0.length > maximum }
            if let first = long.first {
                guard skipLong else {
                    throw DataError.tooLong(path: path, firstLine: first.number, count: long.count, maximumLength: maximum)
                }
                skipped = long.count
                lines.removeAll { $0.length > maximum }
                guard !lines.isEmpty else { throw DataError.allTooLong(path: path, count: skipped, maximumLength: maximum) }
            }
        }
        let texts = lines.map(\.text)
        return Corpus(
            path: path, lines: texts, vocabulary: .of(lines: texts, tokenization: tokens, maximumSize: maximumVocabulary),
            length: maximumLength ?? lines.map(\.length).max()!, skippedLong: skipped)
    }
}
