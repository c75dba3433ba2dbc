import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// Departments, accounts and categories from files, with the sample files of the README: each
/// kind lands through the administration use cases (and so in the administrators' log); a file
/// with bad rows names each and leaves the database as it was; `partial` writes exactly the good
/// rows; an imported account signs in as its post.
extension ImportTests {
    /// Reads a sample file as `onegrid import` does and imports it as the demo's administrator.
    static func importing(
        _ kind: DirectoryImport.Kind, _ name: String, partial: Bool = false, into city: TinyCity
    ) async throws -> DirectoryImport.Outcome {
        let read = try ImportRecord.records(try fixture(name), named: name, columns: kind.columns)
        return try await city.services.directoryImport.importRecords(
            kind, read.records, readProblems: read.problems, partial: partial, by: try await city.principal("admin"))
    }

    @Test(arguments: TestDatabases.kinds)
    func departmentsCategoriesAndUsersImportAndAnImportedUserSignsInAsItsPost(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let actsBefore = try await city.count("admin_acts")
            let departments = try await Self.importing(.departments, "departments.csv", into: city)
            #expect(departments.written == 3 && departments.problems.isEmpty)
            let directory = { city.services.directory }
            let culture = try #require(directory().departments.values.first { $0.name == "城关镇文化旅游服务中心" })
            #expect(culture.kind == "culture" && culture.level == .town && directory().areas[culture.areaID]?.code == "379901001000")

            let categories = try await Self.importing(.categories, "categories.csv", into: city)
            #expect(categories.written == 5 && categories.problems.isEmpty)
            let noise = try #require(directory().category(code: "culture.noise"))
            #expect(noise.parentID == directory().category(code: "culture")?.id)
            #expect(noise.platform == .governance && noise.kind == .general)
            #expect(noise.handlingLevel == .town && noise.departmentKind == "culture")
            #expect(noise.acceptanceLimit == TimeLimit(4, .hours) && noise.handlingLimit == TimeLimit(5, .workingDays) && noise.escalatesWhenOverdue)
            #expect(noise.keywords == ["广场舞", "噪声", "音响"])
            #expect(directory().category(code: "agriculture")?.platform == .convenienceServices)
            // Stored, not only held: a directory read afresh has them.
            let stored = try await SQLHierarchyStore(database: city.database).loadDirectory()
            #expect(stored.category(code: "service.property")?.parentID == directory().category(code: "service")?.id)

            let users = try await Self.importing(.users, "users.csv", into: city)
            #expect(users.written == 4 && users.problems.isEmpty)
            #expect(users.generatedPasswords.map { "\($0.line) \($0.username)" } == ["6 chen.admin"])
            let dispatcher = try await city.principal("wang.dispatch")
            let posts = try await city.people.posts(ofUser: dispatcher.user.id)
            #expect(posts.map(\.role) == [.dispatcher, .windowClerk])

            let handler = try await city.services.sessions.signIn(username: "li.culture", password: "Wenlv-start-01", postID: nil)
            #expect(handler.principal.post.role == .departmentHandler && handler.principal.post.departmentID == culture.id)
            let generated = try #require(users.generatedPasswords.first?.password)
            let administrator = try await city.services.sessions.signIn(username: "chen.admin", password: generated, postID: nil)
            #expect(administrator.principal.post.role == .administrator && administrator.principal.post.areaID == directory().area(code: "379901000000")?.id)

            let ndjson = try await Self.importing(.users, "users.ndjson", into: city)
            #expect(ndjson.written == 1 && ndjson.problems.isEmpty && ndjson.generatedPasswords.isEmpty)
            let hotline = try await city.services.sessions.signIn(username: "sun.hotline", password: "Hotline-2025", postID: nil)
            #expect(hotline.posts.map(\.role) == [.hotlineAgent, .dispatcher])

            // Every row went through the administration use cases: 3 departments, 5 categories
            // and 3 of their keyword lists, 5 accounts and 2 further posts.
            #expect(try await city.count("admin_acts") - actsBefore == 3 + 5 + 3 + 5 + 2)
            let audit = try await AdminLog.verify(in: city.database)
            #expect(audit.findings.isEmpty)

            // The same file again: every department is already there, and nothing is written twice.
            let again = try await Self.importing(.departments, "departments.csv", into: city)
            #expect(again.written == 0 && again.problems.map { "\($0.line) \($0.field)" } == ["2 name", "3 name", "4 name"])
            #expect(directory().departments.values.filter { $0.name == "城关镇文化旅游服务中心" }.count == 1)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aDirectoryFileWithBadRowsNamesEachAndWritesNothingUnlessPartial(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let users = try await city.count("users")
            let acts = try await city.count("admin_acts")
            let refused = try await Self.importing(.users, "users-with-errors.csv", into: city)
            #expect(refused.written == 0 && refused.generatedPasswords.isEmpty)
            #expect(
                refused.problems.map { "\($0.line) \($0.field)" } == ["2 username", "3 area", "4 department", "5 username", "6 role", "7 password"])
            #expect(refused.problems[0].expected == "a username not yet taken, got 'admin'")
            #expect(refused.problems[2].expected.contains("不存在的部门"))
            #expect(try await city.count("users") == users)
            #expect(try await city.count("admin_acts") == acts)

            let categories = try await city.count("categories")
            let badCategories = try await Self.importing(.categories, "categories-with-errors.csv", into: city)
            #expect(badCategories.written == 0)
            #expect(badCategories.problems.map { "\($0.line) \($0.field)" } == ["3 parent", "4 departmentKind", "5 acceptanceLimit"])
            #expect(try await city.count("categories") == categories)
            // The category the file's good first row wrote was undone with the file, here too.
            #expect(city.services.directory.category(code: "tourism") == nil)

            let partial = try await Self.importing(.users, "users-with-errors.csv", partial: true, into: city)
            #expect(partial.written == 1 && partial.problems.count == 6)
            #expect(try await city.count("users") == users + 1)
            _ = try await city.services.sessions.signIn(username: "he.clerk", password: "Window-clerk-1", postID: nil)

            let partialCategories = try await Self.importing(.categories, "categories-with-errors.csv", partial: true, into: city)
            #expect(partialCategories.written == 1)
            #expect(try await city.count("categories") == categories + 1)
            #expect(city.services.directory.category(code: "tourism")?.platform == .governance)
            #expect(try await city.count("admin_acts") == acts + 2)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRowWhoseLaterStepIsRefusedLeavesNothingOfItsEarlierOne(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            // The category is valid, its keywords are not: the row is refused whole.
            let categories = try await city.count("categories")
            let text = "code,name,platform,handlingLevel,acceptanceLimit,signingLimit,handlingLimit,keywords\n"
                + "tourism,旅游服务,governance,town,1wd,1wd,10wd,这是一个远远超过二十个字符的关键词不能接受的那种\n"
            let read = try ImportRecord.records(Array(text.utf8), named: "categories.csv", columns: DirectoryImport.Kind.categories.columns)
            let outcome = try await city.services.directoryImport.importRecords(
                .categories, read.records, partial: true, by: try await city.principal("admin"))
            #expect(outcome.written == 0 && outcome.problems.map(\.field) == ["keywords"])
            #expect(try await city.count("categories") == categories)
            #expect(city.services.directory.category(code: "tourism") == nil)
        }
    }
}
