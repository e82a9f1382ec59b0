/// A configuration that makes no sense, naming the settings by their keys in `config.json`
/// (`batchSize`, `adam.learningRate`, `data.size`, …). A program that took the settings from
/// elsewhere (command-line flags) names them its own way with ``description(naming:)``.
public struct ConfigurationError: UserFacingError, Equatable {
    /// The settings involved, as `config.json` keys.
    public let settings: [String]
    /// The message with `%0`, `%1`, … where the settings' names go.
    let template: String

    init(_ settings: [String], _ template: String) {
        self.settings = settings
        self.template = template
    }

    /// The message with each setting called `name(key)`.
    public func description(naming name: (String) -> String) -> String {
        var text = template
        for (k, setting) in settings.enumerated().reversed() { text = text.replacingOccurrences(of: "%\(k)", with: name(setting)) }
        return text
    }

    public var description: String { description(naming: { $0 }) }
}
