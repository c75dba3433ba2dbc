import Foundation
import OneGridDomain
import SQLKit

/// The SQL of the indicators in `AssessmentIndicator`'s doc comments: each case's facts as one
/// row `f` (read from the cases and their timelines, or from a closed period's snapshot), each
/// indicator a numerator and a denominator condition over `f`, each unit kind a grouping column.
/// Conditions are written once and serve both the counts and the score sheets' case lists, so
/// a sheet lists exactly the cases its counts counted.
struct AssessmentSQL {
    let source: AssessmentSource

    /// A case's facts from the case row `c` and its timeline, each named: who reported it (a
    /// grid worker's own report), when its last assignment was signed for, whether and by whom
    /// it was verified, who dispatched it first and when, whether it was a joint case.
    static let facts: [(name: String, sql: SQLQueryString)] = [
        ("case_id", "c.id"), ("title", "c.title"), ("status", "c.status"), ("channel", "c.channel"), ("department_id", "c.department_id"),
        ("town_id", "c.town_id"), ("village_id", "c.village_id"), ("grid_id", "c.grid_id"),
        ("reporter_user_id", "CASE WHEN c.channel = 'gridWorker' THEN c.created_by_user_id END"), ("created_at", "c.created_at"),
        ("accepted_at", "c.accepted_at"), ("assigned_at", "c.assigned_at"),
        ("signed_at", "(SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.action = 'start' AND e.at >= c.assigned_at)"),
        ("handled_at", "c.handled_at"), ("due_at", "c.due_at"), ("rating", "c.rating"), ("return_count", "c.return_count"),
        ("rework_count", "c.rework_count"),
        ("verified", "CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action IN ('verifyPass', 'verifyFail')) THEN 1 ELSE 0 END"),
        ("verifier_user_id", "(SELECT e.actor_user_id FROM case_events e WHERE e.case_id = c.id AND e.action = 'verifyPass' ORDER BY e.sequence DESC LIMIT 1)"),
        ("verified_at", "(SELECT e.at FROM case_events e WHERE e.case_id = c.id AND e.action = 'verifyPass' ORDER BY e.sequence DESC LIMIT 1)"),
        ("dispatcher_user_id", "(SELECT e.actor_user_id FROM case_events e WHERE e.case_id = c.id AND e.action IN \(dispatchActions) ORDER BY e.sequence LIMIT 1)"),
        ("dispatched_at", "(SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.action IN \(dispatchActions))"),
        ("joint", "CASE WHEN EXISTS (SELECT 1 FROM case_assists a WHERE a.case_id = c.id) THEN 1 ELSE 0 END"),
    ]
    private static let dispatchActions: SQLQueryString = "('dispatch', 'dualDispatch', 'jointDispatch')"

    /// The facts' names, as `assessment_facts` has them.
    static var factNames: [String] { facts.map(\.name) }

    /// The facts selected from `c`, each under its name.
    static var factColumns: SQLQueryString { facts.map { "\($0.sql) AS \(ident: $0.name)" as SQLQueryString }.joined(separator: ", ") }

    /// The period's cases: those reported in it.
    var reported: SQLQueryString {
        let (start, end) = source.period.interval
        return "c.created_at >= \(bind: start.millisecondsSince1970) AND c.created_at < \(bind: end.millisecondsSince1970)"
    }

    /// The facts as a table `f`.
    var facts: SQLQueryString {
        source.closed
            ? "(SELECT * FROM assessment_facts WHERE period = \(bind: source.period.key)) f"
            : "(SELECT \(Self.factColumns) FROM cases c WHERE \(reported)) f"
    }

    /// The period's joint-case assists as `f`, with the case's title, status and report time.
    var assists: SQLQueryString {
        if source.closed {
            return """
                (SELECT s.case_id, s.department_id, s.reported_at, x.title, x.status, x.created_at FROM assessment_assists s \
                JOIN assessment_facts x ON x.period = s.period AND x.case_id = s.case_id WHERE s.period = \(bind: source.period.key)) f
                """
        }
        return """
            (SELECT a.case_id, a.department_id, a.reported_at, c.title, c.status, c.created_at FROM case_assists a \
            JOIN cases c ON c.id = a.case_id WHERE \(reported)) f
            """
    }

    private func hours(_ value: Double) -> Int64 { Int64((value * 3_600_000).rounded()) }

    // The conditions the indicators are made of.
    var accepted: SQLQueryString { "(f.accepted_at IS NOT NULL AND f.status NOT IN ('rejected', 'guided', 'merged'))" }
    /// Sent to a department at least once: its assignment stands, or it was returned.
    var assigned: SQLQueryString { "(f.assigned_at IS NOT NULL OR f.return_count > 0)" }
    var closed: SQLQueryString { "(\(accepted) AND f.status IN ('closed', 'archived'))" }
    var onTime: SQLQueryString { "(f.handled_at IS NOT NULL AND f.handled_at <= f.due_at)" }
    var verified: SQLQueryString { "(f.verified = 1)" }
    var rated: SQLQueryString { "(f.rating IS NOT NULL)" }
    var dispatched: SQLQueryString { "(f.dispatcher_user_id IS NOT NULL)" }
    var overdue: SQLQueryString {
        """
        (\(accepted) AND ((f.handled_at IS NOT NULL AND f.handled_at > f.due_at) \
        OR (f.handled_at IS NULL AND f.status IN ('accepted', 'assigned', 'inProgress') AND f.due_at < \(bind: source.now.millisecondsSince1970))))
        """
    }
    static let always: SQLQueryString = "(1 = 1)"

    struct Rule {
        var numerator: SQLQueryString
        var denominator: SQLQueryString
    }

    /// Each indicator as its doc comment defines it; the numerator is always inside the denominator.
    func rule(_ indicator: AssessmentIndicator) -> Rule {
        let settings = source.settings
        switch indicator {
        case .response:
            return Rule(
                numerator: "(\(assigned) AND f.signed_at IS NOT NULL AND f.signed_at <= f.assigned_at + \(bind: hours(settings.signingHours)))",
                denominator: assigned)
        case .resolution: return Rule(numerator: "(f.rating IN ('satisfied', 'basicallySatisfied'))", denominator: rated)
        case .satisfaction: return Rule(numerator: "(f.rating = 'satisfied')", denominator: rated)
        case .handling: return Rule(numerator: "(\(accepted) AND f.handled_at IS NOT NULL)", denominator: accepted)
        case .onTimeHandling: return Rule(numerator: "(\(accepted) AND \(onTime))", denominator: accepted)
        case .closure: return Rule(numerator: closed, denominator: accepted)
        case .onTimeClosure: return Rule(numerator: "(\(closed) AND \(onTime))", denominator: accepted)
        case .rework: return Rule(numerator: "(\(verified) AND f.rework_count > 0)", denominator: verified)
        case .returns: return Rule(numerator: "(f.return_count > 0)", denominator: assigned)
        case .verifyPass: return Rule(numerator: "(\(verified) AND f.rework_count = 0 AND f.verifier_user_id IS NOT NULL)", denominator: verified)
        case .overdue: return Rule(numerator: overdue, denominator: accepted)
        case .assistReport: return Rule(numerator: "(f.reported_at IS NOT NULL)", denominator: Self.always)
        case .jointClosure: return Rule(numerator: "(f.joint = 1 AND \(closed))", denominator: "(f.joint = 1)")
        case .validReport: return Rule(numerator: "(f.status <> 'rejected')", denominator: Self.always)
        case .missedReport:
            return Rule(numerator: "(f.channel IN ('citizen', 'hotline', 'window', 'onlinePetition', 'publicOpinion'))", denominator: Self.always)
        case .onTimeVerification:
            return Rule(
                numerator: "(f.handled_at IS NOT NULL AND f.verified_at <= f.handled_at + \(bind: hours(settings.verificationHours)))",
                denominator: Self.always)
        case .onTimeDispatch:
            return Rule(
                numerator: "(f.accepted_at IS NOT NULL AND f.dispatched_at <= f.accepted_at + \(bind: hours(settings.dispatchHours)))",
                denominator: dispatched)
        case .accurateDispatch: return Rule(numerator: "(\(dispatched) AND f.return_count = 0)", denominator: dispatched)
        }
    }

    /// Which rows an indicator of a kind counts and whom each counts for.
    enum Grouping: Hashable {
        /// The facts grouped by one of their columns, optionally only a channel's.
        case column(String, channel: String?)
        /// The assists grouped by department.
        case assists
        /// The facts of each grid worker's grid, by worker.
        case gridWorkers

        /// The unit's id in a row.
        var unit: SQLQueryString {
            switch self {
            case .column(let name, _): "f.\(ident: name)"
            case .assists: "f.department_id"
            case .gridWorkers: "p.user_id"
            }
        }

        var filter: SQLQueryString? {
            switch self {
            case .column(_, let channel?): "f.channel = \(bind: channel)"
            default: nil
            }
        }

        func from(_ sql: AssessmentSQL) -> SQLQueryString {
            switch self {
            case .column: sql.facts
            case .assists: sql.assists
            // Every worker of the grid answers for what the public reported there first.
            case .gridWorkers: "\(sql.facts) JOIN posts p ON p.area_id = f.grid_id AND p.role = 'gridWorker'"
            }
        }
    }

    func grouping(_ kind: AssessmentUnitKind, _ indicator: AssessmentIndicator) -> Grouping {
        switch (kind, indicator) {
        case (.department, .assistReport): .assists
        case (.department, _): .column("department_id", channel: nil)
        case (.town, _): .column("town_id", channel: nil)
        case (.village, _): .column("village_id", channel: nil)
        case (.grid, _): .column("grid_id", channel: nil)
        case (.hotline, _): .column("town_id", channel: Channel.hotline.rawValue)
        case (.gridWorker, .missedReport): .gridWorkers
        case (.gridWorker, .onTimeVerification): .column("verifier_user_id", channel: nil)
        case (.gridWorker, _): .column("reporter_user_id", channel: nil)
        case (.dispatcher, _): .column("dispatcher_user_id", channel: nil)
        }
    }
}
