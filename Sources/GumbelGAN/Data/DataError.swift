/// What can be wrong with a user's data file. Each description is one line that names the
/// file, says what is wrong and what to do.
public enum DataError: UserFacingError, Equatable {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case noUsableLines(path: String)
    /// `--skip-long` left out every line.
    case allTooLong(path: String, count: Int, maximumLength: Int)
    case invalidUTF8(path: String, line: Int)
    case tooLong(path: String, firstLine: Int, count: Int, maximumLength: Int)
    case tooShortMaximum(maximumLength: Int)
    case holdsPadding(path: String, line: Int)
    /// A stored run's data, not found with the lines it was trained on.
    case changed(path: String, copy: String)
    /// A stored run's data gives other symbols than its model's.
    case otherVocabulary(path: String, model: String)
    case tooLarge(path: String, lines: Int, length: Int, bytes: Double)

    public var description: String {
        switch self {
        case .missing(let p):
            return "\(p): no such file; give --data the path of a text file with one example per line"
        case .unreadable(let p, let reason):
            return "\(p): cannot be read (\(reason)); check the path and its permissions"
        case .empty(let p):
            return "\(p): the file is empty; it needs one example per line"
        case .noUsableLines(let p):
            return "\(p): no usable lines (every line is blank); it needs one example per line"
        case .allTooLong(let p, let count, let maximum):
            return "\(p): every line (\(count)) is longer than --max-length \(maximum), so --skip-long left none; raise --max-length"
        case .invalidUTF8(let p, let line):
            return "\(p):\(line): not valid UTF-8; save the file as UTF-8"
        case .tooLong(let p, let first, let count, let maximum):
            return
                "\(p):\(first): longer than --max-length \(maximum) (\(count) line\(count == 1 ? "" : "s") in all); raise --max-length or pass --skip-long to leave them out"
        case .tooLarge(let p, let lines, let length, let bytes):
            return
                "\(p): \(lines) lines padded to \(length) symbols need \(String(format: "%.1f", bytes / 1e9)) GB, more than the memory limit; lower --max-length (with --skip-long) or raise --memory-limit"
        case .holdsPadding(let p, let line):
            return "\(p):\(line): holds U+2400 (␀), the symbol the trainer pads with; remove or replace it"
        case .changed(let p, let copy):
            return
                "\(p): not the data this model was trained on (changed, moved or missing), and \(copy) is missing or differs too; restore the file, or name its new place with --data when resuming"
        case .otherVocabulary(let p, let model):
            return "\(p): its symbols are not those \(model) was trained on; the file has changed since; restore it"
        case .tooShortMaximum(let maximum):
            return "--max-length must be at least 1 (got \(maximum))"
        }
    }
}
