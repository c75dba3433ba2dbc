import OneGridDomain
import SQLKit

/// The grid's base data (人、地、物、组织) and its visits (走访):
/// - `base_kinds`: the kinds of residents, places and organisations, as rows the city edits, each
///   with its visit cadence and whether it is sensitive; `base_kind_grants`: the posts that may
///   see a sensitive kind;
/// - `households`, `residents`, `places`, `organisations`: each placed on its grid's whole path
///   (the columns the cases' scope filters on) and, visited, carrying when its next visit falls
///   due, so a grid's due list is one index range;
/// - `base_changes`: every record's history, appended in the change's own transaction;
/// - `case_subjects`: the records a case concerns, both ways;
/// - `visits`: the visits logged, with the case one became.
struct Migration021BaseData: Migration {
    let name = "021_base_data"

    /// The kinds of cn-governance-rules §4 and §5 with the cadences local practice gives them
    /// (ordinary households twice a year; hardship, floating, elderly alone and community
    /// correction monthly; key persons weekly). Rows, so a city changes them without a release.
    static let defaultKinds: [BaseKind] = {
        let people: [(String, String, String, VisitCadence?, Bool)] = [
            ("ordinary", "普通人员", "Ordinary", .months(6), false),
            ("hardship", "困难群众", "Hardship", .months(1), false),
            ("elderlyAlone", "独居老人", "Elderly living alone", .months(1), false),
            ("floating", "流动人员", "Floating", .months(1), false),
            ("communityCorrection", "社区矫正人员", "Community correction", .months(1), true),
            ("releasedPrisoner", "刑释人员", "Released prisoner", .months(1), false),
            ("severeMentalIllness", "严重精神障碍患者", "Severe mental illness", .weeks(2), true),
            ("keyPetitioner", "重点上访人员", "Key petitioner", .weeks(1), true),
            ("drugUser", "吸毒人员", "Drug user", .months(1), true),
            ("keyYouth", "重点青少年", "Youth at risk", .months(1), false),
            ("hivPatient", "艾滋病人员", "Person with HIV", .months(3), true),
            ("hazardousWorker", "危险品从业人员", "Hazardous-goods worker", .months(3), false),
            ("needsAid", "需救助人员", "Person needing aid", .months(1), false),
            ("foreigner", "境外人员", "Foreign national", .months(3), false),
            ("other", "其他人员", "Other", nil, false),
        ]
        let places: [(String, String, String, VisitCadence?)] = [
            ("building", "楼栋", "Building", nil),
            ("rental", "出租房", "Rental housing", .months(1)),
            ("school", "学校", "School", .months(1)),
            ("hospital", "医院", "Hospital", .months(1)),
            ("market", "市场", "Market", .months(1)),
            ("hazardousSite", "危险化学品单位", "Hazardous-goods site", .weeks(2)),
            ("constructionSite", "建筑施工工地", "Construction site", .weeks(2)),
            ("publicVenue", "公共复杂场所", "Crowded public venue", .months(1)),
        ]
        let organisations: [(String, String, String, VisitCadence?)] = [
            ("enterprise", "企业", "Enterprise", .months(3)),
            ("socialOrganisation", "社会组织", "Social organisation", .months(6)),
            ("partyOrganisation", "党组织", "Party organisation", .months(6)),
        ]
        var position = 0
        func next() -> Int {
            position += 1
            return position
        }
        return people.map { BaseKind(code: $0.0, subject: .resident, name: $0.1, englishName: $0.2, cadence: $0.3, sensitive: $0.4, position: next()) }
            + places.map { BaseKind(code: $0.0, subject: .place, name: $0.1, englishName: $0.2, cadence: $0.3, position: next()) }
            + organisations.map { BaseKind(code: $0.0, subject: .organisation, name: $0.1, englishName: $0.2, cadence: $0.3, position: next()) }
    }()

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(table: "base_kinds")
            .column("code", type: .text, .primaryKey(autoIncrement: false))
            .column("subject", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("english_name", type: .text, .notNull)
            .column("cadence", type: .text)
            .column("sensitive", type: .int, .notNull)
            .column("position", type: .int, .notNull)
            .run()
        for kind in Self.defaultKinds {
            try await db.insert(into: "base_kinds")
                .columns("code", "subject", "name", "english_name", "cadence", "sensitive", "position")
                .values(
                    SQLBind(kind.code), SQLBind(kind.subject.rawValue), SQLBind(kind.name), SQLBind(kind.englishName),
                    SQLBind(kind.cadence?.parsed), SQLBind(kind.sensitive ? 1 : 0), SQLBind(kind.position))
                .run()
        }
        try await db.create(table: "base_kind_grants")
            .column("kind_code", type: .text, .notNull, .references("base_kinds", "code"))
            .column("post_id", type: .bigint, .notNull, .references("posts", "id"))
            .primaryKey(["post_id", "kind_code"])
            .run()

        func placed(_ table: SQLCreateTableBuilder) -> SQLCreateTableBuilder {
            for level in AdminLevel.allCases { table.column("\(level.rawValue)_id", type: .bigint, .notNull) }
            return table
        }
        func visited(_ table: SQLCreateTableBuilder) -> SQLCreateTableBuilder {
            table.column("recorded_at", type: .bigint, .notNull)
                .column("visit_due_at", type: .bigint)
                .column("last_visit_at", type: .bigint)
        }

        try await visited(
            placed(db.create(table: "places").column("id", type: .bigint, .primaryKey))
                .column("kind", type: .text, .notNull, .references("base_kinds", "code"))
                .column("name", type: .text, .notNull)
                .column("address", type: .text, .notNull)
                .column("units", type: .int)
                .column("contact_name", type: .text)
                .column("phone", type: .text)
        ).run()

        try await visited(
            placed(db.create(table: "households").column("id", type: .bigint, .primaryKey))
                .column("place_id", type: .bigint, .references("places", "id"))
                .column("unit", type: .text)
                .column("address", type: .text, .notNull)
                .column("registration", type: .text, .notNull)
                .column("phone", type: .text)
        ).run()

        try await placed(db.create(table: "residents").column("id", type: .bigint, .primaryKey))
            .column("household_id", type: .bigint, .notNull, .references("households", "id"))
            .column("name", type: .text, .notNull)
            .column("id_number", type: .text, .notNull)
            .column("phone", type: .text)
            .column("relation", type: .text)
            .column("kind", type: .text, .notNull, .references("base_kinds", "code"))
            .column("registration", type: .text, .notNull)
            .run()

        try await visited(
            placed(db.create(table: "organisations").column("id", type: .bigint, .primaryKey))
                .column("kind", type: .text, .notNull, .references("base_kinds", "code"))
                .column("name", type: .text, .notNull)
                .column("credit_code", type: .text)
                .column("place_id", type: .bigint, .references("places", "id"))
                .column("contact_name", type: .text)
                .column("phone", type: .text)
        ).run()

        try await db.create(table: "base_changes")
            .column("id", type: .bigint, .primaryKey)
            .column("subject", type: .text, .notNull)
            .column("subject_id", type: .bigint, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("action", type: .text, .notNull)
            .column("fields", type: .text, .notNull)
            .run()

        try await db.create(table: "case_subjects")
            .column("case_id", type: .bigint, .notNull, .references("cases", "id"))
            .column("subject", type: .text, .notNull)
            .column("subject_id", type: .bigint, .notNull)
            .column("linked_at", type: .bigint, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .primaryKey(["case_id", "subject", "subject_id"])
            .run()

        try await placed(db.create(table: "visits").column("id", type: .bigint, .primaryKey))
            .column("subject", type: .text, .notNull)
            .column("subject_id", type: .bigint, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .column("post_id", type: .bigint, .notNull)
            .column("visited_at", type: .bigint, .notNull)
            .column("lat", type: .double)
            .column("lng", type: .double)
            .column("position", type: .text, .notNull)
            .column("whom", type: .text, .notNull)
            .column("findings", type: .text, .notNull)
            .column("evidence", type: .text, .notNull)
            .column("case_id", type: .bigint, .references("cases", "id"))
            .run()
    }
}
