import Foundation
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import SQLKit
import Synchronization

/// The store tests' fixture: the demo's tiny city (one county, one town, two villages of two
/// grids) in a fresh database, with the stores over it, reported to and acted on through the
/// application layer's use cases as the server does, at times the tests choose.
struct TinyCity: Sendable {
    let database: OneGridDatabase
    let directory: Directory
    let cases: SQLCaseStore
    let people: SQLPeopleStore
    let services: OneGridServices

    /// A whole second, so a time read back from milliseconds compares equal.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func with<T>(_ kind: OneGridDatabase.Kind, _ body: (TinyCity) async throws -> T) async throws -> T {
        try await TestDatabases.withDatabase(kind) { database in
            // Without the demo's residents: the tests record the people they reason about.
            _ = try await DemoCity.build(into: database, size: .tiny, cases: 0, now: now, baseData: false)
            let city = TinyCity(
                database: database, directory: try await SQLHierarchyStore(database: database).loadDirectory(),
                cases: SQLCaseStore(database: database), people: SQLPeopleStore(database: database),
                services: try await OneGridServices(database: database))
            return try await body(city)
        }
    }

    // MARK: The city

    /// The grids in code order; the walkthrough's users sit in the first.
    var grids: [Area] { directory.areas.values.filter { $0.level == .grid }.sorted { $0.code < $1.code } }

    /// A point that routes to the n-th grid in code order (1-based).
    func point(inGrid number: Int) -> GeoPoint { DemoCity.samplePoint(inGridNumber: number, of: .tiny) }

    func category(_ code: String) throws -> OneGridDomain.Category {
        guard let category = directory.category(code: code) else { throw Missing("category \(code)") }
        return category
    }

    /// A demo user signed in with their first post.
    func principal(_ username: String) async throws -> Principal {
        guard let user = try await people.credentials(username: username)?.user,
            let post = try await people.posts(ofUser: user.id).first
        else { throw Missing("user \(username) with a post") }
        return Principal(user: user, post: post)
    }

    /// A user of the test's own, holding one post: for departments the walkthrough has no
    /// handler for.
    func addUser(id: Int64, username: String, role: Role, area: Area, department: Department? = nil) async throws -> Principal {
        let user = User(id: id, username: username, displayName: username, phone: nil)
        let post = Post(id: id, userID: id, role: role, areaID: area.id, areaLevel: area.level, departmentID: department?.id)
        try await people.insert(users: [(user, "not a bcrypt hash: this user never signs in")])
        try await people.insert(posts: [post])
        return Principal(user: user, post: post)
    }

    // MARK: Intake

    /// A report drafted by intake itself (`CaseIntake.draft`): located, routed, validated and put
    /// under its acceptance clock.
    func draft(
        _ categoryCode: String, inGrid grid: Int = 1, title: String = "路灯不亮", description: String = "晚上整条路都是黑的",
        by reporter: Principal, channel: Channel = .citizen, at createdAt: Date = now, idempotencyKey: String? = nil
    ) throws -> CaseDraft {
        let form = IntakeForm(
            title: title, description: description, categoryCode: categoryCode, channel: channel.rawValue,
            location: point(inGrid: grid), address: "人民路12号",
            reporter: .init(name: "王秀英", phone: "13812345678", idNumber: "11010519491231002X"))
        return try services.intake.draft(form, by: reporter, idempotencyKey: idempotencyKey, at: createdAt)
    }

    func report(
        _ categoryCode: String = "service.streetlight", inGrid grid: Int = 1, title: String = "路灯不亮",
        description: String = "晚上整条路都是黑的", by username: String = "citizen1", at createdAt: Date = now
    ) async throws -> CaseRecord {
        let draft = try draft(
            categoryCode, inGrid: grid, title: title, description: description, by: try await principal(username),
            at: createdAt)
        return try await cases.create([draft])[0].record
    }

    // MARK: Actions

    /// Takes a step as `username` through `CaseSteps`, as the API does.
    @discardableResult
    func act(
        _ action: CaseAction, on caseID: Int64, as username: String, input: CaseActionInput = CaseActionInput(),
        expectedVersion: Int? = nil, at now: Date = now
    ) async throws -> CaseRecord {
        try await services.steps.take(
            action, on: caseID, input: input, expectedVersion: expectedVersion, by: try await principal(username), at: now)
    }

    // MARK: Raw reads

    func count(_ table: String, where caseID: Int64? = nil) async throws -> Int {
        let select = database.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
        if let caseID { select.where("case_id", .equal, caseID) }
        return try await select.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
        init(_ what: String) { description = "the tiny city has no \(what)" }
    }
}

/// The outcome of an async step, for tests that compare several that ran at once.
func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

/// Raised once from any task: whether a closure the store was given ever ran.
final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .relaxed) }
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}

/// The error of a step expected to fail, for the procedure tests (mediation, petitions).
extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
