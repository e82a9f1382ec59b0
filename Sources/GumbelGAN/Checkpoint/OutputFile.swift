import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file written in pieces and published whole. A regular file (new, existing, or reached
/// through symbolic links) is written to a temporary file beside it, flushed to disk and
/// renamed over it by ``commit()``, and the folder is synced: a reader sees the old file or
/// the new one, never a part. Anything else (a device, a FIFO, a terminal) is written into
/// as it is, since renaming over `/dev/null` would replace the system's. Every write is
/// checked; an output dropped before ``commit()`` removes its temporary file, and one left by
/// a killed writer of the same file is removed when the next one starts.
public final class OutputFile {
    /// The path as given (what errors name).
    public let path: String
    private let fd: Int32
    /// The file the output replaces, and the temporary file beside it; nil when written in place.
    private let replacing: (target: String, temporary: String)?
    private var open = true

    public init(path: String) throws {
        self.path = path
        let target = Self.resolvingLinks(path)
        var status = stat()
        let exists = stat(target, &status) == 0
        let kind = status.st_mode & S_IFMT
        if exists && kind == S_IFDIR {
            throw FileWriteError.cannotWrite(path: path, reason: "a folder of that name exists")
        }
        if exists && kind != S_IFREG {
            replacing = nil
            fd = Glibc.open(target, O_WRONLY | O_CLOEXEC)
        } else {
            let folder = (target as NSString).deletingLastPathComponent, name = (target as NSString).lastPathComponent
            // A writer of this file killed mid-way (SIGKILL) left its temporary file: clear it.
            removeStaleTemporaryFiles(in: folder.isEmpty ? "." : folder, name: name)
            let temporary = (folder.isEmpty ? "." : folder) + "/." + name + ".tmp-\(getpid())"
            replacing = (target, temporary)
            fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw FileWriteError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Appends `bytes`.
    public func write(_ bytes: Data) throws {
        if let failure = writeAll(bytes, to: fd) { try fail(String(cString: strerror(failure))) }
    }

    /// Publishes what was written: flushes and renames over the target (in place: closes).
    public func commit() throws {
        guard let replacing else {
            open = false
            if close(fd) != 0 { throw FileWriteError.cannotWriteInto(path: path, reason: String(cString: strerror(errno))) }
            return
        }
        if fsync(fd) != 0 { try fail(String(cString: strerror(errno))) }
        open = false
        var failure = close(fd) != 0 ? String(cString: strerror(errno)) : nil
        if failure == nil && rename(replacing.temporary, replacing.target) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(replacing.temporary)
            throw FileWriteError.cannotWrite(path: path, reason: failure)
        }
        let folder = (replacing.target as NSString).deletingLastPathComponent
        let dir = Glibc.open(folder.isEmpty ? "." : folder, O_RDONLY)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    deinit { discard() }

    private func discard() {
        guard open else { return }
        open = false
        close(fd)
        if let replacing { unlink(replacing.temporary) }
    }

    private func fail(_ reason: String) throws -> Never {
        discard()
        throw replacing == nil ? FileWriteError.cannotWriteInto(path: path, reason: reason) : FileWriteError.cannotWrite(path: path, reason: reason)
    }

    /// `path` with its symbolic links followed (a link to a file not yet made resolves to
    /// that file's path), so that a link is written through, not replaced.
    static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            if let resolved = realpath(current, nil) {
                defer { free(resolved) }
                return String(cString: resolved)
            }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, Int(PATH_MAX))
            guard n > 0 else { return current }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
        }
        return current
    }
}
