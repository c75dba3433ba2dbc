import Foundation

/// A bar chart drawn as SVG on the server: one labelled bar per item with its number written on
/// it, the scale from zero, the period named in the caption. Horizontal bars suit shares by
/// level, platform or channel; vertical ones a month-by-month trend.
struct BarChart {
    enum Orientation { case horizontal, vertical }

    struct Bar {
        var label: String
        var value: Double
        /// What is written on the bar ("97.1 %", "1 204").
        var text: String
        /// A CSS class for the bar's colour (`band-red` …); nil for the chart's own.
        var band: String?
    }

    var caption: String
    var bars: [Bar]
    var orientation: Orientation
    /// A horizontal chart's room for the labels, the longest bar and the words after it, in the
    /// picture's units: a chart shown narrow keeps its words legible with a shorter scale.
    var labelWidth = 150.0
    var barArea = 560.0
    var valueWidth = 190.0
    /// A vertical chart's tallest bar.
    var plotHeight = 220.0

    func svg() -> String {
        let maximum = max(bars.map(\.value).max() ?? 0, 1e-9)
        switch orientation {
        case .horizontal:
            let rowHeight = 34.0
            let height = rowHeight * Double(bars.count) + 8
            var svg = Self.open(width: labelWidth + barArea + valueWidth, height: height, caption: caption)
            for (index, bar) in bars.enumerated() {
                let y = 4 + Double(index) * rowHeight
                let width = max(bar.value / maximum * barArea, bar.value > 0 ? 2 : 0)
                svg += "<text x=\"\(AreaMap.number(labelWidth - 8))\" y=\"\(AreaMap.number(y + 21))\" text-anchor=\"end\" class=\"bar-label\">\(AreaMap.escape(bar.label))</text>"
                svg += "<rect x=\"\(AreaMap.number(labelWidth))\" y=\"\(AreaMap.number(y + 4))\" width=\"\(AreaMap.number(width))\" height=\"\(AreaMap.number(rowHeight - 10))\" class=\"bar \(bar.band ?? "")\"/>"
                svg += "<text x=\"\(AreaMap.number(labelWidth + width + 6))\" y=\"\(AreaMap.number(y + 21))\" class=\"bar-value\">\(AreaMap.escape(bar.text))</text>"
            }
            return svg + "</svg>"
        case .vertical:
            let columnWidth = 64.0
            let width = columnWidth * Double(bars.count) + 16
            var svg = Self.open(width: width, height: plotHeight + 64, caption: caption)
            svg += "<line x1=\"8\" y1=\"\(AreaMap.number(plotHeight + 24))\" x2=\"\(AreaMap.number(width - 8))\" y2=\"\(AreaMap.number(plotHeight + 24))\" class=\"axis\"/>"
            for (index, bar) in bars.enumerated() {
                let x = 8 + Double(index) * columnWidth
                let height = max(bar.value / maximum * plotHeight, bar.value > 0 ? 2 : 0)
                let top = plotHeight + 24 - height
                svg += "<rect x=\"\(AreaMap.number(x + 8))\" y=\"\(AreaMap.number(top))\" width=\"\(AreaMap.number(columnWidth - 16))\" height=\"\(AreaMap.number(height))\" class=\"bar \(bar.band ?? "")\"/>"
                svg += "<text x=\"\(AreaMap.number(x + columnWidth / 2))\" y=\"\(AreaMap.number(top - 6))\" text-anchor=\"middle\" class=\"bar-value\">\(AreaMap.escape(bar.text))</text>"
                svg += "<text x=\"\(AreaMap.number(x + columnWidth / 2))\" y=\"\(AreaMap.number(plotHeight + 46))\" text-anchor=\"middle\" class=\"bar-label\">\(AreaMap.escape(bar.label))</text>"
            }
            return svg + "</svg>"
        }
    }

    private static func open(width: Double, height: Double, caption: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(AreaMap.number(width)) \(AreaMap.number(height))\" class=\"bar-chart\" role=\"img\" aria-label=\"\(AreaMap.escape(caption))\"><title>\(AreaMap.escape(caption))</title>"
    }
}
