import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What can go wrong writing a file. Each description names the file and what to do.
public enum FileWriteError: UserFacingError, Equatable {
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let p, let r): return "\(p): cannot create the file (\(r)); check that its folder exists and is writable"
        case .cannotWrite(let p, let r):
            return "\(p): cannot write the file (\(r)); check free space and permissions; the previous version, if any, is intact"
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

/// Replaces the file at `path` with `bytes` atomically: the bytes go to a temporary file in
/// the same folder, which is flushed to disk (`fsync`) and then renamed over `path`, and the
/// folder is synced. A reader sees the old file or the new one, never a part; on any error
/// the temporary file is removed and the old file is untouched.
public func writeAtomically(_ bytes: Data, to path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    let temporary = (folder.isEmpty ? "." : folder) + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw FileWriteError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
    var failure = writeAll(bytes, to: fd).map { String(cString: strerror($0)) }
    if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
    if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
        unlink(temporary)
        throw FileWriteError.cannotWrite(path: path, reason: failure)
    }
    let dir = open(folder.isEmpty ? "." : folder, O_RDONLY)
    if dir >= 0 {
        fsync(dir)
        close(dir)
    }
}
