import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// The administrator's account use cases over a real store, on each database.
@Suite struct AdministrationUsersTests {
    @Test(arguments: TestDatabases.kinds)
    func aCreatedUserSignsInItsSignInIsRecordedAndTheListFindsIt(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let village = try #require(city.directory.areas.values.first { $0.level == .village })
            let users = city.services.administrationUsers
            let created = try await users.create(
                username: "Wang.Fang", displayName: "王芳", phone: "13800000000", password: nil,
                post: .init(role: .dispatcher, areaID: village.id, departmentID: nil), by: try await city.principal("admin"))
            let password = try #require(created.generatedPassword)
            #expect(created.account.user.username == "wang.fang")
            #expect(created.account.posts.map(\.role) == [.dispatcher])
            #expect(created.account.lastSignInAt == nil)

            let opened = try await city.services.sessions.signIn(username: "wang.fang", password: password, postID: nil)
            #expect(opened.principal.post.areaID == village.id)
            let account = try #require(try await city.people.account(id: created.account.user.id))
            #expect(account.lastSignInAt != nil)

            let byText = try await city.people.accounts(matching: AccountFilter(text: "王芳"))
            #expect(byText.map(\.user.username) == ["wang.fang"])
            let byRoleAndArea = try await city.people.accounts(matching: AccountFilter(role: .dispatcher, areaID: village.id))
            #expect(byRoleAndArea.contains { $0.user.username == "wang.fang" })
            #expect(try await city.people.accounts(matching: AccountFilter(role: .leader, areaID: village.id)).isEmpty)
            #expect(try await city.people.userCountsByRole()[.dispatcher, default: 0] >= 1)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func badInputIsRefusedNamingTheFieldAndWritesNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let village = try #require(city.directory.areas.values.first { $0.level == .village })
            let otherArea = try #require(city.directory.areas.values.first { $0.level == .county })
            let department = try #require(city.directory.departments.values.first { $0.areaID != otherArea.id })
            let users = city.services.administrationUsers
            func refusal(_ username: String, password: String? = nil, _ post: AdministrationUsers.PostRequest) async -> AdministrationUsers.Refusal? {
                do {
                    _ = try await users.create(username: username, displayName: "某人", phone: nil, password: password, post: post, by: try await city.principal("admin"))
                    return nil
                } catch { return error as? AdministrationUsers.Refusal }
            }
            let dispatcher = AdministrationUsers.PostRequest(role: .dispatcher, areaID: village.id, departmentID: nil)
            #expect(await refusal("x", dispatcher) == .init(field: "username", reason: .usernameFormat))
            #expect(await refusal("admin", dispatcher) == .init(field: "username", reason: .usernameTaken))
            #expect(await refusal("new.one", password: "short", dispatcher) == .init(field: "password", reason: .passwordLength))
            #expect(await refusal("new.one", .init(role: .departmentHandler, areaID: village.id, departmentID: nil))
                == .init(field: "department", reason: .departmentNeeded))
            #expect(await refusal("new.one", .init(role: .departmentHandler, areaID: otherArea.id, departmentID: department.id))
                == .init(field: "department", reason: .departmentOutsideArea))
            #expect(await refusal("new.one", .init(role: .dispatcher, areaID: 999_999, departmentID: nil)) == .init(field: "area", reason: .unknownArea))
            #expect(try await city.people.accounts(matching: AccountFilter(text: "new.one")).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aDisabledUserCannotSignInAndItsSessionStopsEnablingRestoresSignIn(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let village = try #require(city.directory.areas.values.first { $0.level == .village })
            let admin = try await city.principal("admin")
            let users = city.services.administrationUsers
            let created = try await users.create(
                username: "li.lei", displayName: "李雷", phone: nil, password: "first-password",
                post: .init(role: .dispatcher, areaID: village.id, departmentID: nil), by: try await city.principal("admin"))
            let userID = created.account.user.id
            let opened = try await city.services.sessions.signIn(username: "li.lei", password: "first-password", postID: nil)
            #expect(try await city.services.authenticator.principal(for: opened.token) != nil)

            try await users.setDisabled(userID: userID, true, by: admin)
            #expect(try await city.services.authenticator.principal(for: opened.token) == nil)
            await #expect(throws: SignInRefused.self) {
                try await city.services.sessions.signIn(username: "li.lei", password: "first-password", postID: nil)
            }
            await #expect(throws: AdministrationUsers.Refusal(field: "disabled", reason: .ownAccount)) {
                try await users.setDisabled(userID: admin.user.id, true, by: admin)
            }

            try await users.setDisabled(userID: userID, false, by: admin)
            let chosen = try await users.resetPassword(userID: userID, to: nil, by: admin)
            await #expect(throws: SignInRefused.self) {
                try await city.services.sessions.signIn(username: "li.lei", password: "first-password", postID: nil)
            }
            _ = try await city.services.sessions.signIn(username: "li.lei", password: chosen, postID: nil)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func postsAreAddedAndRemovedButNeverTheLast(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let village = try #require(city.directory.areas.values.first { $0.level == .village })
            let grid = try #require(city.grids.first)
            let users = city.services.administrationUsers
            let created = try await users.create(
                username: "zhao.qiang", displayName: "赵强", phone: nil, password: nil,
                post: .init(role: .dispatcher, areaID: village.id, departmentID: nil), by: try await city.principal("admin"))
            let userID = created.account.user.id
            let first = try #require(created.account.posts.first)
            await #expect(throws: AdministrationUsers.Refusal(field: "post", reason: .lastPost)) {
                try await users.removePost(userID: userID, postID: first.id, by: try await city.principal("admin"))
            }
            let added = try await users.addPost(userID: userID, .init(role: .gridWorker, areaID: grid.id, departmentID: nil), by: try await city.principal("admin"))
            #expect(added.areaLevel == .grid)
            try await users.removePost(userID: userID, postID: first.id, by: try await city.principal("admin"))
            #expect(try await city.people.posts(ofUser: userID).map(\.id) == [added.id])
        }
    }
}
