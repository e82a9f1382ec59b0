import ArgumentParser
import GumbelGAN

/// An error of the tool's own: one line, already saying what to do.
struct UserError: UserFacingError {
    let description: String
    init(_ description: String) { self.description = description }
}
