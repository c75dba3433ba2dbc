import Foundation
public import OneGridDomain
public import OneGridStore

/// The administrator's work on people's mediation: the bodies that mediate at each area and their
/// members, and the thresholds that make a dispute major. Each change is one transaction with its
/// entry in the administrators' log.
public struct AdministrationMediation: Sendable {
    let services: OneGridServices

    /// Every body at one area, the retired ones included, by name.
    public func bodies(inArea areaID: Int64, by principal: Principal) async throws -> [MediationBody] {
        try Self.requireAdministrator(principal)
        _ = try area(areaID)
        return try await services.mediation.allBodies(inArea: areaID)
    }

    public func body(_ id: Int64, by principal: Principal) async throws -> MediationBody {
        try Self.requireAdministrator(principal)
        guard let body = try await services.mediation.body(id: id) else { throw DomainError.notFound("mediation body \(id)", field: "id") }
        return body
    }

    /// The members of a body as users, in the order of its member ids.
    public func members(of body: MediationBody) async throws -> [User] {
        let users = try await services.people.users(ids: body.memberUserIDs)
        return body.memberUserIDs.compactMap { users[$0] }
    }

    /// Sets up a body of `kind` at an area, without members; it works at the area's level.
    public func create(name: String, kind: String, areaID: Int64?, by principal: Principal) async throws -> MediationBody {
        try Self.requireAdministrator(principal)
        guard let kind = MediationBodyKind(rawValue: kind) else {
            let kinds = MediationBodyKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError.invalid(field: "kind", "expected one of \(kinds)")
        }
        guard let areaID else { throw DomainError.invalid(field: "areaID", "expected the id of an area") }
        let area = try area(areaID)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try MediationBody.validate(name: name, kind: kind, level: area.level)
        return try await services.recording(
            "mediationBody.create", subject: "mediation body \(name)", ["kind": kind.rawValue, "areaID": String(area.id)], by: principal
        ) {
            try await services.mediation.createBody(name: name, kind: kind, areaID: area.id, level: area.level, memberUserIDs: [])
        }
    }

    public func rename(_ id: Int64, to name: String, by principal: Principal) async throws -> MediationBody {
        try Self.requireAdministrator(principal)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await change(id, "mediationBody.rename", ["name": name], by: principal) { body in
            try MediationBody.validate(name: name, kind: body.kind, level: body.level)
            var renamed = body
            renamed.name = name
            return renamed
        }
    }

    /// Retires a body: it keeps the disputes it mediates, but none new is given to it.
    public func retire(_ id: Int64, by principal: Principal) async throws -> MediationBody {
        try Self.requireAdministrator(principal)
        let now = services.clock.now
        return try await change(id, "mediationBody.retire", by: principal) { body in
            var retired = body
            retired.retiredAt = now
            return retired
        }
    }

    /// Adds the user named `username`, who must hold a mediator post, to a body's members.
    public func addMember(_ id: Int64, username: String, by principal: Principal) async throws -> MediationBody {
        try Self.requireAdministrator(principal)
        let user = try await mediator(username)
        return try await change(id, "mediationBody.addMember", ["user": String(user.id)], by: principal) { body in
            guard !body.hasMember(user.id) else {
                throw DomainError.invalid(field: "username", "\(user.username) is a member of \(body.name) already")
            }
            var joined = body
            joined.memberUserIDs.append(user.id)
            return joined
        }
    }

    public func removeMember(_ id: Int64, userID: Int64, by principal: Principal) async throws -> MediationBody {
        try Self.requireAdministrator(principal)
        return try await change(id, "mediationBody.removeMember", ["user": String(userID)], by: principal) { body in
            guard body.hasMember(userID) else {
                throw DomainError.invalid(field: "userID", "user \(userID) is not a member of \(body.name)")
            }
            var left = body
            left.memberUserIDs.removeAll { $0 == userID }
            return left
        }
    }

    // MARK: Major-dispute thresholds

    /// The thresholds in force: those stored, the defaults where none are.
    public func majorDisputeRule(by principal: Principal) async throws -> MajorDisputeRule {
        try Self.requireAdministrator(principal)
        return try await services.settings.value(.majorDisputeRule) ?? .default
    }

    /// What an administrator sends for the thresholds, as typed: each is checked and refused by
    /// its own field.
    public struct RuleForm: Sendable {
        public var amountYuan: Int64?
        public var peopleInvolved: Int?
        public var types: [String]
        public var violenceRisk: Bool

        public init(amountYuan: Int64?, peopleInvolved: Int?, types: [String], violenceRisk: Bool) {
            self.amountYuan = amountYuan
            self.peopleInvolved = peopleInvolved
            self.types = types
            self.violenceRisk = violenceRisk
        }
    }

    /// The largest amount a threshold may name: beyond it no dispute would ever be major by amount.
    public static let amountLimit: Int64 = 1_000_000_000_000
    /// The largest number of people a threshold may name.
    public static let peopleLimit = 100_000

    /// Stores new thresholds; disputes registered or stepped from now on are judged by them.
    public func setMajorDisputeRule(_ form: RuleForm, by principal: Principal) async throws -> MajorDisputeRule {
        try Self.requireAdministrator(principal)
        guard let amount = form.amountYuan, (1...Self.amountLimit).contains(amount) else {
            throw DomainError.invalid(field: "amountYuan", "expected the amount in yuan from which a dispute is major, 1–\(Self.amountLimit)")
        }
        guard let people = form.peopleInvolved, (2...Self.peopleLimit).contains(people) else {
            throw DomainError.invalid(field: "peopleInvolved", "expected the number of people from which a dispute is major, 2–\(Self.peopleLimit)")
        }
        var types: Set<DisputeType> = []
        for name in form.types {
            guard let type = DisputeType(rawValue: name) else {
                let names = DisputeType.allCases.map(\.rawValue).joined(separator: ", ")
                throw DomainError.invalid(field: "types", "'\(name)' is not a dispute type: expected any of \(names)")
            }
            types.insert(type)
        }
        let rule = MajorDisputeRule(amountYuan: amount, peopleInvolved: people, types: types, violenceRisk: form.violenceRisk)
        let details = [
            "amountYuan": String(amount), "peopleInvolved": String(people),
            "types": types.map(\.rawValue).sorted().joined(separator: ","), "violenceRisk": String(form.violenceRisk),
        ]
        try await services.recording("settings.majorDisputeRule", subject: "major-dispute thresholds", details, by: principal) {
            try await services.settings.set(.majorDisputeRule, to: rule, at: services.clock.now)
        }
        return rule
    }

    // MARK: Building blocks

    static func requireAdministrator(_ principal: Principal) throws {
        guard principal.post.role == .administrator else {
            throw DomainError(.forbidden, "mediation bodies and thresholds are an administrator's to change")
        }
    }

    private func change(
        _ id: Int64, _ act: String, _ details: [String: String] = [:], by principal: Principal,
        _ decide: @escaping @Sendable (MediationBody) throws -> MediationBody
    ) async throws -> MediationBody {
        try await services.recording(act, subject: "mediation body \(id)", details, by: principal) {
            try await services.mediation.updateBody(id: id, decide)
        }
    }

    private func area(_ id: Int64) throws -> Area {
        guard let area = services.directory.areas[id], area.retiredAt == nil else {
            throw DomainError.invalid(field: "areaID", "expected the id of an area in use")
        }
        return area
    }

    private func mediator(_ username: String) async throws -> User {
        let name = username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let user = try await services.people.credentials(username: name)?.user else {
            throw DomainError.invalid(field: "username", "no user is called '\(name)'")
        }
        guard try await services.people.posts(ofUser: user.id).contains(where: { $0.role == .mediator }) else {
            throw DomainError.invalid(field: "username", "\(user.username) holds no mediator post")
        }
        return user
    }
}
