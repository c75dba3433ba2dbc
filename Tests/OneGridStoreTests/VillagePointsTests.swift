import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// A village's points scheme on each database: rules written by its centre, points recorded by
/// its centre and grid workers and by nobody else, redemptions never past the balance, the
/// ranking and the ledger, and a ledger entry changed afterwards found by the chain.
@Suite struct VillagePointsTests {
    @Test(arguments: TestDatabases.kinds)
    func aVillageRunsItsSchemeAndItsLedgerShowsTampering(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let points = city.services.villagePoints
            let (zhang, _) = try await BaseDataTests.imported(city)
            let household = zhang.householdID
            let village1 = try await city.principal("village1")
            let worker = try await city.principal("gridworker1")
            let town1 = try await city.principal("town1")
            let villageID = village1.post.areaID
            #expect(points.homeVillage(of: worker.post) == villageID && points.homeVillage(of: village1.post) == villageID)

            // Rules: the village's centre only; a bad rule names its field.
            let volunteer = try await points.defineRule(villageID, name: "参加志愿服务", points: 5, by: village1)
            let mess = try await points.defineRule(villageID, name: "门前乱堆乱放", points: -3, by: village1)
            await #expect(throws: DomainError.invalid(field: "points", "points from −100 to 100, not 0")) {
                try await points.defineRule(villageID, name: "无分值", points: 0, by: village1)
            }
            await #expect(throws: DomainError.invalid(field: "name", "a name of 1–60 characters")) {
                try await points.defineRule(villageID, name: " ", points: 2, by: village1)
            }
            for other in [worker, town1] {
                await #expect(throws: DomainError.self) { try await points.defineRule(villageID, name: "x", points: 1, by: other) }
            }

            // Recording: the grid worker and the centre; a town's dispatcher reads but does not record.
            let first = try await points.record(householdID: household, ruleID: volunteer.id, note: "清扫村道", by: worker)
            #expect(first.sequence == 1 && first.points == 5 && first.kind == .award && first.note == "参加志愿服务：清扫村道")
            _ = try await points.record(householdID: household, ruleID: volunteer.id, note: nil, by: village1)
            let deducted = try await points.record(householdID: household, ruleID: mess.id, note: nil, by: worker)
            #expect(deducted.kind == .deduction && deducted.points == -3)
            await #expect(throws: DomainError.self) { try await points.record(householdID: household, ruleID: volunteer.id, note: nil, by: town1) }

            // Redemption: only the centre, never past the balance (7), nothing written when refused.
            await #expect(throws: DomainError.invalid(field: "points", "the household holds 7 points; it cannot spend 10")) {
                try await points.redeem(householdID: household, points: 10, item: "洗衣粉", by: village1)
            }
            await #expect(throws: DomainError.self) { try await points.redeem(householdID: household, points: 2, item: "洗衣粉", by: worker) }
            let spent = try await points.redeem(householdID: household, points: 4, item: "洗衣粉一袋", by: village1)
            #expect(spent.kind == .redemption && spent.points == -4 && spent.sequence == 4)

            let board = try await points.board(villageID, for: town1)
            #expect(board.ranking.map(\.balance) == [3] && board.ranking.first?.earned == 10)
            #expect(board.ranking.first?.household.head == "张三" && board.ranking.first?.household.address == "和平村1组3号")
            #expect(board.ledger.map(\.entry.sequence) == [4, 3, 2, 1] && board.ledger.last?.recordedBy == worker.user.displayName)
            #expect(!board.keepsRules && !board.records && board.rules.count == 2)
            let verified = try await points.verify(villageID, for: town1)
            #expect(verified.entries == 4 && verified.findings.isEmpty)

            // A retired rule records nothing more.
            _ = try await points.retireRule(mess.id, by: village1)
            await #expect(throws: DomainError.invalid(field: "ruleID", "rule \(mess.id) is retired")) {
                try await points.record(householdID: household, ruleID: mess.id, note: nil, by: worker)
            }

            // An entry changed behind the ledger's back is found.
            try await city.database.transaction { db in
                try await db.update("points_entries").set("points", to: SQLBind(50)).where("village_id", .equal, villageID)
                    .where("sequence", .equal, 1).run()
            }
            let checked = try await points.verify(villageID, for: village1)
            #expect(checked.entries == 4 && checked.findings == ["points entry 1: edited: content does not match its hash"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRuleEarnsOnlyInItsOwnVillage(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let points = city.services.villagePoints
            _ = try await BaseDataTests.imported(city)
            let village1 = try await city.principal("village1")
            let villages = city.directory.areas.values.filter { $0.level == .village }.sorted { $0.code < $1.code }
            let other = try #require(villages.first { $0.id != village1.post.areaID })
            let neighbour = try await city.addUser(id: 9_101, username: "other.village", role: .dispatcher, area: other)
            let grid = try #require(city.grids.firstIndex { $0.parentID == other.id })
            let outcome = try await city.services.gridBaseData.importResidents(
                BaseDataTests.file([[city.grids[grid].code, "B1", "红星村2组8号", "王五", BaseDataTests.wangID, "", "户主", "普通人员", "户籍"]]),
                by: neighbour)
            #expect(outcome.problems.isEmpty)
            let wang = try #require(try await city.services.gridBaseData.residents(text: "王五", for: neighbour.post).first)
            let rule = try await points.defineRule(village1.post.areaID, name: "参加志愿服务", points: 5, by: village1)
            await #expect(throws: DomainError.self) { try await points.record(householdID: wang.householdID, ruleID: rule.id, note: nil, by: village1) }
            await #expect(throws: DomainError.invalid(field: "ruleID", "rule \(rule.id) is another village's; a household earns under its own village's rules")) {
                try await points.record(householdID: wang.householdID, ruleID: rule.id, note: nil, by: neighbour)
            }
            #expect(try await city.count("points_entries") == 0)
        }
    }
}
