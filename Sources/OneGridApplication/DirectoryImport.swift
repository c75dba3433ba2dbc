import Foundation
public import OneGridDomain
public import OneGridStore

/// Loading a city's departments, accounts and categories from files (`onegrid import
/// departments|users|categories`). Each kind is a description: its columns, and how one row
/// becomes a call of the use case the administration pages call, which checks it as it checks a
/// form. A file is written in one transaction that those use cases join: each refused row is
/// undone alone and reported with its field and what was expected, and with any refused row the
/// whole file is undone, unless `partial`.
public struct DirectoryImport: Sendable {
    let services: OneGridServices

    /// What the directory's kinds need: an administrator, as their pages do.
    public static let importers: Set<Role> = [.administrator]

    public enum Kind: String, Sendable, CaseIterable {
        case departments, users, categories

        public var columns: [ImportColumn] {
            switch self {
            case .departments:
                [ImportColumn("name", "部门名称", required: true), ImportColumn("kind", "职能类别", required: true), ImportColumn("area", "所在区域编码", required: true)]
            case .users:
                [
                    ImportColumn("username", "用户名", required: true), ImportColumn("displayName", "姓名", required: true),
                    ImportColumn("role", "岗位", required: true), ImportColumn("area", "区域编码", required: true),
                    ImportColumn("department", "部门"), ImportColumn("phone", "联系电话"), ImportColumn("password", "初始密码"),
                ]
            case .categories:
                [
                    ImportColumn("code", "类别编码", required: true), ImportColumn("name", "类别名称", required: true),
                    ImportColumn("parent", "上级类别编码"), ImportColumn("platform", "平台"), ImportColumn("kind", "类型"),
                    ImportColumn("handlingLevel", "处置层级", required: true), ImportColumn("departmentKind", "职能部门类别"),
                    ImportColumn("acceptanceLimit", "受理时限", required: true), ImportColumn("signingLimit", "签收时限", required: true),
                    ImportColumn("handlingLimit", "办理时限", required: true), ImportColumn("escalatesWhenOverdue", "超期自动上报"),
                    ImportColumn("keywords", "关键词"),
                ]
            }
        }
    }

    /// A password the server chose for an account without one in the file: given to whoever ran
    /// the import once, never stored.
    public struct GeneratedPassword: Sendable, Equatable {
        public var line: Int
        public var username: String
        public var password: String
    }

    /// Whether a users file leaves an account without a password, for which one is generated:
    /// a row without one that is the first of its username (the others add posts).
    public static func needGeneratedPasswords(_ records: [ImportRecord]) -> Bool {
        var seen: Set<String> = []
        return records.contains { seen.insert($0["username"].lowercased()).inserted && $0["password"].isEmpty }
    }

    public struct Outcome: Sendable {
        /// Rows written; for users, accounts created.
        public var written: Int
        /// Every refused row, in the file's order; with any, nothing was written unless partial.
        public var problems: [ImportProblem]
        public var generatedPasswords: [GeneratedPassword]
    }

    /// A row refused before it reached a use case.
    struct Refused: Error {
        var field: String
        var expected: String
    }

    /// What a file's rows leave for the rows after them.
    struct FileState: Sendable {
        /// Accounts created by this file, by username: a later row of the same username adds a post.
        var users: [String: Int64] = [:]
        var passwords: [GeneratedPassword] = []
        /// Each new account's credential by its line, hashed before the file's transaction: a
        /// hash inside it would hold SQLite's one writer (and intake) about 100 ms an account.
        var credentials: [Int: AdministrationUsers.Credential] = [:]
    }

    /// Raised to undo a file with refused rows.
    private struct Undone: Error {
        var problems: [ImportProblem]
    }

    /// Writes `records` of `kind` row by row, in the file's order.
    public func importRecords(
        _ kind: Kind, _ records: [ImportRecord], readProblems: [ImportProblem] = [], partial: Bool = false, by principal: Principal,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Outcome {
        guard Self.importers.contains(principal.post.role) else {
            throw DomainError(.forbidden, "a \(principal.post.role.rawValue) may not import \(kind.rawValue)")
        }
        guard readProblems.allSatisfy({ $0.field != "file" }), !records.isEmpty else {
            return Outcome(written: 0, problems: readProblems, generatedPasswords: [])
        }
        let required = kind.columns.filter(\.required).map(\.name)
        let unreadable = Set(readProblems.map(\.line))
        let write = writer(kind)
        let database = services.database
        let credentials = kind == .users ? try await credentials(records, skipping: unreadable) : [:]
        do {
            let (written, problems, state) = try await database.inOneTransaction {
                var state = FileState(credentials: credentials)
                var problems = readProblems
                var written = 0
                for (done, record) in records.enumerated() {
                    defer { progress(done + 1, records.count) }
                    guard !unreadable.contains(record.line) else { continue }
                    let empty = required.filter { record[$0].isEmpty }
                    guard empty.isEmpty else {
                        problems += empty.map { ImportProblem(line: record.line, field: $0, expected: "a value") }
                        continue
                    }
                    // A row is a savepoint of its own: a row whose second step is refused
                    // leaves nothing of its first.
                    do {
                        state = try await database.transaction { [state] _ in
                            var after = state
                            try await write(record, principal, &after)
                            return after
                        }
                        written += 1
                    } catch {
                        guard let problem = Self.problem(error, in: record) else { throw error }
                        problems.append(problem)
                        // The directory held may show what the row wrote before it was undone.
                        try await services.reloadDirectory(afterRollback: true)
                    }
                }
                guard problems.isEmpty || partial else { throw Undone(problems: problems) }
                return (written, problems, state)
            }
            try await services.reloadDirectory()
            return Outcome(written: kind == .users ? state.users.count : written, problems: Self.sorted(problems), generatedPasswords: state.passwords)
        } catch let undone as Undone {
            try await services.reloadDirectory(afterRollback: true)
            return Outcome(written: 0, problems: Self.sorted(undone.problems), generatedPasswords: [])
        } catch {
            try? await services.reloadDirectory(afterRollback: true)
            throw error
        }
    }

    private static func sorted(_ problems: [ImportProblem]) -> [ImportProblem] {
        problems.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
    }

    /// A use case's refusal as a refused cell, with what the row gave; nil for a failure that is
    /// not the row's (the database's), which undoes the file.
    private static func problem(_ error: any Error, in record: ImportRecord) -> ImportProblem? {
        let (field, expected): (String, String)
        switch error {
        case let refused as Refused: (field, expected) = (refused.field, refused.expected)
        case let refusal as DirectoryRefusal: (field, expected) = (refusal.field, refusal.reason.expected)
        case let refusal as AdministrationUsers.Refusal: (field, expected) = (refusal.field, refusal.reason.expected)
        case let error as DomainError where error.code == .invalid: (field, expected) = (error.field ?? "row", error.message)
        default: return nil
        }
        let given = record[field]
        return ImportProblem(line: record.line, field: field, expected: given.isEmpty || expected.contains("got") ? expected : "\(expected), got '\(given)'")
    }

    // MARK: The kinds

    private typealias Write = @Sendable (ImportRecord, Principal, inout FileState) async throws -> Void

    private func writer(_ kind: Kind) -> Write {
        switch kind {
        case .departments: writeDepartment
        case .users: writeUser
        case .categories: writeCategory
        }
    }

    /// An area by its division code.
    private func area(_ record: ImportRecord, _ column: String = "area") throws -> Area {
        guard let area = services.directory.area(code: record[column]), area.retiredAt == nil else {
            throw Refused(field: column, expected: "the division code of an area of the city in use")
        }
        return area
    }

    private func writeDepartment(_ record: ImportRecord, by principal: Principal, _ state: inout FileState) async throws {
        let area = try area(record)
        // The cases import and the users import name a department by its name in its area.
        guard !services.directory.departments.values.contains(where: { $0.areaID == area.id && $0.name == record["name"] && $0.retiredAt == nil }) else {
            throw Refused(field: "name", expected: "a department name not yet used in \(area.name)")
        }
        _ = try await services.administrationDepartments.create(.init(name: record["name"], kind: record["kind"], areaID: area.id), by: principal)
    }

    private func writeUser(_ record: ImportRecord, by principal: Principal, _ state: inout FileState) async throws {
        let roleCell = record["role"]
        guard let role = Role.allCases.first(where: { $0.rawValue == roleCell || $0.chineseName == roleCell }), role != .citizen else {
            let names = Role.allCases.filter { $0 != .citizen }.map(\.chineseName).joined(separator: ", ")
            throw Refused(field: "role", expected: "a post's role (\(names), or its English name)")
        }
        let area = try area(record)
        var departmentID: Int64?
        if role == .departmentHandler, !record["department"].isEmpty {
            guard
                let department = services.directory.departments.values.first(where: {
                    $0.areaID == area.id && $0.name == record["department"] && $0.retiredAt == nil
                })
            else { throw Refused(field: "department", expected: "the name of a department in use in \(area.name)") }
            departmentID = department.id
        }
        let post = AdministrationUsers.PostRequest(role: role, areaID: area.id, departmentID: departmentID)
        let username = record["username"].lowercased()
        let administration = services.administrationUsers
        if let userID = state.users[username] {
            _ = try await administration.addPost(userID: userID, post, by: principal)
            return
        }
        let created = try await administration.create(
            username: username, displayName: record["displayName"], phone: record["phone"], password: record["password"],
            credential: state.credentials[record.line], post: post, by: principal)
        state.users[username] = created.account.user.id
        if let password = created.generatedPassword {
            state.passwords.append(GeneratedPassword(line: record.line, username: created.account.user.username, password: password))
        }
    }

    /// The credentials of the accounts a users file creates (a username's first row), hashed
    /// on the machine's cores at once; a password refused here is refused again by its row.
    private func credentials(_ records: [ImportRecord], skipping unreadable: Set<Int>) async throws -> [Int: AdministrationUsers.Credential] {
        var seen: Set<String> = []
        let first = records.filter { !unreadable.contains($0.line) && seen.insert($0["username"].lowercased()).inserted }
        let administration = services.administrationUsers
        return try await withThrowingTaskGroup(of: (Int, AdministrationUsers.Credential?).self) { group in
            for record in first {
                let (line, password) = (record.line, record["password"])
                group.addTask { (line, try? await administration.credential(password)) }
            }
            var credentials: [Int: AdministrationUsers.Credential] = [:]
            for try await (line, credential) in group { credentials[line] = credential }
            return credentials
        }
    }

    private func writeCategory(_ record: ImportRecord, by principal: Principal, _ state: inout FileState) async throws {
        let directory = services.directory
        var parent: OneGridDomain.Category?
        if !record["parent"].isEmpty {
            guard let found = directory.category(code: record["parent"]) else {
                throw Refused(field: "parent", expected: "the code of a category recorded or on a line above")
            }
            parent = found
        }
        let platformCell = record["platform"]
        guard let platform = platformCell.isEmpty ? parent?.platform : Platform.allCases.first(where: { $0.rawValue == platformCell || $0.chineseName == platformCell })
        else {
            throw Refused(field: "platform", expected: "a platform (\(Platform.allCases.map(\.chineseName).joined(separator: ", ")), or its English name); a top category needs one")
        }
        guard let kind = record["kind"].isEmpty ? parent?.kind ?? .general : CategoryKind(rawValue: record["kind"]) else {
            throw Refused(field: "kind", expected: "one of \(CategoryKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let escalates = record["escalatesWhenOverdue"]
        guard let escalatesWhenOverdue = escalates.isEmpty ? false : Self.yes.contains(escalates) ? true : Self.no.contains(escalates) ? false : nil else {
            throw Refused(field: "escalatesWhenOverdue", expected: "是 or 否 (yes or no)")
        }
        let form = AdministrationCategories.Form(
            handlingLevel: record["handlingLevel"], departmentKind: record["departmentKind"], acceptanceLimit: record["acceptanceLimit"],
            signingLimit: record["signingLimit"], handlingLimit: record["handlingLimit"], escalatesWhenOverdue: escalatesWhenOverdue)
        let administration = services.administrationCategories
        let category = try await administration.create(
            code: record["code"], name: record["name"], parentID: parent?.id, platform: platform, kind: kind, form, by: principal)
        if !record["keywords"].isEmpty {
            _ = try await administration.setKeywords(categoryID: category.id, record["keywords"], by: principal)
        }
    }

    private static let yes: Set<String> = ["是", "yes", "true", "1"]
    private static let no: Set<String> = ["否", "no", "false", "0"]
}

extension DirectoryRefusal.Reason {
    /// What a file's cell should have held, for an import's report.
    var expected: String {
        switch self {
        case .codeFormat: "a code of lowercase letters, digits and hyphens, its parts joined by dots (service.streetlight), at most 60 characters"
        case .codeOutsideParent: "a code beginning with its parent's code and a dot"
        case .codeTaken: "a code not yet used"
        case .nameLength: "a name of 1–40 characters"
        case .unknownParent: "the code of a recorded parent"
        case .parentLevel: "a parent above the village level"
        case .unknownArea: "the division code of an area of the city in use"
        case .areaInUse: "an area with no area in use below it"
        case .alreadyRetired: "something still in use"
        case .kindFormat: "a kind of work in lowercase letters, digits and hyphens (market-supervision), 2–40 characters"
        case .centreArea: "an area that runs a centre (a county, town or village, not a grid)"
        case .unknownDepartment: "a department in use"
        case .unknownCategory: "a recorded category"
        case .limitFormat: "a time limit like 4h, 8wh, 5wd or 30d"
        case .unknownDepartmentKind: "the kind of work of a department in use (or nothing: the centre handles it)"
        case .handlingLevel: "a level that runs a centre: county, town or village"
        case .keywordLength: "keywords of 1–20 characters, separated by commas, 、 or spaces"
        case .tooManyKeywords: "at most \(AdministrationCategories.keywordLimit) keywords"
        case .fileMissing, .fileTooLarge, .fileNotJSON, .notFeatureCollection, .nothingAccepted, .changedMeanwhile: "a row the administration pages accept"
        }
    }
}

extension AdministrationUsers.Refusal.Reason {
    /// What a file's cell should have held, for an import's report.
    var expected: String {
        switch self {
        case .usernameFormat: "a username of 3–32 lowercase letters, digits, dots, hyphens or underscores, starting with a letter or digit"
        case .usernameTaken: "a username not yet taken"
        case .displayNameLength: "a name of 1–40 characters"
        case .phoneFormat: "a phone number of 7–13 digits (hyphens allowed)"
        case .passwordLength: "a password of \(AdministrationUsers.minimumPasswordLength)–72 characters, or nothing for a generated one"
        case .unknownArea: "the division code of an area of the city"
        case .citizenPost: "a staff role, not citizen"
        case .departmentNeeded: "the department a department handler works for"
        case .unknownDepartment: "a department in use"
        case .departmentOutsideArea: "a department in the post's area"
        case .unknownUser, .unknownPost, .lastPost, .ownAccount: "a row the administration pages accept"
        }
    }
}
