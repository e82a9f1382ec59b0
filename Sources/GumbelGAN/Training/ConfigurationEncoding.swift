import Foundation

extension TrainingConfiguration {
    /// The configuration as JSON with sorted keys: the one encoding used for `config.json`
    /// (`pretty`), a model file's metadata and the ranks' agreement check.
    public func json(pretty: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        // A validated configuration is finite; an unvalidated one must not make this throw.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Decodes ``json(pretty:)``'s output; nil when `data` is not such a configuration.
    public init?(json data: Data) {
        guard let c = try? JSONDecoder().decode(TrainingConfiguration.self, from: data) else { return nil }
        self = c
    }

    /// Settings a resumed run may change; any other must match the checkpoint's.
    public static let changeableOnResume: Set<String> = ["iterations", "logEvery", "evaluateEvery", "evaluationSamples", "sampleTemperature"]

    /// The first top-level setting (a `config.json` key, in sorted order) whose value differs
    /// between `self` and `other`, ignoring `ignoring`, with both values as JSON; nil when none.
    public func firstDifference(from other: TrainingConfiguration, ignoring: Set<String> = [])
        -> (key: String, mine: String, theirs: String)?
    {
        func fields(_ c: TrainingConfiguration) -> [String: String] {
            let object = (try? JSONSerialization.jsonObject(with: c.json()) as? [String: Any]) ?? [:]
            return object.mapValues { value in
                (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]))
                    .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
            }
        }
        let (a, b) = (fields(self), fields(other))
        for key in Set(a.keys).union(b.keys).sorted() where !ignoring.contains(key) && a[key] != b[key] {
            return (key, a[key] ?? "none", b[key] ?? "none")
        }
        return nil
    }
}
