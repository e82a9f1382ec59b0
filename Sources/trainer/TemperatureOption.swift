import ArgumentParser
import GumbelGAN

/// The `--temperature` rule that `sample` and `evaluate` share with `train --sample-temperature`.
enum TemperatureOption {
    static func validate(_ temperature: Float?) throws {
        if let temperature, !TrainingConfiguration.isSamplingTemperature(temperature) {
            throw ValidationError("--temperature must lie in \(TrainingConfiguration.samplingTemperatures) (got \(temperature))")
        }
    }
}
