import Foundation
import OneGridDomain

/// The one-window intake form (一窗受理): the person, what happened, where, the category proposed
/// from the text, open cases alike nearby, and what the window does with it.
struct IntakePage {
    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Group {
        var label: String
        var choices: [Choice]
    }

    /// One of the categories proposed from the text, with the model's confidence.
    struct Proposal {
        var id: String
        var value: String
        var label: String
        var confidence: String
        var selected: Bool
    }

    /// An open case in the same grid and category whose text is alike.
    struct Alike {
        var value: String
        var href: String
        var number: String
        var title: String
        var status: String
        var received: String
        var similarity: String
        var selected: Bool
    }

    /// Errors next to the field they concern; `general` for what no field owns.
    struct Errors {
        var name: String?
        var phone: String?
        var idNumber: String?
        var title: String?
        var description: String?
        var grid: String?
        var address: String?
        var category: String?
        var outcome: String?
        var note: String?
        var legalRoute: String?
        var general: String?

        var any: Bool {
            [name, phone, idNumber, title, description, grid, address, category, outcome, note, legalRoute, general]
                .contains { $0 != nil }
        }
    }

    var actionURL = SiteURL.intake.path
    var proposalsURL = SiteURL.intakeProposals.path
    /// Sent back with the form so a double click registers the request once.
    var idempotencyKey: String
    var name = ""
    var phone = ""
    var idNumber = ""
    var title = ""
    var description = ""
    var address = ""
    var note = ""
    var channels: [Choice]
    var villages: [Group]
    var categories: [Group]
    var proposals: [Proposal]
    /// Set once proposals were asked for, so "none found" can be said.
    var proposed: Bool
    var alike: [Alike]
    /// Set once a grid and a category are chosen, so "no alike case" can be said.
    var alikeChecked: Bool
    var outcomes: [Choice]
    var legalRoutes: [Choice]
    var map: IntakeMap?
    var errors = Errors() {
        didSet { hasErrors = errors.any }
    }
    /// Stored, as templates read stored values only.
    var hasErrors = false
}

/// The grids of the clerk's area drawn from their boundaries: with scripts on, a click on a grid
/// chooses it in the list beside (the list alone works without them).
struct IntakeMap {
    struct Shape {
        var id: String
        var name: String
        /// What fits inside a grid on a map of a whole town: its number (the full name is the
        /// shape's title, shown on hover and read by screen readers).
        var label: String
        var points: String
        var labelX: String
        var labelY: String
        var selected: Bool
    }

    /// A village's name beside its grids, so the clerk finds the row of numbers to click.
    struct VillageName {
        var name: String
        var x: String
        var y: String
        /// "end" left of the grids, "start" right of them.
        var anchor: String
    }

    var viewBox: String
    var shapes: [Shape]
    var villages: [VillageName]

    /// Fits every boundary into a 600 × 360 box with the command room's map projection. Nil when
    /// no grid has a boundary.
    init?(grids: [Area], boundaries: [Int64: GridBoundary], selected: Int64?, directory: Directory) {
        let drawn = grids.compactMap { grid in boundaries[grid.id].flatMap { $0.ring.count >= 3 ? (grid, $0) : nil } }
        let box = (width: 600.0, height: 360.0)
        guard let projection = AreaMap.Projection(points: drawn.flatMap(\.1.ring), width: box.width, height: box.height, padding: 8)
        else { return nil }
        viewBox = "0 0 \(Int(box.width)) \(Int(box.height))"
        shapes = drawn.map { grid, boundary in
            let points = boundary.ring.map(projection.xy)
            let centre = projection.extent(of: boundary.ring)
            return Shape(
                id: String(grid.id), name: grid.name, label: Self.label(grid.name),
                points: points.map { String(format: "%.1f,%.1f", $0.x, $0.y) }.joined(separator: " "),
                labelX: String(format: "%.1f", centre.midX), labelY: String(format: "%.1f", centre.midY), selected: grid.id == selected)
        }
        // Each name goes where the box leaves room beside its village's grids (12-pixel type, a
        // character as wide as high); where neither side has room, the grids' titles carry it.
        let byVillage = Dictionary(grouping: drawn) { $0.0.parentID ?? 0 }
        villages = byVillage.compactMap { villageID, members -> VillageName? in
            guard let village = directory.areas[villageID] else { return nil }
            let extent = projection.extent(of: members.flatMap(\.1.ring))
            let needed = Double(village.name.count) * 12 + 6
            let y = String(format: "%.1f", extent.midY)
            let (left, right) = (extent.midX - extent.width / 2, extent.midX + extent.width / 2)
            if left >= needed { return VillageName(name: village.name, x: String(format: "%.1f", left - 6), y: y, anchor: "end") }
            if box.width - right >= needed {
                return VillageName(name: village.name, x: String(format: "%.1f", right + 6), y: y, anchor: "start")
            }
            return nil
        }.sorted { $0.name < $1.name }
    }

    /// 第3网格 → 3; a name without a number stays whole.
    static func label(_ name: String) -> String {
        name.matches(of: /\d+/).last.map { String($0.output) } ?? name
    }
}
