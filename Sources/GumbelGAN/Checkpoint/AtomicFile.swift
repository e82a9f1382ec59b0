import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What can go wrong writing a file. Each description names the file and what to do.
public enum FileWriteError: UserFacingError, Equatable {
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    /// A device or FIFO written in place.
    case cannotWriteInto(path: String, reason: String)
    /// A log appended to.
    case cannotAppend(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let p, let r): return "\(p): cannot create the file (\(r)); check that its folder exists and is writable"
        case .cannotWrite(let p, let r):
            return "\(p): cannot write the file (\(r)); check free space and permissions; the previous version, if any, is intact"
        case .cannotWriteInto(let p, let r): return "\(p): cannot write (\(r)); nothing more was written"
        case .cannotAppend(let p, let r):
            return "\(p): cannot append a record (\(r)); check free space, then resume from the last checkpoint (a cut-off record is dropped)"
        }
    }
}

/// Writes every byte of `bytes` to the descriptor `fd`, through short writes and
/// interruptions; nil when all got there, else the error number.
public func writeAll(_ bytes: Data, to fd: Int32) -> Int32? {
    bytes.withUnsafeBytes { raw -> Int32? in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }
}

/// Removes the temporary files in `folder` that writers no longer running left behind (a
/// process killed while writing): `.<name>.tmp-<process>` whose process is gone, for the
/// given `name` or, when nil, any name.
public func removeStaleTemporaryFiles(in folder: String, name: String? = nil) {
    let prefix = "." + (name ?? "")
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(prefix) {
        guard let range = entry.range(of: ".tmp-", options: .backwards),
            name == nil || range.lowerBound == entry.index(entry.startIndex, offsetBy: prefix.count),
            let pid = Int32(entry[range.upperBound...]), kill(pid, 0) != 0 && errno == ESRCH
        else { continue }
        try? FileManager.default.removeItem(atPath: folder + "/" + entry)
    }
}

/// Replaces the file at `path` with `bytes` atomically (see ``OutputFile``): a reader sees the
/// old file or the new one, never a part; on any error the old file is untouched.
public func writeAtomically(_ bytes: Data, to path: String) throws {
    let file = try OutputFile(path: path)
    try file.write(bytes)
    try file.commit()
}

/// Appends `bytes` to the file at `path` (made if missing) in one `O_APPEND` write loop: a
/// log's records go on whole, one after another.
public func appendWhole(_ bytes: Data, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileWriteError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    if let failure = writeAll(bytes, to: fd) {
        throw FileWriteError.cannotAppend(path: path, reason: String(cString: strerror(failure)))
    }
}
