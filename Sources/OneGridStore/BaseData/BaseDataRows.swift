import Foundation
import OneGridDomain
import SQLKit

/// The area columns every base-data table carries, city to grid.
enum AreaColumns {
    static let names = AdminLevel.allCases.map { "\($0.rawValue)_id" }

    static func values(_ areas: AreaPath) -> [any SQLExpression] {
        AdminLevel.allCases.map { SQLBind(areas[$0]) }
    }

    static func path(_ row: any SQLRow) throws -> AreaPath {
        func id(_ level: AdminLevel) throws -> Int64 { try row.decode(column: "\(level.rawValue)_id", as: Int64.self) }
        return AreaPath(city: try id(.city), county: try id(.county), town: try id(.town), village: try id(.village), grid: try id(.grid))
    }
}

extension Date {
    static func stored(_ millis: Int64?) -> Date? { millis.map(Date.init(millisecondsSince1970:)) }
}

extension SQLRow {
    func date(_ column: String) throws -> Date? { Date.stored(try decodeNil(column: column) ? nil : try decode(column: column, as: Int64.self)) }
    func optional(_ column: String) throws -> String? { try decodeNil(column: column) ? nil : try decode(column: column, as: String.self) }
    func text(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
}

extension Resident {
    static let columns = ["id", "household_id"] + AreaColumns.names + ["name", "id_number", "phone", "relation", "kind", "registration"]

    var values: [any SQLExpression] {
        [SQLBind(id), SQLBind(householdID)] + AreaColumns.values(areas)
            + [SQLBind(name), SQLBind(idNumber), bindOrNull(phone), bindOrNull(relation), SQLBind(kind), SQLBind(registration.rawValue)]
    }

    init(row: any SQLRow) throws {
        self.init(
            id: try row.int64("id"), householdID: try row.int64("household_id"), areas: try AreaColumns.path(row), name: try row.text("name"),
            idNumber: try row.text("id_number"), phone: try row.optional("phone"), relation: try row.optional("relation"),
            kind: try row.text("kind"), registration: try stored(Registration.self, try row.text("registration")))
    }
}

extension Household {
    static let columns =
        ["id"] + AreaColumns.names + ["place_id", "unit", "address", "registration", "phone", "recorded_at", "visit_due_at", "last_visit_at"]

    var values: [any SQLExpression] {
        [SQLBind(id)] + AreaColumns.values(areas)
            + [
                bindOrNull(placeID), bindOrNull(unit), SQLBind(address), SQLBind(registration.rawValue), bindOrNull(phone),
                SQLBind(registeredAt.millisecondsSince1970), bindOrNull(visitDueAt?.millisecondsSince1970),
                bindOrNull(lastVisitAt?.millisecondsSince1970),
            ]
    }

    init(row: any SQLRow) throws {
        self.init(
            id: try row.int64("id"), areas: try AreaColumns.path(row),
            placeID: try row.decodeNil(column: "place_id") ? nil : try row.int64("place_id"), unit: try row.optional("unit"),
            address: try row.text("address"), registration: try stored(Registration.self, try row.text("registration")),
            phone: try row.optional("phone"), registeredAt: try row.date("recorded_at")!, visitDueAt: try row.date("visit_due_at"),
            lastVisitAt: try row.date("last_visit_at"))
    }
}

extension Place {
    static let columns =
        ["id"] + AreaColumns.names + ["kind", "name", "address", "units", "contact_name", "phone", "recorded_at", "visit_due_at", "last_visit_at"]

    func values(recordedAt: Date) -> [any SQLExpression] {
        [SQLBind(id)] + AreaColumns.values(areas)
            + [
                SQLBind(kind), SQLBind(name), SQLBind(address), bindOrNull(units), bindOrNull(contactName), bindOrNull(phone),
                SQLBind(recordedAt.millisecondsSince1970), bindOrNull(visitDueAt?.millisecondsSince1970),
                bindOrNull(lastVisitAt?.millisecondsSince1970),
            ]
    }

    init(row: any SQLRow) throws {
        self.init(
            id: try row.int64("id"), areas: try AreaColumns.path(row), kind: try row.text("kind"), name: try row.text("name"),
            address: try row.text("address"), units: try row.decodeNil(column: "units") ? nil : try row.decode(column: "units", as: Int.self),
            contactName: try row.optional("contact_name"), phone: try row.optional("phone"), visitDueAt: try row.date("visit_due_at"),
            lastVisitAt: try row.date("last_visit_at"))
    }
}

extension Organisation {
    static let columns =
        ["id"] + AreaColumns.names
        + ["kind", "name", "credit_code", "place_id", "contact_name", "phone", "recorded_at", "visit_due_at", "last_visit_at"]

    func values(recordedAt: Date) -> [any SQLExpression] {
        [SQLBind(id)] + AreaColumns.values(areas)
            + [
                SQLBind(kind), SQLBind(name), bindOrNull(creditCode), bindOrNull(placeID), bindOrNull(contactName), bindOrNull(phone),
                SQLBind(recordedAt.millisecondsSince1970), bindOrNull(visitDueAt?.millisecondsSince1970),
                bindOrNull(lastVisitAt?.millisecondsSince1970),
            ]
    }

    init(row: any SQLRow) throws {
        self.init(
            id: try row.int64("id"), areas: try AreaColumns.path(row), kind: try row.text("kind"), name: try row.text("name"),
            creditCode: try row.optional("credit_code"), placeID: try row.decodeNil(column: "place_id") ? nil : try row.int64("place_id"),
            contactName: try row.optional("contact_name"), phone: try row.optional("phone"), visitDueAt: try row.date("visit_due_at"),
            lastVisitAt: try row.date("last_visit_at"))
    }
}

extension Visit {
    static let columns =
        ["id", "subject", "subject_id"] + AreaColumns.names
        + ["user_id", "post_id", "visited_at", "lat", "lng", "position", "whom", "findings", "evidence", "case_id"]

    var values: [any SQLExpression] {
        [SQLBind(id), SQLBind(subject.subject.rawValue), SQLBind(subject.id)] + AreaColumns.values(areas)
            + [
                SQLBind(userID), SQLBind(postID), SQLBind(visitedAt.millisecondsSince1970), bindOrNull(location?.lat),
                bindOrNull(location?.lng), SQLBind(position.rawValue), SQLBind(whom), SQLBind(findings),
                SQLBind(evidence.joined(separator: "\n")), bindOrNull(caseID),
            ]
    }

    init(row: any SQLRow) throws {
        let lat = try row.decodeNil(column: "lat") ? nil : try row.decode(column: "lat", as: Double.self)
        let lng = try row.decodeNil(column: "lng") ? nil : try row.decode(column: "lng", as: Double.self)
        let evidence = try row.text("evidence")
        self.init(
            id: try row.int64("id"),
            subject: SubjectRef(try stored(BaseSubject.self, try row.text("subject")), try row.int64("subject_id")),
            areas: try AreaColumns.path(row), userID: try row.int64("user_id"), postID: try row.int64("post_id"),
            visitedAt: try row.date("visited_at")!, location: lat.flatMap { lat in lng.map { GeoPoint(lat: lat, lng: $0) } },
            position: try stored(Visit.Position.self, try row.text("position")), whom: try row.text("whom"),
            findings: try row.text("findings"), evidence: evidence.isEmpty ? [] : evidence.split(separator: "\n").map(String.init),
            caseID: try row.decodeNil(column: "case_id") ? nil : try row.int64("case_id"))
    }
}

extension BaseSubject {
    /// The table a subject's records are kept in.
    var table: String {
        switch self {
        case .household: "households"
        case .resident: "residents"
        case .place: "places"
        case .organisation: "organisations"
        }
    }
}
