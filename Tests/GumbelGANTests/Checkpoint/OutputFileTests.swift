import Foundation
import Testing

@testable import GumbelGAN

@Suite struct OutputFileTests {
    /// A regular file is replaced whole at `commit()`, and an output dropped before it leaves
    /// the old file and no temporary file; a link is written through, not replaced; a FIFO
    /// is written into; a folder is refused.
    @Test func regularFilesAreReplacedOthersWrittenInto() throws {
        let folder = temporaryFolder()
        let target = folder + "/target.txt", link = folder + "/link.txt"
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)

        var dropped: OutputFile? = try OutputFile(path: link)
        try dropped?.write(Data("half".utf8))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old\n")
        dropped = nil
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["link.txt", "target.txt"])

        // Temporary files of this target left by writers that are gone are cleared; a live
        // writer's, and other files', are not.
        let (gone, alive, other) = (".target.txt.tmp-2147483646", ".target.txt.tmp-1", ".other.txt.tmp-2147483646")
        for name in [gone, alive, other] { try "partial".write(toFile: folder + "/" + name, atomically: false, encoding: .utf8) }
        let file = try OutputFile(path: link)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                == [alive, other, ".target.txt.tmp-\(getpid())", "link.txt", "target.txt"].sorted())
        try FileManager.default.removeItem(atPath: folder + "/" + alive)
        try FileManager.default.removeItem(atPath: folder + "/" + other)
        try file.write(Data("new\n".utf8))
        try file.write(Data("lines\n".utf8))
        try file.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\nlines\n")

        // A link to a file not yet made makes that file.
        let dangling = folder + "/dangling", made = folder + "/made.txt"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "made.txt")
        try writeAtomically(Data("x\n".utf8), to: dangling)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling) == "made.txt")
        #expect(try String(contentsOfFile: made, encoding: .utf8) == "x\n")

        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        let read = Collected<String>(), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let data = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
            read.set(0, String(decoding: data, as: UTF8.self))
            done.signal()
        }
        let piped = try OutputFile(path: fifo)
        try piped.write(Data("through\n".utf8))
        try piped.commit()
        done.wait()
        #expect(read[0] == "through\n")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)

        #expect(throws: FileWriteError.cannotWrite(path: folder, reason: "a folder of that name exists")) { try OutputFile(path: folder) }
    }

    /// A device is written into, not replaced, and a failed write is named as such.
    @Test func devicesAreWrittenInto() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let full = try OutputFile(path: "/dev/full")
        #expect(throws: FileWriteError.cannotWriteInto(path: "/dev/full", reason: "No space left on device")) {
            try full.write(Data("x".utf8))
        }
        var status = stat()
        #expect(stat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }
}
