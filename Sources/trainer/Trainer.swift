import ArgumentParser
import Foundation
import GumbelGAN

@main
struct Trainer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer",
        abstract: "GumbelGAN: GANs for sequences of discrete symbols with the Gumbel-softmax relaxation.",
        subcommands: [Smoke.self],
        defaultSubcommand: Smoke.self)
}
