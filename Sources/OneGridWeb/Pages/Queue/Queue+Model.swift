import Foundation
import OneGridDomain
import OneGridStore

/// The queue: what this post must act on now, the most urgent first, with the filters that
/// narrow it and, for a dispatcher, the actions taken on many cases at once.
struct QueuePage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row {
        var id: Int64
        var href: String
        var number: String
        var title: String
        var category: String
        var place: String
        var status: String
        var clock: ClockBadge
        var received: String
        var department: String
        /// "id:version": a bulk action is taken on the case as the dispatcher saw it.
        var selectValue: String
        /// For the row's checkbox label, read by screen readers.
        var selectLabel: String
    }

    struct BulkAction {
        var value: String
        var label: String
        var needsDepartment: Bool
    }

    struct Bulk {
        var action = SiteURL.queueActions.path
        var actions: [BulkAction]
        var departments: [Option]
        /// The queue to come back to, filters kept.
        var back: String
    }

    struct Outcome {
        var action: String
        var rows: [Notices.Row]
        var doneCount: Int
        var failedCount: Int
        var allDone: Bool
    }

    var heading: String
    var filtersAction = SiteURL.queue.path
    /// The event stream that tells an open queue its cases changed.
    var liveURL = SiteURL.queueLive.path
    var resetURL = SiteURL.queue.path
    var statuses: [Option]
    var categories: [Option]
    var platforms: [Option]
    var channels: [Option]
    var areas: [Option]
    var colours: [Option]
    var orders: [Option]
    var text: String
    var overdue: Bool
    var filterError: String?
    var rows: [Row]
    var shown: String
    var nextURL: String?
    var firstURL: String?
    /// Every case the filters match, not only this page, as a CSV download.
    var exportURL: String
    var bulk: Bulk?
    var outcome: Outcome?

    /// The steps that move a case along — the work a queue holds. Watching a case (urging,
    /// supervising, suspending), reopening it or archiving the closed are done from its page.
    static let flowActions: Set<CaseAction> = Set(CaseAction.allCases).subtracting([
        .report, .urge, .supervise, .suspend, .resume, .extend, .reopen, .requestReview, .escalate, .rate, .archive, .petitionStep,
    ])

    /// The statuses in which a role has work to do; every open status for a role that only watches.
    static func statuses(for role: Role) -> [CaseStatus] {
        let working = CaseStatus.allCases.filter { status in
            CaseAction.allowed(in: status).contains { flowActions.contains($0) && CasePolicy.roles(for: $0).contains(role) }
        }
        return working.isEmpty ? CaseStatus.allCases.filter(\.isOpen) : working
    }

    /// The actions a dispatcher takes on many cases at once.
    static let bulkActions: [CaseAction] = [.accept, .dispatch, .urge]
}

extension QueuePage.Row: RenderFields {
    var renderFields: [String: Any] {
        [
            "id": id, "href": href, "number": number, "title": title, "category": category, "place": place, "status": status,
            "clock": clock, "received": received, "department": department, "selectValue": selectValue, "selectLabel": selectLabel,
        ]
    }
}

extension QueuePage.Option: RenderFields {
    var renderFields: [String: Any] { ["value": value, "label": label, "selected": selected] }
}
