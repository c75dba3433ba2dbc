@testable import OneGridWeb
import Testing

/// A type that names its fields for the page gives Mustache what its mirror would: the same
/// names, the same values, so a field added to the type and not to the list is caught here.
@Suite struct RenderTreeTests {
    static let badge = ClockBadge(state: "red", label: "超时", detail: "超时 2 天 3 小时")

    static var samples: [any RenderFields] { [
        badge,
        QueuePage.Option(value: "reported", label: "已上报", selected: true),
        QueuePage.Row(
            id: 42, href: "/cases/42", number: "2026-000042", title: "路灯不亮", category: "市政设施", place: "城关镇 · 网格一",
            status: "已上报", clock: badge, received: "2026-12-01 09:30", department: "城管局", selectValue: "42:3",
            selectLabel: "选择 2026-000042"),
    ] }

    /// Whether two trees hold the same names and leaves, nested dictionaries and lists compared
    /// member by member.
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (let a as [String: Any], let b as [String: Any]):
            Set(a.keys) == Set(b.keys) && a.keys.allSatisfy { same(a[$0], b[$0]) }
        case (let a as [Any], let b as [Any]):
            a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case (.some(let a), .some(let b)):
            type(of: a) == type(of: b) && "\(a)" == "\(b)"
        default:
            false
        }
    }

    @Test(arguments: 0..<3)
    func namedFieldsAreTheMirrorsFields(index: Int) throws {
        let value = Self.samples[index]
        let named = try #require(RenderTree.of(value) as? [String: Any])
        let mirrored = try #require(RenderTree.reflected(value) as? [String: Any])
        #expect(Set(named.keys) == Set(Mirror(reflecting: value).children.compactMap(\.label)), "\(type(of: value))")
        #expect(Self.same(named, mirrored), "\(type(of: value))")
    }

    @Test func theComparisonSeesADifference() {
        #expect(!Self.same(["a": "x"] as [String: Any], ["a": "y"] as [String: Any]))
        #expect(!Self.same(["a": "x"] as [String: Any], ["a": "x", "b": 1] as [String: Any]))
        #expect(!Self.same(["a": [1, 2]] as [String: Any], ["a": [1]] as [String: Any]))
    }
}
