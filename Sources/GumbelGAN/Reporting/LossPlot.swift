import Foundation

/// A line chart as SVG: each series drawn raw (faint) and smoothed (a centred moving
/// average), with labelled axes, ticks and a legend. Figure 3 of the paper is this chart of
/// the two losses against the iteration.
public struct LossPlot {
    public struct Series {
        public var name: String
        public var color: String
        public var values: [Double]
        public init(name: String, color: String, values: [Double]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var series: [Series]

    public init(title: String, xLabel: String, yLabel: String, x: [Double], series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.series = series
    }

    /// The centred moving average of `values` over `window` points (shorter at the ends).
    public static func smoothed(_ values: [Double], window: Int) -> [Double] {
        guard window > 1, !values.isEmpty else { return values }
        var prefix = [0.0]
        for v in values { prefix.append(prefix.last! + v) }
        let half = window / 2
        return values.indices.map { i in
            let lo = max(0, i - half), hi = min(values.count, i + half + 1)
            return (prefix[hi] - prefix[lo]) / Double(hi - lo)
        }
    }

    /// Round tick values covering `[low, high]` (about `count` of them).
    static func ticks(_ low: Double, _ high: Double, count: Int = 6) -> [Double] {
        guard high > low else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var t = ceil(low / step) * step
        var out: [Double] = []
        while t <= high + step * 1e-9 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1000 { return String(format: "%.0f", v) }
        return String(format: "%g", (v * 1e4).rounded() / 1e4)
    }

    /// The SVG document.
    public func svg(width: Double = 720, height: Double = 420) -> String {
        let (left, right, top, bottom) = (70.0, 20.0, 40.0, 55.0)
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap(\.values).filter(\.isFinite)
        var (yMin, yMax) = (all.min() ?? 0, all.max() ?? 1)
        if yMax - yMin < 1e-9 { (yMin, yMax) = (yMin - 1, yMax + 1) }
        let pad = (yMax - yMin) * 0.05
        (yMin, yMax) = (yMin - pad, yMax + pad)
        let (xMin, xMax) = (x.first ?? 0, max(x.last ?? 1, (x.first ?? 0) + 1))
        func px(_ v: Double) -> Double { left + (v - xMin) / (xMax - xMin) * plotW }
        func py(_ v: Double) -> Double { top + (yMax - v) / (yMax - yMin) * plotH }
        func path(_ values: [Double]) -> String {
            zip(x, values).filter { $0.1.isFinite }.enumerated().map { i, p in
                String(format: "%@%.1f,%.1f", i == 0 ? "M" : "L", px(p.0), py(p.1))
            }.joined(separator: " ")
        }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

            """
        for t in Self.ticks(yMin, yMax) {
            s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", left, left + plotW, py(t), py(t))
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%@</text>\n", left - 6, py(t) + 4, Self.label(t))
        }
        for t in Self.ticks(xMin, xMax) {
            s += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", px(t), px(t), top, top + plotH)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>\n", px(t), top + plotH + 16, Self.label(t))
        }
        s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>\n", left, top, plotW, plotH)
        s += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        s += "<text transform=\"translate(18 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        let window = max(1, x.count / 50)
        for (k, series) in series.enumerated() {
            s += "<path d=\"\(path(series.values))\" fill=\"none\" stroke=\"\(series.color)\" stroke-opacity=\"0.25\" stroke-width=\"1\"/>\n"
            s += "<path d=\"\(path(Self.smoothed(series.values, window: window)))\" fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"2\"/>\n"
            let ly = top + 14 + Double(k) * 18
            s += String(
                format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>", left + plotW - 130,
                left + plotW - 110, ly, ly, series.color)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>\n", left + plotW - 104, ly + 4, escape(series.name))
        }
        s += "</svg>\n"
        return s
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
