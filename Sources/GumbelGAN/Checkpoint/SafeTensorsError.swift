/// What can be wrong with a safetensors file. Each description names the file and the fault.
public enum SafeTensorsError: UserFacingError, Equatable {
    case unreadable(path: String, reason: String)
    case truncated(path: String, detail: String)
    case badHeader(path: String, detail: String)
    case badTensor(path: String, name: String, detail: String)
    case missingTensor(path: String, name: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): return "\(p): cannot be read (\(r))"
        case .truncated(let p, let d): return "\(p): not a complete safetensors file (\(d)); it may have been cut short, use another checkpoint"
        case .badHeader(let p, let d): return "\(p): not a safetensors file (\(d))"
        case .badTensor(let p, let n, let d): return "\(p): tensor \(n): \(d)"
        case .missingTensor(let p, let n): return "\(p): has no tensor \(n); it was written for another model"
        }
    }
}
