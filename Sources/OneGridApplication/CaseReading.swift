public import Foundation
public import OneGridDomain
public import OneGridStore

/// Reading cases for a post: only what its area covers, personal data revealed only to posts that
/// need it and every reveal recorded.
public struct CaseReading: Sendable {
    let services: OneGridServices

    /// The roles that read who revealed a reporter's personal data: those who answer for it.
    public static let disclosureReaders: Set<Role> = [.dispatcher, .leader, .administrator]
    /// The roles that may reveal a reporter's phone or ID number.
    public static let revealers: Set<Role> = Set(Role.allCases.filter(\.mayRevealPersonalData))

    /// The case if this post may see it; otherwise "not found", exactly as if it did not exist.
    public func visibleCase(_ id: Int64, to post: Post) async throws -> CaseRecord {
        guard let record = try await services.cases.record(id: id), CasePolicy.canSee(record.file, as: post) else {
            throw DomainError.notFound("case \(id)", field: "id")
        }
        return record
    }

    /// The cases this post may see, newest or most urgent first, filtered, in stable cursor pages.
    public func list(_ query: CaseQuery, for post: Post) async throws -> CasePage {
        try await services.cases.list(query, scope: CaseScope(post: post), now: services.clock.now)
    }

    public func timeline(of caseID: Int64, for post: Post) async throws -> [StoredEvent] {
        let record = try await visibleCase(caseID, to: post)
        return try await services.cases.timeline(caseID: record.id)
    }

    /// The reporter's personal data that can be revealed.
    public enum PersonalField: String, Sendable, CaseIterable {
        case phone, idNumber
    }

    /// Shows one of the reporter's phone or ID number unmasked to a post that needs it, and
    /// records that it did.
    public func reveal(_ field: PersonalField, of caseID: Int64, by principal: Principal) async throws -> String? {
        let record = try await visibleCase(caseID, to: principal.post)
        guard Self.revealers.contains(principal.post.role) else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not see a reporter's personal data")
        }
        try await services.recording("case.reveal", subject: "case \(caseID)", ["field": field.rawValue], by: principal) {
            try await services.cases.recordDisclosure(caseID: caseID, by: principal, field: field.rawValue, at: services.clock.now)
        }
        return switch field {
        case .phone: record.reporter.phone
        case .idNumber: record.reporter.idNumber
        }
    }

    public func disclosures(of caseID: Int64, for post: Post) async throws -> [Disclosure] {
        let record = try await visibleCase(caseID, to: post)
        return try await services.cases.disclosures(caseID: record.id)
    }

    /// The open cases this post may see in the same grid and category, reported within a week
    /// either side, whose title and description are alike: the usual shape of one matter
    /// reported twice (a neighbour calls the hotline about the street light a grid worker
    /// already reported). A candidate that is itself merged into another is left out.
    public func duplicates(of caseID: Int64, for post: Post, limit: Int = 10) async throws
        -> (record: CaseRecord, candidates: [(similarity: Double, record: CaseRecord)])
    {
        let record = try await visibleCase(caseID, to: post)
        let candidates = try await alike(
            Self.matterText(record), gridID: record.file.areas.grid, categoryID: record.file.categoryID, at: record.createdAt,
            for: post, limit: limit, excluding: record.id)
        return (record, candidates)
    }

    /// The open cases alike a report not yet registered, by the same rule as `duplicates(of:)`:
    /// what the window shows before saving, so the clerk can attach the request to one of them.
    public func alike(
        _ text: String, gridID: Int64, categoryID: Int64, at time: Date, for post: Post, limit: Int = 10, excluding caseID: Int64? = nil
    ) async throws -> [(similarity: Double, record: CaseRecord)] {
        let near = try await list(.alike(gridID: gridID, categoryID: categoryID, around: time), for: post).cases.filter { $0.id != caseID && $0.file.primaryCaseID == nil }
        let byID = Dictionary(uniqueKeysWithValues: near.map { ($0.id, $0) })
        let ranked = Duplicates.rank(text, among: near.map { ($0.id, Self.matterText($0)) })
        return ranked.prefix(limit).compactMap { match in
            byID[match.id].map { ((match.similarity * 100).rounded() / 100, $0) }
        }
    }

    /// What a report says of its matter.
    private static func matterText(_ record: CaseRecord) -> String {
        record.title + " " + record.description
    }
}
