/// Floating-point operations of one adversarial iteration (without packing), counting the
/// matrix products only (2 per multiply–add; the elementwise work is a few per cent at
/// every size here).
///
/// Per example, with length `T`, vocabulary `V`, states `G` and `D`:
/// - generator forward: `T−1` LSTM steps of `4G·(V+G)` and `T` output layers of `V·G`;
///   backward: twice that (input and weight gradients of each product);
/// - discriminator forward, `T` steps of `4D·(V+D)`, on the `R` real and `F` generated rows
///   of its step and again on the `F` rows of the generator's step; backward in its own
///   step `4D·(2D+V)` per step (hidden and weight gradients), in the generator's step
///   `4D·(D+V)` (hidden and input gradients).
public enum FlopCount {
    public static func adversarialIteration(
        realRows r: Int, fakeRows f: Int, length t: Int, vocabulary v: Int,
        generatorHidden g: Int, discriminatorHidden d: Int
    ) -> Double {
        let (R, F, T, V, G, D) = (Double(r), Double(f), Double(t), Double(v), Double(g), Double(d))
        let generator = 3 * F * ((T - 1) * 4 * G * (V + G) + T * V * G)
        let discriminatorForward = (R + 2 * F) * T * 4 * D * (V + D)
        let discriminatorBackward = (R + F) * T * 4 * D * (2 * D + V) + F * T * 4 * D * (D + V)
        return 2 * (generator + discriminatorForward + discriminatorBackward)
    }
}
