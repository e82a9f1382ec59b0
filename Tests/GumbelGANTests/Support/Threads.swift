import Foundation

/// A fresh temporary folder for one test.
func temporaryFolder(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "gumbelgan-tests-\(getpid())-\(name.filter(\.isLetter))-\(UInt32.random(in: 0...UInt32.max))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Collects values from several threads.
final class Collected<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: T] = [:]
    func set(_ rank: Int, _ value: T) { lock.withLock { values[rank] = value } }
    subscript(rank: Int) -> T { lock.withLock { values[rank]! } }
}
