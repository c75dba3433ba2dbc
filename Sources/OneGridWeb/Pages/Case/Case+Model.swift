import Foundation
import OneGridDomain
import OneGridStore

/// A case's page: everything about it, and one form for each step this post may take now.
struct CasePage {
    struct Fact {
        var label: String
        var value: String
    }

    struct Personal {
        var label: String
        var value: String
        var field: String
        /// Whether this post may reveal it (the reveal is recorded).
        var revealable: Bool
    }

    struct Event {
        var at: String
        var actor: String
        var post: String
        var what: String
        var statusChange: String
        var note: String?
        /// Evidence written by hand (the API takes references), shown as it was written.
        var attachments: [String]
        /// Files kept with the step: photos as thumbnails, recordings and documents as links.
        var photos: [File]
        var files: [File]
    }

    struct File {
        var href: String
        var name: String
        var size: String
    }

    struct Assist {
        var department: String
        var state: String
        var reported: Bool
    }

    struct Duplicate {
        var id: Int64
        var href: String
        var number: String
        var title: String
        var status: String
        var received: String
        var similarity: String
        /// Set when this post may merge the case into the candidate.
        var mergeable: Bool
    }

    struct Choice {
        var value: String
        var label: String
    }

    /// One action's form: only the fields the action needs.
    struct ActionForm {
        var action: String
        var label: String
        var id: String
        var primary: Bool
        var noteRequired: Bool
        var departments: [Choice] = []
        var areas: [Choice] = []
        var watchers: [Choice] = []
        var assisting: [Choice] = []
        var legalRoutes: [Choice] = []
        var ratings: [Choice] = []
        var extensions: [Choice] = []
        var evidence: Bool
        /// Whether the step takes photos, recordings and documents (feedback, verification).
        var uploads: Bool
        var primaryCase: Bool
        /// The server's reason this step was refused last time, shown next to the form.
        var refusal: String?
    }

    struct Notice {
        var kind: String
        var text: String
        var reloadURL: String?
    }

    struct Map {
        struct Shape {
            var points: String
            var label: String
            var labelX: String
            var labelY: String
            var own: Bool
        }

        var viewBox: String
        /// The case's grid and its neighbours in the same village, the case's own drawn strongest.
        var shapes: [Shape]
        var pointX: String?
        var pointY: String?
        var caption: String
    }

    var id: Int64
    var number: String
    var title: String
    var status: String
    var clock: ClockBadge
    var version: Int
    var backURL = SiteURL.queue.path
    var actionURL: String
    var revealURL: String
    var facts: [Fact]
    var description: String
    var reporterName: String
    var personal: [Personal]
    /// Whether any personal field may be revealed here, to say that a reveal is recorded.
    var mayReveal: Bool
    var map: Map?
    var events: [Event]
    var assists: [Assist]
    var watcher: String?
    var duplicates: [Duplicate]
    var forms: [ActionForm]
    var notice: Notice?
    /// A dispute case's mediation file, for the posts that may open it.
    var disputeURL: String? = nil
    /// A report made on the citizen's portal: whether the reporter stays anonymous to the public,
    /// whether it was marked as abuse, and the dispatcher's form to do so.
    var portal: Portal? = nil

    struct Portal {
        var source: String
        var abuse: String?
        var abuseURL: String?
        var abuseHint: String
    }
    var mergeAction = CaseAction.merge.rawValue
}

extension CasePage.Map {
    /// The case's grid among the other grids of its village, and the reported point, drawn to fit
    /// a 320 × 220 box; longitude is scaled by the latitude so shapes are not stretched.
    init?(grid gridID: Int64, point: GeoPoint?, directory: Directory, caption: String) {
        guard let own = directory.boundaries[gridID], own.ring.count >= 3 else { return nil }
        let siblings = directory.areas[gridID]?.parentID.map { directory.children(of: $0).map(\.id) } ?? [gridID]
        let grids = siblings.compactMap { id in directory.boundaries[id].map { (id, $0) } }.filter { $0.1.ring.count >= 3 }
        let minLat = grids.map(\.1.minLat).min() ?? own.minLat, maxLat = grids.map(\.1.maxLat).max() ?? own.maxLat
        let minLng = grids.map(\.1.minLng).min() ?? own.minLng, maxLng = grids.map(\.1.maxLng).max() ?? own.maxLng
        let scale = cos(((minLat + maxLat) / 2) * .pi / 180)
        let width = max((maxLng - minLng) * scale, 1e-9)
        let height = max(maxLat - minLat, 1e-9)
        let box = (w: 320.0, h: 220.0, pad: 8.0)
        let unit = min((box.w - 2 * box.pad) / width, (box.h - 2 * box.pad) / height)
        let offset = (x: (box.w - width * unit) / 2, y: (box.h - height * unit) / 2)
        func project(_ p: GeoPoint) -> (String, String) {
            let x = offset.x + (p.lng - minLng) * scale * unit
            let y = offset.y + (maxLat - p.lat) * unit
            return (String(format: "%.1f", x), String(format: "%.1f", y))
        }
        viewBox = "0 0 \(Int(box.w)) \(Int(box.h))"
        let village = directory.areas[gridID]?.parentID.flatMap { directory.areas[$0]?.name } ?? ""
        // The case's grid last, so its outline is drawn over its neighbours'.
        shapes = grids.sorted { ($0.0 == gridID ? 1 : 0) < ($1.0 == gridID ? 1 : 0) }.map { id, boundary in
            // Names sit along the top of each grid, clear of the point, which lies nearer the middle.
            let (x, top) = project(GeoPoint(lat: boundary.maxLat, lng: (boundary.minLng + boundary.maxLng) / 2))
            let y = String(format: "%.1f", (Double(top) ?? 0) + 14)
            let name = directory.areas[id]?.name ?? ""
            return Shape(
                points: boundary.ring.map { let (x, y) = project($0); return "\(x),\(y)" }.joined(separator: " "),
                label: name.hasPrefix(village) ? String(name.dropFirst(village.count)) : name, labelX: x, labelY: y, own: id == gridID)
        }
        if let point { (pointX, pointY) = project(point) }
        self.caption = caption
    }
}
