/// What can be wrong with a run folder.
public enum RunFolderError: UserFacingError, Equatable {
    case notEmpty(path: String)
    case cannotCreate(path: String, reason: String)
    case missingFile(path: String)
    case unreadable(path: String, reason: String)
    case noModel(path: String)
    case busy(path: String)

    public var description: String {
        switch self {
        case .notEmpty(let p): return "\(p): the run folder already holds files; choose another --run-dir or remove it"
        case .cannotCreate(let p, let r): return "\(p): cannot create the run folder (\(r)); check the path and permissions"
        case .missingFile(let p): return "\(p): no such file; is this a run folder written by `trainer train`?"
        case .unreadable(let p, let r): return "\(p): cannot be read (\(r))"
        case .busy(let p): return "\(p): another trainer is using this run folder; wait for it to end or choose another --run-dir"
        case .noModel(let p): return "\(p): the run folder holds no checkpoint or model yet; let the run write one (--checkpoint-every)"
        }
    }
}
