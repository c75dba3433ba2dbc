public import Foundation
public import OneGridDomain
public import OneGridStore

/// The grid's base data for a post (人、地、物、组织, 一口采集、多口使用): read within the area the
/// post covers, by the cases' own scope; sensitive kinds only by the posts granted them; phones
/// and ID numbers masked, each reveal recorded with its purpose; every change with its history.
public struct GridBaseData: Sendable {
    let services: OneGridServices

    /// The kinds, and those this post may not see.
    public struct Access: Sendable {
        public var kinds: [BaseKind]
        public var hidden: Set<String>

        public func kind(_ code: String) -> BaseKind? { kinds.first { $0.code == code } }
        /// The cadence of every kind that has one.
        public var cadences: [String: VisitCadence] {
            Dictionary(uniqueKeysWithValues: kinds.compactMap { kind in kind.cadence.map { (kind.code, $0) } })
        }
    }

    public func access(for post: Post) async throws -> Access {
        let kinds = try await services.baseData.kinds()
        return Access(kinds: kinds, hidden: BaseDataPolicy.hiddenKinds(kinds, granted: try await services.baseData.grantedKinds(postID: post.id)))
    }

    /// A resident as every list shows them: phone and ID number masked.
    public static func masked(_ resident: Resident) -> Resident {
        var shown = resident
        shown.idNumber = PersonalData.maskIDNumber(resident.idNumber)
        shown.phone = resident.phone.map(PersonalData.maskPhone)
        return shown
    }

    // MARK: Reading

    /// Residents the post may see, masked, in id order: a grid's list, a household's people, or
    /// a search by name or ID number.
    public func residents(
        gridID: Int64? = nil, householdID: Int64? = nil, householdIDs: [Int64]? = nil, text: String? = nil, after: Int64? = nil, limit: Int = 50,
        for post: Post
    ) async throws -> [Resident] {
        let access = try await access(for: post)
        let query = ResidentQuery(
            scope: BaseDataPolicy.scope(of: post), hiddenKinds: access.hidden, gridID: gridID, householdID: householdID, householdIDs: householdIDs,
            text: text, after: after, limit: min(max(limit, 1), 1_000))
        return try await services.baseData.residents(query).map(Self.masked)
    }

    /// The resident unmasked if the post may see them; otherwise "not found", as if there were none.
    func visibleResident(_ id: Int64, to post: Post) async throws -> Resident {
        guard let resident = try await services.baseData.resident(id: id), BaseDataPolicy.canSee(resident.areas, as: post),
            !(try await access(for: post)).hidden.contains(resident.kind)
        else { throw DomainError.notFound("resident \(id)", field: "id") }
        return resident
    }

    /// A record's grid path and what it is called, if the post may see it.
    public func visibleSubject(_ subject: SubjectRef, to post: Post) async throws -> (areas: AreaPath, label: String) {
        let store = services.baseData
        let found: (areas: AreaPath, label: String)? =
            switch subject.subject {
            case .resident: try await { (resident: Resident) in (resident.areas, resident.name) }(visibleResident(subject.id, to: post))
            case .household: try await store.household(id: subject.id).map { ($0.areas, $0.label) }
            case .place: try await store.place(id: subject.id).map { ($0.areas, $0.name) }
            case .organisation: try await store.organisation(id: subject.id).map { ($0.areas, $0.name) }
            }
        guard let found, BaseDataPolicy.canSee(found.areas, as: post) else {
            throw DomainError.notFound("\(subject.subject.rawValue) \(subject.id)", field: "id")
        }
        return found
    }

    /// One person's file: them (masked), their household and its people the post may see, the
    /// history, the cases about them or their household, and the household's visits.
    public struct PersonFile: Sendable {
        public var resident: Resident
        public var household: Household
        public var members: [Resident]
        public var history: [BaseChange]
        public var cases: [CaseRecord]
        public var visits: [Visit]
        public var kind: BaseKind?
    }

    public func personFile(_ id: Int64, for post: Post) async throws -> PersonFile {
        let resident = try await visibleResident(id, to: post)
        guard let household = try await services.baseData.household(id: resident.householdID) else {
            throw DomainError.notFound("household \(resident.householdID)", field: "id")
        }
        let members = try await residents(householdID: household.id, limit: 100, for: post)
        let linked = try await services.baseData.cases(linkedTo: SubjectRef(.resident, id))
            + services.baseData.cases(linkedTo: SubjectRef(.household, household.id))
        var cases: [CaseRecord] = []
        for caseID in Set(linked.map(\.caseID)) {
            if let record = try await services.cases.record(id: caseID), CasePolicy.canSee(record.file, as: post) { cases.append(record) }
        }
        return PersonFile(
            resident: Self.masked(resident), household: household, members: members,
            history: try await services.baseData.history(of: SubjectRef(.resident, id)), cases: cases.sorted { $0.createdAt > $1.createdAt },
            visits: try await services.baseData.visits(of: SubjectRef(.household, household.id), limit: 50),
            kind: try await access(for: post).kind(resident.kind))
    }

    /// Shows one resident's phone or ID number unmasked to a post that needs it, recording who saw
    /// what and why in the hash-chained log, as a reporter's reveal is.
    public func reveal(_ field: CaseReading.PersonalField, ofResident id: Int64, purpose: String?, by principal: Principal) async throws -> String? {
        let resident = try await visibleResident(id, to: principal.post)
        guard BaseDataPolicy.revealers.contains(principal.post.role) else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not see a resident's personal data")
        }
        let purpose = try BaseDataPolicy.validatePurpose(purpose)
        try await services.recording("resident.reveal", subject: "resident \(id)", ["field": field.rawValue, "purpose": purpose], by: principal) {}
        return switch field {
        case .phone: resident.phone
        case .idNumber: resident.idNumber
        }
    }

    // MARK: Changing

    /// What an import did: the households and people written, and every refused row (with any,
    /// nothing written unless the import was partial).
    public struct ImportOutcome: Sendable {
        public var households: Int
        public var residents: Int
        public var problems: [ResidentImport.Problem]
    }

    /// Reads a household register (CSV) and writes it all in one transaction, or nothing when any
    /// row is refused; `partial` writes the rows that pass and reports the others.
    public func importResidents(_ bytes: [UInt8], partial: Bool = false, by principal: Principal) async throws -> ImportOutcome {
        try await importResidents(CSV.records(bytes), partial: partial, by: principal)
    }

    /// The same, from a table's rows (a CSV file's or a workbook's).
    public func importResidents(_ records: [CSV.Record], partial: Bool = false, by principal: Principal) async throws -> ImportOutcome {
        guard BaseDataPolicy.editors.contains(principal.post.role) else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not import base data")
        }
        let access = try await access(for: principal.post)
        var plan = ResidentImport(records, directory: services.directory, kinds: access.kinds, hiddenKinds: access.hidden, post: principal.post)
        if plan.problems.isEmpty || partial {
            plan.refuse(alreadyRecorded: try await services.baseData.recordedIDNumbers(among: plan.households.flatMap { $0.people.map(\.idNumber) }))
        }
        guard plan.problems.isEmpty || partial else { return ImportOutcome(households: 0, residents: 0, problems: plan.problems) }
        let refused = Set(plan.problems.map(\.line))
        let households = plan.households.compactMap { household -> ResidentImport.NewHousehold? in
            var kept = household
            kept.people.removeAll { refused.contains($0.line) }
            return kept.people.isEmpty ? nil : kept
        }
        guard !households.isEmpty else { return ImportOutcome(households: 0, residents: 0, problems: plan.problems) }
        let now = services.clock.now
        let cadences = access.cadences
        let calendar = services.calendar.civil
        let planned = households.map { household in
            PlannedHousehold(
                household,
                visitDueAt: VisitSchedule.dueAt(cadences: household.people.compactMap { cadences[$0.kind] }, lastVisit: nil, recordedAt: now, calendar: calendar))
        }
        let written = try await services.baseData.insert(planned, action: "import", by: principal, at: now)
        return ImportOutcome(households: written.count, residents: households.reduce(0) { $0 + $1.people.count }, problems: plan.problems)
    }

    /// Changes a resident's fields, recorded in their history.
    public func update(residentID: Int64, _ change: ResidentChange, by principal: Principal) async throws -> Resident {
        let resident = try await visibleResident(residentID, to: principal.post)
        try BaseDataPolicy.checkEdit(resident.areas, as: principal.post)
        let access = try await access(for: principal.post)
        if let name = change.name, !(1...50).contains(name.trimmingCharacters(in: .whitespaces).count) {
            throw DomainError.invalid(field: "name", "expected a name of 1–50 characters")
        }
        if let phone = change.phone, !phone.isEmpty { try PersonalData.validatePhone(phone, field: "phone") }
        if let kind = change.kind, access.kind(kind)?.subject != .resident || access.hidden.contains(kind) {
            let names = access.kinds.filter { $0.subject == .resident && !access.hidden.contains($0.code) }.map(\.code).joined(separator: ", ")
            throw DomainError.invalid(field: "kind", "expected one of the person kinds: \(names)")
        }
        return Self.masked(
            try await services.baseData.update(
                residentID: residentID, change, cadences: access.cadences, calendar: services.calendar.civil, by: principal,
                at: services.clock.now))
    }

    /// Records a place or thing (a building, rental housing, a key site) in a grid.
    public func add(place: Place, by principal: Principal) async throws -> Place {
        var place = place
        try await checkNew(&place.areas, kind: place.kind, subject: .place, name: place.name, phone: place.phone, by: principal)
        place.visitDueAt = try await firstDue(kind: place.kind, for: principal.post)
        return try await services.baseData.insert(places: [place], organisations: [], by: principal, at: services.clock.now).places[0]
    }

    /// Records an enterprise, social or party organisation in a grid.
    public func add(organisation: Organisation, by principal: Principal) async throws -> Organisation {
        var organisation = organisation
        try await checkNew(
            &organisation.areas, kind: organisation.kind, subject: .organisation, name: organisation.name, phone: organisation.phone,
            by: principal)
        organisation.visitDueAt = try await firstDue(kind: organisation.kind, for: principal.post)
        return try await services.baseData.insert(places: [], organisations: [organisation], by: principal, at: services.clock.now).organisations[0]
    }

    /// Fills in the grid's path from its grid and refuses what may not be recorded.
    private func checkNew(
        _ areas: inout AreaPath, kind: String, subject: BaseSubject, name: String, phone: String?, by principal: Principal
    ) async throws {
        guard let path = services.directory.path(ofGrid: areas.grid) else { throw DomainError.notFound("grid \(areas.grid)", field: "gridID") }
        areas = path
        try BaseDataPolicy.checkEdit(areas, as: principal.post)
        let access = try await access(for: principal.post)
        guard access.kind(kind)?.subject == subject else {
            let codes = access.kinds.filter { $0.subject == subject }.map(\.code).joined(separator: ", ")
            throw DomainError.invalid(field: "kind", "expected one of the \(subject.rawValue) kinds: \(codes)")
        }
        guard (1...100).contains(name.trimmingCharacters(in: .whitespaces).count) else {
            throw DomainError.invalid(field: "name", "expected a name of 1–100 characters")
        }
        if let phone { try PersonalData.validatePhone(phone, field: "phone") }
    }

    private func firstDue(kind: String, for post: Post) async throws -> Date? {
        let cadences = try await access(for: post).cadences
        return VisitSchedule.dueAt(cadences: cadences[kind].map { [$0] } ?? [], lastVisit: nil, recordedAt: services.clock.now, calendar: services.calendar.civil)
    }

    // MARK: Cases

    /// Links a case to the records it concerns; the post must see the case and each record.
    public func link(caseID: Int64, to subjects: [SubjectRef], by principal: Principal) async throws {
        _ = try await services.reading.visibleCase(caseID, to: principal.post)
        for subject in subjects { _ = try await visibleSubject(subject, to: principal.post) }
        try await services.baseData.link(caseID: caseID, to: subjects, by: principal, at: services.clock.now)
    }

    /// A record a case concerns, with where the case stands among that record's cases of its
    /// year: "the third complaint about this building this year".
    public struct CaseSubject: Sendable {
        public var subject: SubjectRef
        public var label: String
        /// This case's place among the record's cases reported in the same calendar year (1-based).
        public var ordinalThisYear: Int
        public var casesThisYear: Int
    }

    public func subjects(ofCase caseID: Int64, for post: Post) async throws -> [CaseSubject] {
        let record = try await services.reading.visibleCase(caseID, to: post)
        let calendar = services.calendar.civil
        let year = calendar.component(.year, from: record.createdAt)
        var shown: [CaseSubject] = []
        for subject in try await services.baseData.subjects(ofCase: caseID) {
            guard let visible = try? await visibleSubject(subject, to: post) else { continue }
            var sameYear: [(Date, Int64)] = []
            for linked in try await services.baseData.cases(linkedTo: subject) {
                guard let other = try await services.cases.record(id: linked.caseID), calendar.component(.year, from: other.createdAt) == year
                else { continue }
                sameYear.append((other.createdAt, other.id))
            }
            sameYear.sort { $0 < $1 }
            let ordinal = (sameYear.firstIndex { $0.1 == caseID } ?? 0) + 1
            shown.append(CaseSubject(subject: subject, label: visible.label, ordinalThisYear: ordinal, casesThisYear: sameYear.count))
        }
        return shown
    }
}
