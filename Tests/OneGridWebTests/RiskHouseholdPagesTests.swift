import Foundation
import HTTPTypes
import OneGridDomain
import OneGridStore
@testable import OneGridWeb
import SQLKit
import Testing

/// A household as a risk matter on the pages and in the API: a red dispute concerning a key
/// person's household makes the household red, named by its address, with its reason, on the
/// town's picture, on its own history page, in the JSON API and on the person's file.
@Suite struct RiskHouseholdPagesTests {
    @Test func aKeyPersonsHouseholdInARedDisputeIsShownByItsAddressWithItsReason() async throws {
        try await TestApp.pages { browser, api, city in
            let (id, _, mediator) = try await DisputeAPITests.assignedDispute(api, city)
            let violence = try await api.send(.post, "/api/v1/disputes/\(id)/steps", token: mediator, body: ["action": "reportViolence", "note": "一方扬言报复"])
            #expect(violence.status == .ok, "\(violence.json)")
            // The dispute concerns a household of the town where a key person lives, linked as a
            // case's subjects are.
            struct Keyed: Decodable {
                var householdId: Int64
                var memberId: Int64
            }
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            // A key person's household with an ordinary member too, whose file a leader may open.
            let (person, label) = try await OneGridDatabase.using(city.databasePath) { database in
                let key = SQLColumn("kind", table: "residents")
                let person = try #require(
                    try await database.reader.select().column(SQLColumn("household_id", table: "residents"))
                        .column(SQLColumn("id", table: "members"), as: "member_id").from("residents")
                        .join(SQLAlias(SQLIdentifier("residents"), as: SQLIdentifier("members")), on: SQLColumn("household_id", table: "members"), .equal,
                            SQLColumn("household_id", table: "residents"))
                        .where(key, .in, SQLBind.group(RiskRules.defaults.keyPersonKinds)).where(SQLColumn("kind", table: "members"), .equal, SQLBind("ordinary"))
                        .where(SQLColumn("town_id", table: "residents"), .equal, SQLBind(town.id)).orderBy(SQLColumn("id", table: "residents"))
                        .first(decoding: Keyed.self, keyDecodingStrategy: .convertFromSnakeCase), "the tiny city's register holds key persons")
                let people = SQLPeopleStore(database: database)
                let user = try #require(try await people.credentials(username: "village1")?.user)
                let post = try #require(try await people.posts(ofUser: user.id).first)
                let store = SQLBaseDataStore(database: database)
                try await store.link(caseID: id, to: [SubjectRef(.household, person.householdId)], by: Principal(user: user, post: post), at: Date())
                return (person, try #require(try await store.household(id: person.householdId)).label)
            }
            try await city.judgeRisk(Date())

            try await browser.signIn("leader.town1")
            let page = try await browser.get("/risk")
            let link = "/risk/matters/\(person.householdId)?kind=household"
            #expect(page.html.contains(link.replacingOccurrences(of: "&", with: "&amp;")), "the household among the red matters")
            #expect(page.html.contains(label) && page.html.contains("户内有重点人员，且涉及 1 件红色事项"))
            let matter = try await browser.get(link)
            #expect(matter.status == .ok && matter.html.contains("住户 · \(label)") && matter.html.contains("系统研判"))

            let leader = try await api.signIn("leader.town1")
            let json = try await api.send(.get, "/api/v1/risk/matters/\(person.householdId)?kind=household", token: leader)
            #expect(json.status == .ok, "\(json.json)")
            let standing = try #require(json["standing"] as? [String: Any], "\(json.json)")
            #expect(standing["kind"] as? String == "household" && standing["title"] as? String == label && standing["colour"] as? String == "red")
            #expect((standing["reasons"] as? [[String: Any]])?.first?["rule"] as? String == "keyHouseholdInRedMatter")

            let file = try await browser.get("/residents/\(person.memberId)")
            #expect(file.status == .ok && file.html.contains("风险等级") && file.html.contains("户内有重点人员，且涉及 1 件红色事项"), "the colour on the household's file")
        }
    }
}
