public import Foundation
public import OneGridDomain
import SQLKit

/// Mediation's figures over a period (DOMAIN.md §6, seeds 001–002): disputes accepted, concluded
/// and agreed per body, type and the body's level; follow-ups that found the agreement carried
/// out; applications for judicial confirmation and confirmations.
public struct MediationFigures: Sendable, Hashable {
    /// One group of disputes: a body (nil before one took it), a type and the body's level.
    public struct Group: Sendable, Hashable {
        public var bodyID: Int64?
        public var type: DisputeType
        public var level: AdminLevel?
        /// Registered in the period.
        public var accepted: Int
        /// Ended in the period, with or without an agreement.
        public var concluded: Int
        /// Ended in the period with an agreement in effect.
        public var agreed: Int
    }

    public var groups: [Group] = []
    public var followUps = 0
    public var carriedOut = 0
    public var confirmationsApplied = 0
    public var confirmed = 0

    public init() {}
}

/// The petitions' figures over a period: received per form and class with how many of them were
/// collective, repeats and cross-level; replies given and those in time; misses per unit and limit.
public struct PetitionFigures: Sendable, Hashable {
    public struct Group: Sendable, Hashable {
        public var form: PetitionForm
        public var petitionClass: PetitionClass
        public var received: Int
        public var collective: Int
        public var repeats: Int
        public var crossLevel: Int
    }

    public struct Misses: Sendable, Hashable {
        public var unit: PetitionUnit
        public var limit: PetitionLimit
        public var count: Int
    }

    public var groups: [Group] = []
    public var replies = 0
    public var repliesInTime = 0
    public var misses: [Misses] = []

    public init() {}
}

/// Reads the mediation and petition figures of an area as set-based aggregates over the
/// procedures' own rows, the area taken from each case's place.
public struct SQLProcedureFigureStore: Sendable {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    /// The case column holding the id of an area at `level`.
    private static func areaColumn(_ level: AdminLevel) -> SQLQueryString {
        "c.\(unsafeRaw: level.rawValue)_id"
    }

    public func mediation(in area: Area, from start: Date, until end: Date) async throws -> MediationFigures {
        struct GroupRow: Decodable {
            var bodyId: Int64?
            var type: String
            var level: String?
            var accepted: Int
            var concluded: Int
            var agreed: Int
        }
        let (s, e) = (start.millisecondsSince1970, end.millisecondsSince1970)
        let area = (Self.areaColumn(area.level), area.id)
        var figures = MediationFigures()
        let rows = try await database.reportReader.raw(
            """
            SELECT d.body_id, d.type, b.level,
              CAST(SUM(CASE WHEN d.registered_at >= \(bind: s) AND d.registered_at < \(bind: e) THEN 1 ELSE 0 END) AS BIGINT) AS accepted,
              CAST(SUM(CASE WHEN d.ended_at >= \(bind: s) AND d.ended_at < \(bind: e) THEN 1 ELSE 0 END) AS BIGINT) AS concluded,
              CAST(SUM(CASE WHEN d.status = 'agreed' AND d.ended_at >= \(bind: s) AND d.ended_at < \(bind: e) THEN 1 ELSE 0 END) AS BIGINT) AS agreed
            FROM disputes d JOIN cases c ON c.id = d.case_id LEFT JOIN mediation_bodies b ON b.id = d.body_id
            WHERE \(area.0) = \(bind: area.1)
              AND ((d.registered_at >= \(bind: s) AND d.registered_at < \(bind: e)) OR (d.ended_at >= \(bind: s) AND d.ended_at < \(bind: e)))
            GROUP BY d.body_id, d.type, b.level
            """
        ).all(decoding: GroupRow.self, with: .snake)
        figures.groups = try rows.map { row in
            guard let type = DisputeType(rawValue: row.type) else { throw StoreError.corrupt("a dispute has type '\(row.type)'") }
            return MediationFigures.Group(
                bodyID: row.bodyId, type: type, level: row.level.flatMap(AdminLevel.init(rawValue:)), accepted: row.accepted,
                concluded: row.concluded, agreed: row.agreed)
        }
        struct Totals: Decodable {
            var n: Int?
            var yes: Int?
        }
        let followUps = try await database.reportReader.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(f.carried_out) AS BIGINT) AS yes
            FROM mediation_follow_ups f JOIN cases c ON c.id = f.case_id
            WHERE \(area.0) = \(bind: area.1) AND f.at >= \(bind: s) AND f.at < \(bind: e)
            """
        ).first(decoding: Totals.self, with: .snake)
        figures.followUps = followUps?.n ?? 0
        figures.carriedOut = followUps?.yes ?? 0
        let confirmations = try await database.reportReader.raw(
            """
            SELECT
              CAST(SUM(CASE WHEN a.confirmation_applied_at >= \(bind: s) AND a.confirmation_applied_at < \(bind: e) THEN 1 ELSE 0 END) AS BIGINT) AS n,
              CAST(SUM(CASE WHEN a.court_decision = 'confirmed' AND a.court_decided_at >= \(bind: s) AND a.court_decided_at < \(bind: e)
                THEN 1 ELSE 0 END) AS BIGINT) AS yes
            FROM mediation_agreements a JOIN cases c ON c.id = a.case_id
            WHERE \(area.0) = \(bind: area.1) AND a.confirmation_applied_at IS NOT NULL
            """
        ).first(decoding: Totals.self, with: .snake)
        figures.confirmationsApplied = confirmations?.n ?? 0
        figures.confirmed = confirmations?.yes ?? 0
        return figures
    }

    public func petitions(in area: Area, from start: Date, until end: Date) async throws -> PetitionFigures {
        struct GroupRow: Decodable {
            var form: String
            var petitionClass: String
            var received: Int
            var collective: Int
            var repeats: Int
            var crossLevel: Int
        }
        let (s, e) = (start.millisecondsSince1970, end.millisecondsSince1970)
        let area = (Self.areaColumn(area.level), area.id)
        // The record is JSON: each database reads a field of it in its own words.
        let postgres = database.kind == .postgres
        func text(_ key: String) -> SQLQueryString {
            postgres ? "(CAST(p.record AS jsonb) ->> \(literal: key))" : "json_extract(p.record, \(literal: "$." + key))"
        }
        let headcount: SQLQueryString = postgres ? "CAST(\(text("headcount")) AS INTEGER)" : text("headcount")
        let crossLevel: SQLQueryString = postgres ? "\(text("crossLevel")) = 'true'" : "\(text("crossLevel")) = 1"
        var figures = PetitionFigures()
        let rows = try await database.reportReader.raw(
            """
            SELECT \(text("form")) AS form, \(text("petitionClass")) AS petition_class, CAST(COUNT(*) AS BIGINT) AS received,
              CAST(SUM(CASE WHEN \(headcount) >= \(literal: Petition.collectiveHeadcount) THEN 1 ELSE 0 END) AS BIGINT) AS collective,
              CAST(SUM(CASE WHEN \(text("repeatOf")) IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS repeats,
              CAST(SUM(CASE WHEN \(crossLevel) THEN 1 ELSE 0 END) AS BIGINT) AS cross_level
            FROM petitions p JOIN cases c ON c.id = p.case_id
            WHERE \(area.0) = \(bind: area.1) AND p.received_at >= \(bind: s) AND p.received_at < \(bind: e)
            GROUP BY \(text("form")), \(text("petitionClass"))
            """
        ).all(decoding: GroupRow.self, with: .snake)
        figures.groups = try rows.map { row in
            guard let form = PetitionForm(rawValue: row.form), let petitionClass = PetitionClass(rawValue: row.petitionClass) else {
                throw StoreError.corrupt("a petition has form '\(row.form)' and class '\(row.petitionClass)'")
            }
            return PetitionFigures.Group(
                form: form, petitionClass: petitionClass, received: row.received, collective: row.collective, repeats: row.repeats,
                crossLevel: row.crossLevel)
        }
        struct Replies: Decodable {
            var n: Int?
            var late: Int?
        }
        // A reply is late when a reply limit of its petition fell due before it and no earlier
        // reply answered that limit.
        let replies = try await database.reportReader.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n,
              CAST(SUM(CASE WHEN EXISTS (
                SELECT 1 FROM petition_misses m WHERE m.case_id = s.case_id AND m.limit_kind IN ('reply', 'reviewReply')
                  AND m.due_at <= s.at AND NOT EXISTS (
                    SELECT 1 FROM petition_steps r WHERE r.case_id = s.case_id AND r.step = 'reply' AND r.sequence < s.sequence
                      AND r.at >= m.due_at)
              ) THEN 1 ELSE 0 END) AS BIGINT) AS late
            FROM petition_steps s JOIN cases c ON c.id = s.case_id
            WHERE \(area.0) = \(bind: area.1) AND s.step = 'reply' AND s.at >= \(bind: s) AND s.at < \(bind: e)
            """
        ).first(decoding: Replies.self, with: .snake)
        figures.replies = replies?.n ?? 0
        figures.repliesInTime = figures.replies - (replies?.late ?? 0)
        struct MissRow: Decodable {
            var unit: String
            var limitKind: String
            var n: Int
        }
        figures.misses = try await database.reportReader.raw(
            """
            SELECT m.unit, m.limit_kind, CAST(COUNT(*) AS BIGINT) AS n
            FROM petition_misses m JOIN cases c ON c.id = m.case_id
            WHERE \(area.0) = \(bind: area.1) AND m.due_at >= \(bind: s) AND m.due_at < \(bind: e)
            GROUP BY m.unit, m.limit_kind ORDER BY n DESC, m.unit, m.limit_kind
            """
        ).all(decoding: MissRow.self, with: .snake).map { row in
            guard let limit = PetitionLimit(rawValue: row.limitKind) else {
                throw StoreError.corrupt("a petition miss has limit '\(row.limitKind)'")
            }
            return PetitionFigures.Misses(unit: try PetitionUnit(parsing: row.unit), limit: limit, count: row.n)
        }
        return figures
    }
}
