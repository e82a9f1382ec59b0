import Foundation

/// The one way figures are written as text: log lines, the progress line's summary and
/// evaluation lines.
public enum MetricsText {
    /// A log line: `step    100  tau 4.960  loss_d 1.3863  loss_g 0.6931  d_real 0.500  d_fake 0.500`.
    public static func line(_ r: MetricsRecord) -> String {
        var s = String(format: "step %6d  tau %.3f", r.step, r.tau)
        if let d = r.lossD, let g = r.lossG, let dr = r.dReal, let df = r.dFake {
            s += String(format: "  loss_d %.4f  loss_g %.4f  d_real %.3f  d_fake %.3f", d, g, dr, df)
        }
        if let gradient = r.dGradient { s += String(format: "  d_grad_real %.4g", gradient) }
        if let gradient = r.dGradientFake { s += String(format: "  d_grad_fake %.4g", gradient) }
        if let nll = r.nll { s += String(format: "  nll %.4f", nll) }
        return s
    }

    /// The losses alone, for a progress line: `loss_d 1.386  loss_g 0.693` or `nll 0.540`.
    public static func short(_ r: MetricsRecord) -> String {
        if let d = r.lossD, let g = r.lossG { return String(format: "loss_d %.3f  loss_g %.3f", d, g) }
        return r.nll.map { String(format: "nll %.3f", $0) } ?? ""
    }

    /// An evaluation line: `eval   5000  validity 0.246  uniqueness …`.
    public static func line(_ e: Evaluation, step: Int) -> String {
        let m = e.samples
        var s = String(
            format: "eval %6d  validity %.3f  uniqueness %.3f  novelty %.3f  coverage %.3f  length_js %.3f  bigram_js %.3f",
            step, m.validity, m.uniqueness, m.novelty, m.coverage, m.lengthJS, m.bigramJS)
        if let t = e.trainingNLL { s += String(format: "  train_nll %.4f", t) }
        if let h = e.heldOutNLL { s += String(format: "  heldout_nll %.4f", h) }
        if let o = e.oracleNLL { s += String(format: "  nll_oracle %.3f", o) }
        if let f = e.oracleFloor { s += String(format: " (floor %.3f)", f) }
        if let t = e.temperature { s += "  at T \(t)" }
        return s
    }
}
