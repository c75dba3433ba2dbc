public import Foundation
import Crypto
public import OneGridDomain
public import OneGridStore

/// The citizen's portal, no account needed: report a problem (through intake, channel citizen),
/// follow it by a private link, rate the result and ask for another look, see the city's reports;
/// and, for the centre, marking a report as abuse. Every limit on an anonymous reporter lives here.
public struct CitizenPortal: Sendable {
    let services: OneGridServices

    /// How much one source may send. Defaults a county can live with: a family reports a few
    /// problems a day; a carrier's shared address carries many families.
    public struct Limits: Sendable {
        public var perDevicePerHour = 5
        public var perAddressPerHour = 30
        public var descriptionLength = 2_000
        public var photos = 3
        /// A phone's camera photo before it is shrunk: the form works without scripts too.
        public var photoBytes = 5 * 1024 * 1024
        /// How long a source marked as abuse is refused.
        public var blockFor: TimeInterval = 7 * 86_400

        public init() {}
    }

    /// Where a report came from: the network address and the device's cookie.
    public struct Source: Sendable {
        public var address: String
        public var device: String

        public init(address: String, device: String) {
            self.address = address
            self.device = device
        }
    }

    /// What the reporter filled in.
    public struct Report: Sendable {
        public var description: String
        /// A category the reporter chose; nil: the one the text is most like.
        public var categoryCode: String?
        public var location: GeoPoint?
        /// Where it is, in words, with the community it is in when no point was given.
        public var address: String?
        public var villageID: Int64?
        public var name: String?
        public var phone: String?
        public var anonymous: Bool
        public var photos: [(name: String, bytes: [UInt8])]
        /// The challenge as the form carried it, and the reporter's answer.
        public var challenge: String
        public var answer: String

        public init(
            description: String, categoryCode: String? = nil, location: GeoPoint? = nil, address: String? = nil, villageID: Int64? = nil,
            name: String? = nil, phone: String? = nil, anonymous: Bool = true, photos: [(name: String, bytes: [UInt8])] = [],
            challenge: String, answer: String
        ) {
            self.description = description
            self.categoryCode = categoryCode
            self.location = location
            self.address = address
            self.villageID = villageID
            self.name = name
            self.phone = phone
            self.anonymous = anonymous
            self.photos = photos
            self.challenge = challenge
            self.answer = answer
        }
    }

    /// A report refused for its source: too many lately, or blocked for abuse.
    public struct Limited: Error, Sendable {
        /// Seconds until the source may report again.
        public var retryAfter: TimeInterval
        public var blocked: Bool
    }

    /// A report made: its case, its number and the follow link's token (shown once).
    public struct Made: Sendable {
        public var record: CaseRecord
        public var number: String
        public var token: String
    }

    /// A case as its follow link shows it: what was done and when, never who did it or anyone's data.
    public struct Followed: Sendable, Encodable {
        public var number: String
        public var category: String
        public var place: String
        public var status: CaseStatus
        public var reportedAt: Date
        public var steps: [PublicStep]
        /// What the citizen was told, oldest first.
        public var messages: [Message]
        public var rating: Rating?
        public var mayRate: Bool
        public var mayLookAgain: Bool
        public var lookAgainAt: Date?

        public struct Message: Sendable, Encodable {
            public var kind: CitizenNoticeKind
            public var at: Date
        }
    }

    /// A report in the public list and map.
    public struct PublicReport: Sendable {
        public var category: String
        public var townID: Int64
        public var villageID: Int64
        public var town: String
        public var village: String
        public var status: CaseStatus
        public var reportedAt: Date
        /// Rounded to about 100 m: a problem's place, not a doorstep.
        public var location: GeoPoint?
    }

    public var limits: Limits { services.citizenLimits }

    // MARK: Reporting

    /// Registers a citizen's report: the source's limits first, then the challenge, the sizes and
    /// the photos, then intake as the portal, with the follow token's hash kept in the case's
    /// transaction.
    public func report(_ report: Report, from source: Source, attachments: AttachmentStore) async throws -> Made {
        let now = services.clock.now
        try await checkSource(source, at: now)
        try await checkChallenge(report.challenge, answer: report.answer, at: now)
        let description = report.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw DomainError.invalid(field: "description", "say what the problem is") }
        guard description.count <= limits.descriptionLength else {
            throw DomainError.invalid(field: "description", "a description is at most \(limits.descriptionLength) characters")
        }
        let name = report.name?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let name, name.count > 50 { throw DomainError.invalid(field: "name", "a name is at most 50 characters") }
        let phone = report.phone?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let phone { try PersonalData.validatePhone(phone, field: "phone") }
        let address = report.address?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let address, address.count > 200 { throw DomainError.invalid(field: "address", "an address is at most 200 characters") }
        guard report.photos.count <= limits.photos else { throw DomainError.invalid(field: "photos", "at most \(limits.photos) photos") }
        for photo in report.photos where photo.bytes.count > limits.photoBytes {
            throw DomainError.invalid(field: "photos", "a photo is at most \(limits.photoBytes / 1_048_576) MB")
        }
        let directory = services.directory
        let gridID: Int64?
        if report.location != nil {
            gridID = nil
        } else if let villageID = report.villageID, let village = directory.areas[villageID], village.level == .village, address != nil {
            // No point: the case starts in the community's first grid; the centre moves it.
            gridID = directory.children(of: village.id).first { $0.level == .grid && $0.retiredAt == nil }?.id
        } else {
            throw DomainError.invalid(field: "location", "put the place on the map, or give the address and its community")
        }
        let category = try await category(for: report.categoryCode, text: description)
        let kept = try report.photos.map { photo in
            let attachment = try attachments.keep(photo.bytes, name: photo.name, field: "photos")
            guard attachment.kind.isPhoto else { throw DomainError.invalid(field: "photos", "\(attachment.name) is not a photo") }
            return attachment
        }

        let city = directory.areas.values.first { $0.level == .city } ?? directory.areas.values.min { $0.level < $1.level }
        guard let city else { throw DomainError.invalid(field: "location", "the city has no areas yet") }
        let portal = try await services.citizens.portalPrincipal(areaID: city.id, at: now)
        let title = String(description.split(whereSeparator: \.isNewline).first.map(String.init)?.prefix(30) ?? "")
        let form = IntakeForm(
            title: title, description: description, categoryID: category.id, channel: Channel.citizen.rawValue,
            location: report.location, gridID: gridID, address: address)
        var draft = try services.intake.draft(form, by: portal, idempotencyKey: nil, at: now)
        // The contact the reporter gave, for the centre's call-back; the portal stands in as the
        // reporter's account, so the reporter's steps (rating, review) are the portal's to take.
        draft.reporter = Reporter(name: name, phone: phone, idNumber: nil, userID: portal.user.id)
        let token = TokenAuthenticator.newToken()
        draft.citizen = CitizenSubmission(
            tokenHash: TokenAuthenticator.hash(token), anonymous: report.anonymous, address: source.address, device: source.device)
        draft.evidence = kept.map(\.evidence)
        let intake = try await services.intake.submit(draft, solvedOnSpot: nil, by: portal)
        return Made(
            record: intake.record, number: CaseNumber.of(id: intake.record.id, createdAt: intake.record.createdAt, calendar: services.calendar),
            token: token)
    }

    /// The categories a citizen may choose: every leaf but petitions, which have their own
    /// procedure and are never reported here (信访 goes to the petition desk).
    public var categories: [OneGridDomain.Category] {
        let all = services.directory.categories.values
        let parents = Set(all.compactMap(\.parentID))
        return all.filter { !parents.contains($0.id) && $0.kind != .petition }.sorted { $0.code < $1.code }
    }

    private func category(for code: String?, text: String) async throws -> OneGridDomain.Category {
        let allowed = categories
        if let code {
            guard let chosen = allowed.first(where: { $0.code == code }) else {
                throw DomainError.invalid(field: "category", "choose one of the listed kinds of problem")
            }
            return chosen
        }
        let ids = Set(allowed.map(\.id))
        if let proposed = try await services.proposals.propose(text, limit: 5).first(where: { ids.contains($0.category.id) }) {
            return proposed.category
        }
        throw DomainError.invalid(field: "category", "choose the kind of problem")
    }

    // MARK: Limits

    /// Refuses a blocked source, and one past its hourly counts, with the seconds it must wait:
    /// the form says so before anyone fills it in, and the report is refused.
    public func checkSource(_ source: Source, at now: Date) async throws {
        if let block = try await services.citizens.block(address: source.address, device: source.device, at: now) {
            throw Limited(retryAfter: block.until.timeIntervalSince(now).rounded(.up), blocked: true)
        }
        let hour: TimeInterval = 3600
        let times = try await services.citizens.reportTimes(address: source.address, device: source.device, since: now.addingTimeInterval(-hour))
        var wait: TimeInterval = 0
        for (made, limit) in [(times.device, limits.perDevicePerHour), (times.address, limits.perAddressPerHour)] where made.count >= limit {
            // Free again when the report that filled the window is an hour old.
            wait = max(wait, made[made.count - limit].addingTimeInterval(hour).timeIntervalSince(now))
        }
        if wait > 0 { throw Limited(retryAfter: max(1, wait.rounded(.up)), blocked: false) }
    }

    // MARK: The challenge

    /// A small sum to answer, signed so any server on the database checks it without keeping it:
    /// `a.b.expiry.nonce.signature`. It works without scripts and needs no outside service.
    public func challenge() async throws -> (question: (Int, Int), token: String) {
        let a = Int.random(in: 2...9), b = Int.random(in: 1...9)
        let expiry = services.clock.now.addingTimeInterval(Self.challengeLife).millisecondsSince1970
        let body = "\(a).\(b).\(expiry).\(Int.random(in: 100_000...999_999))"
        return ((a, b), body + "." + (try await sign(body)))
    }

    /// How long a form's challenge holds: time to fill the form in, not to collect answers.
    static let challengeLife: TimeInterval = 30 * 60

    func checkChallenge(_ token: String, answer: String, at now: Date) async throws {
        let parts = token.split(separator: ".").map(String.init)
        guard parts.count == 5, let a = Int(parts[0]), let b = Int(parts[1]), let expiry = Int64(parts[2]),
            Self.constantTimeEqual(try await sign(parts[0..<4].joined(separator: ".")), parts[4])
        else { throw DomainError.invalid(field: "answer", "the form's check is not one this server gave; load the form again") }
        guard expiry > now.millisecondsSince1970 else {
            throw DomainError.invalid(field: "answer", "the form was open too long; answer the new sum")
        }
        guard Int(answer.trimmingCharacters(in: .whitespaces)) == a + b else {
            throw DomainError.invalid(field: "answer", "the sum's answer is wrong")
        }
    }

    private func sign(_ body: String) async throws -> String {
        let key = try await challengeKey()
        return HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(key.utf8)))
            .prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    private func challengeKey() async throws -> String {
        if let key = try await services.settings.value(.citizenChallengeKey) { return key }
        let fresh = TokenAuthenticator.newToken()
        try await services.settings.set(.citizenChallengeKey, to: fresh, at: services.clock.now)
        // Two servers may make one at once: the stored one is the one both use.
        return try await services.settings.value(.citizenChallengeKey) ?? fresh
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8), b = Array(b.utf8)
        return a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: Following

    /// The case a follow token names, as the public sees it; nil for a token that names none.
    public func follow(_ token: String) async throws -> Followed? {
        guard let (report, record) = try await reportAndCase(token) else { return nil }
        let directory = services.directory
        let file = record.file
        let timeline = try await services.cases.timeline(caseID: record.id).map(\.event)
        let messages = try await services.citizens.notices(caseID: record.id, sentBy: CitizenNotifier.followPage)
        let place = [file.areas.town, file.areas.village].compactMap { directory.areas[$0]?.name }.joined(separator: " ")
        return Followed(
            number: CaseNumber.of(id: record.id, createdAt: record.createdAt, calendar: services.calendar),
            category: directory.categories[file.categoryID]?.name ?? "", place: place, status: file.status,
            reportedAt: record.createdAt, steps: PublicStep.project(timeline),
            messages: messages.map { Followed.Message(kind: $0.kind, at: $0.at) }, rating: file.rating,
            mayRate: CaseAction.rate.allowedFrom.contains(file.status),
            mayLookAgain: mayLookAgain(file, report: report, category: directory.categories[file.categoryID]),
            lookAgainAt: report.lookAgainAt)
    }

    /// Rates the result of the token's case, through the case's own rate step.
    public func rate(_ token: String, rating: Rating) async throws {
        guard let (_, record) = try await reportAndCase(token) else { throw DomainError.notFound("follow link", field: "token") }
        let portal = try await portal(of: record)
        _ = try await services.steps.take(.rate, on: record.id, input: CaseActionInput(rating: rating), expectedVersion: nil, by: portal)
    }

    /// Asks for the token's case to be looked at again, after an unhappy rating. A petition's
    /// review goes through its own step, under its legal limits; another case's request is
    /// recorded and put in the inbox of the dispatchers of the centre holding it, who may reopen it.
    public func lookAgain(_ token: String, note: String?) async throws {
        guard let (report, record) = try await reportAndCase(token) else { throw DomainError.notFound("follow link", field: "token") }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty.map { String($0.prefix(500)) }
        let file = record.file
        let category = services.directory.categories[file.categoryID]
        if category?.kind == .petition {
            _ = try await services.steps.take(
                .requestReview, on: record.id, input: CaseActionInput(note: note ?? "群众不满意，申请复查"), expectedVersion: nil,
                by: try await portal(of: record))
            return
        }
        guard mayLookAgain(file, report: report, category: category) else {
            throw DomainError(.notAllowedInState, "another look is asked for once, after rating the result 不满意")
        }
        let number = CaseNumber.of(id: record.id, createdAt: record.createdAt, calendar: services.calendar)
        let message = "群众对处理结果不满意，申请重新办理（案件 \(number)）" + (note.map { "：\($0)" } ?? "")
        guard
            try await services.citizens.recordLookAgain(
                caseID: record.id, note: note, centreAreaID: file.handlingAreaID, message: message, at: services.clock.now)
        else { throw DomainError(.notAllowedInState, "another look was already asked for") }
    }

    private func mayLookAgain(_ file: CaseFile, report: CitizenReport, category: OneGridDomain.Category?) -> Bool {
        if category?.kind == .petition { return CaseAction.requestReview.allowedFrom.contains(file.status) }
        return file.rating == .dissatisfied && report.lookAgainAt == nil
    }

    private func reportAndCase(_ token: String) async throws -> (CitizenReport, CaseRecord)? {
        // A token is 64 hex characters; anything else names nothing, without a database look.
        guard token.utf8.count == 64, let report = try await services.citizens.report(tokenHash: TokenAuthenticator.hash(token)),
            let record = try await services.cases.record(id: report.caseID)
        else { return nil }
        return (report, record)
    }

    private func portal(of record: CaseRecord) async throws -> Principal {
        let city = services.directory.areas.values.first { $0.level == .city }
        return try await services.citizens.portalPrincipal(areaID: city?.id ?? record.file.areas.city, at: services.clock.now)
    }

    // MARK: The public list

    /// The city's recent reports for everyone: kind, place, status and day, newest first, within
    /// `areaID` when given; petitions, disputes and the categories an administrator hides are
    /// left out, and nothing of any person is carried.
    public func publicReports(in areaID: Int64? = nil, days: Int = 30, limit: Int = 200) async throws -> [PublicReport] {
        let directory = services.directory
        let hidden = try await hiddenCategoryIDs()
        let area = areaID.flatMap { directory.areas[$0] }
        let rows = try await services.citizens.publicReports(
            since: services.clock.now.addingTimeInterval(-Double(days) * 86_400), hiddenCategoryIDs: hidden,
            level: area?.level, areaID: area?.id, limit: limit)
        return rows.map { row in
            PublicReport(
                category: directory.categories[row.categoryID]?.name ?? "", townID: row.townID, villageID: row.villageID,
                town: directory.areas[row.townID]?.name ?? "",
                village: directory.areas[row.villageID]?.name ?? "", status: row.status, reportedAt: row.createdAt,
                location: row.location.map { GeoPoint(lat: ($0.lat * 1000).rounded() / 1000, lng: ($0.lng * 1000).rounded() / 1000) })
        }
    }

    /// Codes hidden when an administrator stored none: the public-security categories (综治).
    public static let defaultHiddenCategories = ["governance"]

    /// The category codes the public list and map leave out besides petitions and disputes: the
    /// stored ones, else the defaults.
    public func hiddenCategoryCodes() async throws -> [String] {
        try await services.settings.value(.citizenHiddenCategories) ?? Self.defaultHiddenCategories
    }

    /// An administrator sets the category codes kept from the public; each must name a category.
    /// Recorded in the administrators' log with the change.
    public func setHiddenCategoryCodes(_ codes: [String], by principal: Principal) async throws {
        guard principal.post.role == .administrator else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not change what the public sees; allowed for: administrator")
        }
        let codes = Array(Set(codes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        if let unknown = codes.first(where: { services.directory.category(code: $0) == nil }) {
            throw DomainError.invalid(field: "hiddenCategories", "\(unknown) is no category's code")
        }
        try await services.recording(
            "settings.citizenHiddenCategories", subject: "citizens' portal", ["codes": codes.joined(separator: ",")], by: principal
        ) {
            try await services.settings.set(.citizenHiddenCategories, to: codes, at: services.clock.now)
        }
    }

    /// Petitions and disputes always; the stored codes (or the defaults), each with what lies under it.
    func hiddenCategoryIDs() async throws -> Set<Int64> {
        let codes = try await hiddenCategoryCodes()
        let all = services.directory.categories.values
        return Set(
            all.filter { category in
                category.kind == .petition || category.kind == .dispute
                    || codes.contains { category.code == $0 || category.code.hasPrefix($0 + ".") }
            }.map(\.id))
    }

    // MARK: Abuse

    /// A dispatcher over the case marks a portal report as abuse: its address and device are
    /// refused new reports for `limits.blockFor`, recorded with who did it and when.
    public func markAbuse(caseID: Int64, by principal: Principal) async throws -> [CitizenBlock] {
        guard principal.post.role == .dispatcher else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not mark a report as abuse; allowed for: dispatcher")
        }
        let record = try await services.reading.visibleCase(caseID, to: principal.post)
        let now = services.clock.now
        return try await services.citizens.markAbuse(caseID: record.id, byUserID: principal.user.id, until: now.addingTimeInterval(limits.blockFor), at: now)
    }
}
