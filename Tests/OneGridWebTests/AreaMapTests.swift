import Foundation
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The SVG map and bar charts: what a reader relies on is in the picture — a link per region,
/// its name and number in words, its band as a fill and in the legend, nothing outside the box.
@Suite struct AreaMapTests {
    static func square(lat: Double, lng: Double, side: Double = 0.01) -> GridBoundary {
        GridBoundary(ring: [
            GeoPoint(lat: lat, lng: lng), GeoPoint(lat: lat, lng: lng + side), GeoPoint(lat: lat + side, lng: lng + side),
            GeoPoint(lat: lat + side, lng: lng),
        ])
    }

    static let map = AreaMap(
        regions: [
            AreaMap.Region(
                name: "城关镇", href: "/command-room?area=3", grids: [square(lat: 30, lng: 121), square(lat: 30, lng: 121.01)],
                band: .red, figure: "12", title: "城关镇：超期 12 件"),
            AreaMap.Region(
                name: "A&B<村>", href: "/command-room?area=4&x=1", grids: [square(lat: 30.01, lng: 121, side: 0.0001)], band: .green,
                figure: "0", title: "无超期"),
        ],
        legend: [(.green, "无超期"), (.yellow, "少量超期"), (.red, "超期较多")], caption: "超期案件分布")

    @Test func eachRegionIsALinkWithItsBandAndWords() {
        let svg = Self.map.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<a href=").count - 1 == 2)
        #expect(svg.contains("<a href=\"/command-room?area=3\" class=\"region band-red\"><title>城关镇：超期 12 件</title>"))
        #expect(svg.components(separatedBy: "<polygon").count - 1 == 3, "one polygon per grid")
        #expect(svg.contains(">城关镇</text>"))
        #expect(svg.contains("href=\"/command-room?area=4&amp;x=1\""), "attributes are escaped")
        #expect(!svg.contains("A&B<村>"), "text is escaped")
        #expect(!svg.contains(">A&amp;B&lt;村&gt;</text>"), "a region too small for its name is not labelled")
        for label in ["无超期", "少量超期", "超期较多"] { #expect(svg.contains(">\(label)</text>"), "legend: \(label)") }
    }

    @Test func aRegionIsOutlinedWithoutTheEdgesItsGridsShare() {
        // Two squares side by side share one edge: the outline is the other six.
        let rings = [["0,0", "1,0", "1,1", "0,1"], ["1,0", "2,0", "2,1", "1,1"]]
        let outline = AreaMap.outline(of: rings)
        #expect(outline.components(separatedBy: "M").count - 1 == 6)
        #expect(!outline.contains("M1,0L1,1") && !outline.contains("M1,1L1,0"), "the shared edge is inside the region")
        #expect(Self.map.svg().contains("class=\"region-border\""))
    }

    @Test func theMapFitsItsBoxAndKeepsDistancesTrue() throws {
        let svg = Self.map.svg()
        let first = try #require(svg.range(of: "<polygon points=\"")).upperBound
        let points = svg[first...].prefix { $0 != "\"" }.split(separator: " ").map { pair in pair.split(separator: ",").map { Double($0)! } }
        #expect(points.count == 4)
        for point in points {
            #expect((0...960).contains(point[0]) && (0...640).contains(point[1]))
        }
        let width = abs(points[1][0] - points[0][0])
        let height = abs(points[2][1] - points[1][1])
        // East–west degrees are shorter by the cosine of the latitude: 0.866 at 30°.
        #expect(abs(width / height - cos(30.005 * .pi / 180)) < 0.002, "\(width) × \(height)")
    }

    @Test func bandsFollowTheOverdueShareOfOpenCases() {
        #expect(AreaMap.Band(open: 0, overdue: 0) == .grey)
        #expect(AreaMap.Band(open: 100, overdue: 0) == .green)
        #expect(AreaMap.Band(open: 100, overdue: 4) == .yellow)
        #expect(AreaMap.Band(open: 100, overdue: 5) == .red)
    }

    /// On a map every part is judged beside the whole shown: with a fifth of the county's open
    /// cases overdue, a town at that share is green, not red as a fixed 5 % would paint it.
    @Test func mapBandsCompareEachPartWithTheWhole() {
        let county = (open: 1_000, overdue: 200)
        #expect(AreaMap.Band(open: 0, overdue: 0, beside: county) == .grey)
        #expect(AreaMap.Band(open: 100, overdue: 0, beside: county) == .green)
        #expect(AreaMap.Band(open: 100, overdue: 20, beside: county) == .green)
        #expect(AreaMap.Band(open: 100, overdue: 21, beside: county) == .yellow)
        #expect(AreaMap.Band(open: 100, overdue: 30, beside: county) == .yellow)
        #expect(AreaMap.Band(open: 100, overdue: 31, beside: county) == .red)
        // A whole with nothing overdue leaves any overdue part red.
        #expect(AreaMap.Band(open: 100, overdue: 1, beside: (open: 500, overdue: 0)) == .red)
    }

    @Test func barsCarryTheirNumbersAndScaleFromZero() {
        let chart = BarChart(
            caption: "2026-11 按层级办结", bars: [
                BarChart.Bar(label: "村(社区)", value: 97, text: "97.0 %", band: nil),
                BarChart.Bar(label: "乡镇(街道)", value: 3, text: "3.0 %", band: nil),
                BarChart.Bar(label: "县(区)", value: 0, text: "0.0 %", band: nil),
            ], orientation: .horizontal)
        let svg = chart.svg()
        #expect(svg.contains("<title>2026-11 按层级办结</title>"))
        for text in ["97.0 %", "3.0 %", "0.0 %", "村(社区)"] { #expect(svg.contains(">\(text)</text>")) }
        #expect(svg.contains("width=\"560\""), "the largest bar fills the scale")
        #expect(svg.contains("width=\"0\""), "zero draws no bar")
    }
}
