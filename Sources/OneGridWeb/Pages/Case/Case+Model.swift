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
        var viewBox: String
        var polygon: String
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
    var mergeAction = CaseAction.merge.rawValue
}

extension CasePage.Map {
    /// The grid's boundary and the reported point, drawn to fit a 320 × 220 box; longitude is
    /// scaled by the latitude so the shape is not stretched.
    init?(boundary: GridBoundary?, point: GeoPoint?, caption: String) {
        guard let boundary, boundary.ring.count >= 3 else { return nil }
        let scale = cos(((boundary.minLat + boundary.maxLat) / 2) * .pi / 180)
        let width = max((boundary.maxLng - boundary.minLng) * scale, 1e-9)
        let height = max(boundary.maxLat - boundary.minLat, 1e-9)
        let box = (w: 320.0, h: 220.0, pad: 16.0)
        let unit = min((box.w - 2 * box.pad) / width, (box.h - 2 * box.pad) / height)
        let offset = (x: (box.w - width * unit) / 2, y: (box.h - height * unit) / 2)
        func project(_ p: GeoPoint) -> (String, String) {
            let x = offset.x + (p.lng - boundary.minLng) * scale * unit
            let y = offset.y + (boundary.maxLat - p.lat) * unit
            return (String(format: "%.1f", x), String(format: "%.1f", y))
        }
        viewBox = "0 0 \(Int(box.w)) \(Int(box.h))"
        polygon = boundary.ring.map { let (x, y) = project($0); return "\(x),\(y)" }.joined(separator: " ")
        if let point { (pointX, pointY) = project(point) }
        self.caption = caption
    }
}
