import Foundation
import OneGridDomain

/// The map of an area drawn from its grids' polygons as SVG, on the server: no tile server and
/// no outside map service. Each region (an area one level down) is the set of its grids, filled
/// by its band, named at a size its extent allows, and a link that drills down to it.
struct AreaMap {
    /// The traffic-light state a region is shown in; the legend and each region's title say it
    /// in words too, so the colour is never alone.
    enum Band: String, CaseIterable, Sendable {
        case green, yellow, red, grey

        var fill: String {
            switch self {
            case .green: "#4caf50"
            case .yellow: "#f9c74f"
            case .red: "#e53935"
            case .grey: "#9e9e9e"
            }
        }
    }

    struct Region: Sendable {
        var name: String
        /// Where a click on it leads.
        var href: String
        var grids: [GridBoundary]
        var band: Band
        /// The number printed under the name.
        var figure: String
        /// The whole sentence of its tooltip.
        var title: String
    }

    /// A point drawn over the regions: a report on the public map. Its shape says its state as
    /// well as its colour: a circle while open, a square once done.
    struct Marker: Sendable {
        var point: GeoPoint
        var done: Bool
        var title: String
    }

    var regions: [Region]
    /// Each band's words in the legend, in order.
    var legend: [(band: Band, label: String)]
    var markers: [Marker] = []
    /// The markers' words in the legend: open, then done.
    var markerLegend: (open: String, done: String)?
    var caption: String
    var width: Double = 960
    var height: Double = 640

    /// The picture: a region's grids share its fill and link; grid edges are thin, so regions
    /// read as wholes; names sit at the centre of each region's extent, smaller for small regions,
    /// left out where even the smallest would not fit.
    func svg() -> String {
        let points = regions.flatMap { $0.grids.flatMap(\.ring) }
        let legendHeight = 40.0
        let padding = 12.0
        // A wide area leaves no empty band above and below it: the box shrinks to its shape.
        let box = height
        let height = Projection(points: points, width: width, height: box, padding: padding)
            .map { min(box, $0.drawnHeight + 2 * padding) } ?? box
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Self.number(width)) \(Self.number(height + legendHeight))" \
            class="area-map" role="img" aria-label="\(Self.escape(caption))">
            <title>\(Self.escape(caption))</title>

            """
        if let projection = Projection(points: points, width: width, height: height, padding: padding) {
            // Fill per region, its grids stroked in its own colour so they read as one shape
            // without seams; a city's 735 grids stay a few tens of KB.
            var borders = ""
            for region in regions {
                svg += "<g fill=\"\(region.band.fill)\" stroke=\"\(region.band.fill)\" stroke-width=\"0.6\">"
                svg += "<a href=\"\(Self.escape(region.href))\" class=\"region band-\(region.band.rawValue)\">"
                svg += "<title>\(Self.escape(region.title))</title>"
                var rings: [[String]] = []
                for grid in region.grids where grid.ring.count >= 3 {
                    let ring = grid.ring.map { projection.xy($0) }.map { "\(Self.number($0.x)),\(Self.number($0.y))" }
                    svg += "<polygon points=\"\(ring.joined(separator: " "))\"/>"
                    rings.append(ring)
                }
                svg += "</a></g>\n"
                borders += Self.outline(of: rings)
            }
            // Each region's outline: the grid edges it does not share between two of its own
            // grids (neighbouring grids share their corners), so regions of one colour still
            // read apart.
            svg += "<path d=\"\(borders)\" fill=\"none\" class=\"region-border\" pointer-events=\"none\"/>\n"
            // Names drawn over every region, so a neighbour never covers one; clicks pass through
            // them to the region below.
            svg += "<g text-anchor=\"middle\" pointer-events=\"none\">"
            for region in regions {
                let extent = projection.extent(of: region.grids.flatMap(\.ring))
                // The name's size follows the region's width on screen: 4 characters' worth.
                let size = min(28, extent.width / Double(max(region.name.count, 4)))
                guard size >= 9, extent.height >= size * 2.2 else { continue }
                let x = Self.number(extent.midX)
                svg += "<text x=\"\(x)\" y=\"\(Self.number(extent.midY))\" font-size=\"\(Self.number(size))\" class=\"region-name\">\(Self.escape(region.name))</text>"
                svg += "<text x=\"\(x)\" y=\"\(Self.number(extent.midY + size * 1.1))\" font-size=\"\(Self.number(size * 0.9))\" class=\"region-figure\">\(Self.escape(region.figure))</text>"
            }
            svg += "</g>\n"
            for marker in markers {
                let (x, y) = projection.xy(marker.point)
                let title = "<title>\(Self.escape(marker.title))</title>"
                svg += marker.done
                    ? "<rect x=\"\(Self.number(x - 6))\" y=\"\(Self.number(y - 6))\" width=\"12\" height=\"12\" class=\"marker done\">\(title)</rect>"
                    : "<circle cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"7\" class=\"marker open\">\(title)</circle>"
            }
        }
        var x = 12.0
        let y = height + 14
        for (band, label) in legend {
            svg += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"18\" height=\"18\" fill=\"\(band.fill)\" class=\"band-\(band.rawValue)\"/>"
            svg += "<text x=\"\(Self.number(x + 24))\" y=\"\(Self.number(y + 14))\" font-size=\"15\" class=\"legend\">\(Self.escape(label))</text>"
            x += Self.legendWidth(label)
        }
        if let markerLegend {
            for (done, label) in [(false, markerLegend.open), (true, markerLegend.done)] {
                svg += done
                    ? "<rect x=\"\(Self.number(x + 3))\" y=\"\(Self.number(y + 3))\" width=\"12\" height=\"12\" class=\"marker done\"/>"
                    : "<circle cx=\"\(Self.number(x + 9))\" cy=\"\(Self.number(y + 9))\" r=\"7\" class=\"marker open\"/>"
                svg += "<text x=\"\(Self.number(x + 24))\" y=\"\(Self.number(y + 14))\" font-size=\"15\" class=\"legend\">\(Self.escape(label))</text>"
                x += Self.legendWidth(label)
            }
        }
        return svg + "</svg>"
    }

    /// The room a legend entry takes: its mark and its words. A Chinese character is about as
    /// wide as the font is high, a Latin one about half.
    static func legendWidth(_ label: String) -> Double {
        36 + label.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 8.5 : 15) }
    }

    /// The path of the edges that belong to one ring only: the outline of rings that meet at
    /// shared corners.
    static func outline(of rings: [[String]]) -> String {
        var count: [String: Int] = [:]
        var edges: [(String, String)] = []
        for ring in rings {
            for (index, start) in ring.enumerated() {
                let end = ring[(index + 1) % ring.count]
                guard start != end else { continue }
                let key = start < end ? start + " " + end : end + " " + start
                count[key, default: 0] += 1
                edges.append((start, end))
            }
        }
        return edges.filter { count[$0.0 < $0.1 ? $0.0 + " " + $0.1 : $0.1 + " " + $0.0] == 1 }
            .map { "M\($0.0)L\($0.1)" }.joined()
    }

    /// Longitude and latitude to screen, shrunk east–west by the cosine of the latitude so a
    /// square grid stays square, fitted to the box and centred.
    struct Projection {
        var minLng: Double
        var maxLat: Double
        var scale: Double
        var cosine: Double
        var offsetX: Double
        var offsetY: Double
        /// The height the area takes at this scale.
        var drawnHeight: Double

        init?(points: [GeoPoint], width: Double, height: Double, padding: Double) {
            guard let minLng = points.map(\.lng).min(), let maxLng = points.map(\.lng).max(),
                let minLat = points.map(\.lat).min(), let maxLat = points.map(\.lat).max()
            else { return nil }
            cosine = cos((minLat + maxLat) / 2 * .pi / 180)
            let spanX = max((maxLng - minLng) * cosine, 1e-9)
            let spanY = max(maxLat - minLat, 1e-9)
            scale = min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY)
            self.minLng = minLng
            self.maxLat = maxLat
            offsetX = (width - spanX * scale) / 2
            offsetY = (height - spanY * scale) / 2
            drawnHeight = spanY * scale
        }

        func xy(_ point: GeoPoint) -> (x: Double, y: Double) {
            (offsetX + (point.lng - minLng) * cosine * scale, offsetY + (maxLat - point.lat) * scale)
        }

        func extent(of points: [GeoPoint]) -> (midX: Double, midY: Double, width: Double, height: Double) {
            let screen = points.map(xy)
            guard let minX = screen.map(\.x).min(), let maxX = screen.map(\.x).max(), let minY = screen.map(\.y).min(),
                let maxY = screen.map(\.y).max()
            else { return (0, 0, 0, 0) }
            return ((minX + maxX) / 2, (minY + maxY) / 2, maxX - minX, maxY - minY)
        }
    }

    /// One decimal at most: enough on a 960-wide picture, and a tenth of the bytes of full doubles.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
