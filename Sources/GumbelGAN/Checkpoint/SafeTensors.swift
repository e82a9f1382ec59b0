import Foundation

/// The safetensors format: an 8-byte little-endian header size `N`, `N` bytes of UTF-8
/// JSON (padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
/// The JSON maps each name to `{"dtype": "F32", "shape": [...], "data_offsets": [b, e]}`
/// (offsets into the data area, contiguous, no gaps) and `"__metadata__"` to strings.
/// Only F32 tensors are written and read.
public struct SafeTensors: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    public var tensors: [Entry]
    public var metadata: [String: String]

    public init(tensors: [Entry], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public func tensor(_ name: String) -> Entry? { tensors.first { $0.name == name } }

    /// The file's bytes.
    public func encoded() -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for t in tensors {
            precondition(t.values.count == t.shape.reduce(1, *), "SafeTensors: \(t.name) has \(t.values.count) values for \(t.shape)")
            header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.values.count]]
            offset += 4 * t.values.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var out = Data()
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for t in tensors {
            t.values.withUnsafeBufferPointer { p in
                for v in p { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
            }
        }
        return out
    }

    /// Writes the file atomically (see ``writeAtomically(_:to:)``).
    public func write(to path: String) throws { try writeAtomically(encoded(), to: path) }

    /// Reads and checks a file: every fault is a ``SafeTensorsError``, never a crash.
    public static func read(_ path: String) throws -> SafeTensors {
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SafeTensorsError.unreadable(
                path: path, reason: FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file")
        }
        return try decode(bytes, path: path)
    }

    /// Parses and checks `bytes` (`path` names them in errors).
    public static func decode(_ bytes: Data, path: String) throws -> SafeTensors {
        let data = [UInt8](bytes)
        guard data.count >= 8 else { throw SafeTensorsError.truncated(path: path, detail: "\(data.count) bytes, less than the 8-byte header size") }
        var size: UInt64 = 0
        for i in 0..<8 { size |= UInt64(data[i]) << (8 * UInt64(i)) }
        guard size <= UInt64(data.count - 8) else {
            throw SafeTensorsError.truncated(path: path, detail: "header of \(size) bytes, file of \(data.count)")
        }
        let headerEnd = 8 + Int(size)
        guard let object = try? JSONSerialization.jsonObject(with: Data(data[8..<headerEnd])),
            let header = object as? [String: Any]
        else {
            throw SafeTensorsError.badHeader(path: path, detail: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let strings = m as? [String: String] else {
                throw SafeTensorsError.badHeader(path: path, detail: "__metadata__ is not an object of strings")
            }
            metadata = strings
        }
        let dataLength = data.count - headerEnd
        var spans: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any] else {
                throw SafeTensorsError.badTensor(path: path, name: name, detail: "entry is not an object")
            }
            guard let dtype = info["dtype"] as? String else { throw SafeTensorsError.badTensor(path: path, name: name, detail: "no dtype") }
            guard dtype == "F32" else { throw SafeTensorsError.badTensor(path: path, name: name, detail: "dtype \(dtype), expected F32") }
            guard let shape = (info["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                shape.count == (info["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 })
            else {
                throw SafeTensorsError.badTensor(path: path, name: name, detail: "shape is not a list of sizes")
            }
            guard let offsets = (info["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }), offsets.count == 2 else {
                throw SafeTensorsError.badTensor(path: path, name: name, detail: "data_offsets is not [begin, end]")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end else {
                throw SafeTensorsError.badTensor(path: path, name: name, detail: "data_offsets [\(begin), \(end)] are not a range")
            }
            // Sizes from a damaged header can overflow: no shape can need more bytes than the file has.
            let bytes = shape.reduce(4) { n, size in
                let (product, overflow) = n.multipliedReportingOverflow(by: size)
                return overflow || product > data.count ? data.count + 1 : product
            }
            guard end - begin == bytes else {
                throw SafeTensorsError.badTensor(
                    path: path, name: name,
                    detail:
                        "shape \(shape) needs \(bytes > data.count ? "more bytes than the file has" : "\(bytes) bytes"), offsets give \(end - begin)")
            }
            spans.append((name, shape, begin, end))
        }
        spans.sort { $0.begin < $1.begin }
        var expected = 0
        for s in spans {
            guard s.begin == expected else {
                throw SafeTensorsError.badTensor(path: path, name: s.name, detail: "data_offsets leave a gap or overlap at byte \(expected)")
            }
            expected = s.end
        }
        guard expected == dataLength else {
            throw SafeTensorsError.truncated(path: path, detail: "the tensors need \(expected) data bytes, the file holds \(dataLength)")
        }
        let tensors = spans.map { s -> Entry in
            var values = [Float](repeating: 0, count: (s.end - s.begin) / 4)
            for i in 0..<values.count {
                let o = headerEnd + s.begin + 4 * i
                let bits = UInt32(data[o]) | UInt32(data[o + 1]) << 8 | UInt32(data[o + 2]) << 16 | UInt32(data[o + 3]) << 24
                values[i] = Float(bitPattern: bits)
            }
            return Entry(name: s.name, shape: s.shape, values: values)
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }
}
