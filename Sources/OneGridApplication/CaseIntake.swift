public import Foundation
public import OneGridDomain
public import OneGridStore

/// What a person reports, as the window, the hotline, a grid worker's phone or a citizen sends it.
/// Encodable too: the benchmark posts the very reports it drafts.
public struct IntakeForm: Codable, Sendable {
    public struct ReporterInput: Codable, Sendable {
        public var name: String?
        public var phone: String?
        public var idNumber: String?

        public init(name: String? = nil, phone: String? = nil, idNumber: String? = nil) {
            self.name = name
            self.phone = phone
            self.idNumber = idNumber
        }
    }

    public var title: String
    public var description: String?
    public var categoryCode: String?
    public var categoryID: Int64?
    public var channel: String?
    public var location: GeoPoint?
    public var gridID: Int64?
    public var address: String?
    public var reporter: ReporterInput?
    /// Solved at intake: what was done. The case is accepted and solved in the same request.
    public var solvedOnSpot: String?
    /// What came with the report, a line each: kept attachments (`Attachment.evidence`) or a
    /// reference the client keeps, as a step's evidence.
    public var evidence: [String]?
    /// What shows the case solved (an after-photo), kept on the solve-on-the-spot step.
    public var solvedOnSpotEvidence: [String]?

    public init(
        title: String, description: String? = nil, categoryCode: String? = nil, categoryID: Int64? = nil,
        channel: String? = nil, location: GeoPoint? = nil, gridID: Int64? = nil, address: String? = nil,
        reporter: ReporterInput? = nil, solvedOnSpot: String? = nil, evidence: [String]? = nil, solvedOnSpotEvidence: [String]? = nil
    ) {
        self.title = title
        self.description = description
        self.categoryCode = categoryCode
        self.categoryID = categoryID
        self.channel = channel
        self.location = location
        self.gridID = gridID
        self.address = address
        self.reporter = reporter
        self.solvedOnSpot = solvedOnSpot
        self.evidence = evidence
        self.solvedOnSpotEvidence = solvedOnSpotEvidence
    }
}

/// Intake (发现上报 / 一窗受理): a report validated, located, routed and put under its acceptance
/// clock, written through the group-commit writer; a retry with the same idempotency key returns
/// the first case; solved on the spot when the reporter may and says so.
public struct CaseIntake: Sendable {
    let services: OneGridServices

    /// Registers a report and, when it was solved on the spot, solves it in the same request.
    /// - Parameter open311: what an Open311 request brought beside it, written with the case.
    /// - Parameter hotlineTicket: the 12345 ticket it comes from, which then is its retry key.
    public func report(
        _ form: IntakeForm, by principal: Principal, idempotencyKey: String?, open311: Open311Submission? = nil,
        hotlineTicket: String? = nil
    ) async throws -> Intake {
        if form.solvedOnSpot != nil, !CasePolicy.roles(for: .solveOnSpot).contains(principal.post.role) {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not solve a case on the spot", field: "solvedOnSpot")
        }
        var draft = try draft(form, by: principal, idempotencyKey: idempotencyKey, at: services.clock.now)
        draft.open311 = open311
        draft.hotlineTicket = hotlineTicket
        let solved = form.solvedOnSpot.map { CaseActionInput(note: $0, evidence: form.solvedOnSpotEvidence) }
        return try await submit(draft, solvedOnSpot: solved, by: principal)
    }

    /// Writes a checked draft and announces it; solves it on the spot when `solvedOnSpot` says
    /// what was done. The citizen's portal adds its own keeping to a draft and comes in here.
    func submit(_ draft: CaseDraft, solvedOnSpot: CaseActionInput?, by principal: Principal) async throws -> Intake {
        var intake = try await services.intakeWriter.submit(draft)
        if !intake.isReplay { services.changes.publish([CaseChange(intake.record)]) }
        if let resolution = solvedOnSpot, !intake.isReplay {
            intake.record = try await services.steps.take(
                .solveOnSpot, on: intake.record.id, input: resolution,
                expectedVersion: intake.record.file.version, by: principal)
        }
        return intake
    }

    /// Validates and routes a report into a draft under its acceptance clock; every refusal names
    /// its field. Pure but for the directory and settings in force: the benchmark and the tests
    /// build their drafts here too.
    public func draft(_ form: IntakeForm, by principal: Principal, idempotencyKey: String?, at now: Date) throws -> CaseDraft {
        let post = principal.post
        let allowed = post.role.reportingChannels
        guard !allowed.isEmpty else {
            throw DomainError(.forbidden, "a \(post.role.rawValue) does not report cases")
        }
        let channel: Channel
        if let name = form.channel {
            guard let chosen = Channel(rawValue: name), allowed.contains(chosen) else {
                throw DomainError.invalid(field: "channel", "a \(post.role.rawValue) reports through: \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            channel = chosen
        } else {
            channel = allowed[0]
        }
        let title = form.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw DomainError.invalid(field: "title", "title must be 1–200 characters") }
        let description = (form.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard description.count <= 5_000 else { throw DomainError.invalid(field: "description", "description is at most 5,000 characters") }
        if let address = form.address, address.count > 500 { throw DomainError.invalid(field: "address", "address is at most 500 characters") }
        let evidence = try Self.validEvidence(form.evidence, field: "evidence")
        _ = try Self.validEvidence(form.solvedOnSpotEvidence, field: "solvedOnSpotEvidence")
        if form.solvedOnSpotEvidence?.isEmpty == false, form.solvedOnSpot == nil {
            throw DomainError.invalid(field: "solvedOnSpotEvidence", "evidence of solving needs solvedOnSpot, what was done")
        }

        let directory = services.directory
        let category: OneGridDomain.Category
        if let code = form.categoryCode {
            guard let found = directory.category(code: code) else { throw DomainError.notFound("category \(code)", field: "categoryCode") }
            category = found
        } else if let id = form.categoryID {
            guard let found = directory.categories[id] else { throw DomainError.notFound("category \(id)", field: "categoryID") }
            category = found
        } else {
            throw DomainError.invalid(field: "categoryCode", "a case needs a categoryCode (or categoryID); GET /api/v1/categories lists them")
        }
        let areas = try directory.locate(point: form.location, gridID: form.gridID)
        // A post reports within its own area; only citizens report anywhere.
        if post.role != .citizen, areas[post.areaLevel] != post.areaID {
            throw DomainError.invalid(field: form.location != nil ? "location" : "gridID", "the place lies outside the area of this \(post.role.rawValue) post")
        }

        var reporter = Reporter(name: form.reporter?.name, phone: form.reporter?.phone, idNumber: form.reporter?.idNumber)
        if post.role == .citizen {
            reporter = Reporter(name: principal.user.displayName, phone: principal.user.phone, idNumber: nil, userID: principal.user.id)
        }
        if let name = reporter.name, name.count > 100 { throw DomainError.invalid(field: "reporter.name", "a name is at most 100 characters") }
        if let phone = reporter.phone, post.role != .citizen { try PersonalData.validatePhone(phone, field: "reporter.phone") }
        if let number = reporter.idNumber { try PersonalData.validateIDNumber(number, field: "reporter.idNumber") }

        let routing = CaseRouting.route(areas: areas, category: category, department: directory.department(kind:areaID:))
        let clock = services.planner.acceptanceClock(category: category, now: now)
        var draft = CaseDraft(
            category: category, channel: channel, title: title, description: description, address: form.address,
            location: form.location, routing: routing, reporter: reporter, createdBy: principal, createdAt: now,
            dueAt: clock.dueAt, idempotencyKey: idempotencyKey, clock: clock, nextAlertAt: clock.yellowAt)
        draft.evidence = evidence
        return draft
    }

    /// Photos, before and after, and a voice note: a phone's report carries a handful.
    public static let evidenceLimit = 20

    private static func validEvidence(_ lines: [String]?, field: String) throws -> [String] {
        let lines = lines ?? []
        guard lines.count <= evidenceLimit else { throw DomainError.invalid(field: field, "a report carries at most \(evidenceLimit) attachments") }
        if let line = lines.first(where: { !(1...300).contains($0.count) || $0.contains(where: \.isNewline) }) {
            throw DomainError.invalid(field: field, "each evidence line is 1–300 characters on one line, not '\(line.prefix(40))'")
        }
        return lines
    }
}
