import ArgumentParser

/// `--discriminator`: the paper's LSTM or the text CNN of SeqGAN and RelGAN.
enum DiscriminatorKind: String, ExpressibleByArgument, CaseIterable {
    case lstm
    case cnn
}
