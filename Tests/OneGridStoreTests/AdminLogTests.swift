import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// The administrators' own acts go into a hash-chained log with their change, and an edit, a
/// removal or a forged tail of that log is reported by the audit.
@Suite struct AdminLogTests {
    @Test(arguments: TestDatabases.kinds)
    func actsAreLoggedWithTheirChangeAndTamperingIsReported(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let village = try #require(city.directory.areas.values.first { $0.level == .village })
            let users = city.services.administrationUsers
            let created = try await users.create(
                username: "sun.li", displayName: "孙丽", phone: nil, password: nil,
                post: .init(role: .dispatcher, areaID: village.id, departmentID: nil), by: admin)
            try await users.setDisabled(userID: created.account.user.id, true, by: admin)
            // A refused change writes nothing, in the log either.
            await #expect(throws: AdministrationUsers.Refusal.self) {
                try await users.setDisabled(userID: admin.user.id, true, by: admin)
            }
            await #expect(throws: AdministrationUsers.Refusal.self) {
                _ = try await users.create(
                    username: "sun.li", displayName: "又一个", phone: nil, password: nil,
                    post: .init(role: .dispatcher, areaID: village.id, departmentID: nil), by: admin)
            }
            try await city.services.deadlineSettings.setYellowShare(0.7, by: admin)
            try await city.services.administrationAreas.rename(areaID: village.id, to: "幸福村", by: admin)
            let id = try await city.report().id
            _ = try await city.services.reading.reveal(.phone, of: id, by: try await city.principal("village1"))

            let acts = try await city.services.adminActs()
            #expect(acts.map(\.act) == ["user.create", "user.disable", "settings.yellowShare", "area.rename", "case.reveal"])
            #expect(acts.map(\.sequence) == [1, 2, 3, 4, 5])
            #expect(acts[0].userID == admin.user.id && acts[0].postID == admin.post.id)
            #expect(acts[0].subject == "user sun.li" && acts[0].details["role"] == "dispatcher")
            #expect(acts[3].subject == "area \(village.code)" && acts[3].details == ["name": "幸福村"])
            #expect(acts[4].subject == "case \(id)" && acts[4].details == ["field": "phone"])
            #expect(try await AdminLog.verify(in: city.database) == (5, []))

            // Someone with the database's password hides who disabled the account.
            try await city.database.transaction { db in
                try await db.raw("UPDATE admin_acts SET user_id = \(bind: created.account.user.id) WHERE sequence = 2").run()
            }
            let edited = try await AdminLog.verify(in: city.database)
            #expect(edited.findings.count == 1 && edited.findings[0].contains("act 2: edited"), "\(edited.findings)")
            // Removing the last act is seen against the log's head.
            try await city.database.transaction { db in
                try await db.raw("UPDATE admin_acts SET user_id = \(bind: admin.user.id) WHERE sequence = 2").run()
                try await db.raw("DELETE FROM admin_acts WHERE sequence = 5").run()
            }
            let removed = try await AdminLog.verify(in: city.database)
            #expect(removed.findings == ["the administrators' log records 5 acts, it holds 4"], "\(removed.findings)")
        }
    }
}
