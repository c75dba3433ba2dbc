import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// The grid's base data and visits on both databases, through the use cases as the server calls
/// them: who sees which people, masks and reveals, imports that write all or nothing, the visit
/// cadence at month ends, visits that become cases, and the history of changes.
@Suite struct BaseDataTests {
    static let header = ["网格编码", "户号", "住址", "姓名", "身份证号", "联系电话", "与户主关系", "人员类别", "户籍类型"]
    static let zhangID = PersonalData.idNumber(body: "37990019500101123")
    static let liID = PersonalData.idNumber(body: "37990019800202234")
    static let wangID = PersonalData.idNumber(body: "37990019900303345")

    static func file(_ rows: [[String]], header: [String] = header) -> [UInt8] {
        CSV.byteOrderMark + ([header] + rows).flatMap(CSV.line)
    }

    /// One household in the first grid: 张三 (ordinary, with a phone) and 李四 (community correction).
    static func household(_ city: TinyCity, grid: Int = 1) -> [[String]] {
        let code = city.grids[grid - 1].code
        return [
            [code, "A1", "和平村1组3号", "张三", zhangID, "13812345678", "户主", "普通人员", "户籍"],
            [code, "A1", "和平村1组3号", "李四", liID, "", "配偶", "社区矫正人员", "户籍"],
        ]
    }

    /// The village's dispatcher, granted the community-correction kind, imports the household.
    static func imported(_ city: TinyCity, services: OneGridServices? = nil) async throws -> (zhang: Resident, li: Resident) {
        let services = services ?? city.services
        let village = try await city.principal("village1")
        try await services.baseData.setGrantedKinds(["communityCorrection"], postID: village.post.id)
        let outcome = try await services.gridBaseData.importResidents(file(household(city)), by: village)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.households == 1 && outcome.residents == 2)
        let people = try await services.gridBaseData.residents(gridID: city.grids[0].id, for: village.post)
        let zhang = try #require(people.first { $0.name == "张三" })
        let li = try #require(people.first { $0.name == "李四" })
        return (zhang, li)
    }

    /// A department in a town of its own, beside the tiny city's only town.
    static func otherTownsDepartment(_ city: TinyCity) async throws -> Principal {
        let county = try #require(city.directory.areas.values.first { $0.level == .county })
        let town = Area(id: 9_001, code: String(county.code.prefix(6)) + "999000", name: "远山镇", level: .town, parentID: county.id)
        try await city.services.hierarchy.insert(areas: [NewArea(area: town)])
        let department = Department(id: 9_001, name: "远山镇派出所", kind: "police", areaID: town.id, level: .town)
        try await city.services.hierarchy.insert(departments: [department])
        return try await city.addUser(id: 9_001, username: "police.far", role: .departmentHandler, area: town, department: department)
    }

    @Test(arguments: TestDatabases.kinds)
    func aPostSeesItsAreasPeopleMaskedAndSensitiveKindsOnlyWhenGranted(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (zhang, li) = try await Self.imported(city)
            let data = city.services.gridBaseData
            let village = try await city.principal("village1")
            #expect(zhang.idNumber == PersonalData.maskIDNumber(Self.zhangID), "lists show ID numbers masked")
            #expect(zhang.phone == "138****5678")

            // The grid worker was granted no sensitive kind: 李四 is absent from the list, a search by
            // name or ID number, the household's people and the export's pages, and their file is
            // "not found".
            let worker = try await city.principal("gridworker1")
            #expect(try await data.residents(gridID: city.grids[0].id, for: worker.post).map(\.name) == ["张三"])
            #expect(try await data.residents(text: "李", for: worker.post).isEmpty)
            #expect(try await data.residents(text: Self.liID, for: worker.post).isEmpty)
            #expect(try await data.residents(text: String(Self.liID.prefix(8)), for: worker.post).map(\.name) == ["张三"])
            #expect(try await data.personFile(zhang.id, for: worker.post).members.map(\.name) == ["张三"])
            await #expect(throws: DomainError.notFound("resident \(li.id)", field: "id")) { try await data.personFile(li.id, for: worker.post) }
            #expect(try await data.residents(text: "李", for: village.post).map(\.name) == ["李四"], "the granted post finds them")

            // A department sees the people of its own area, and a department of another town nothing.
            let committee = try await city.principal("handler.village1")
            #expect(try await data.residents(gridID: city.grids[0].id, for: committee.post).map(\.name) == ["张三"])
            let far = try await Self.otherTownsDepartment(city)
            #expect(try await data.residents(for: far.post).isEmpty)
            #expect(try await data.residents(text: "张三", for: far.post).isEmpty)
            await #expect(throws: DomainError.self) { try await data.personFile(zhang.id, for: far.post) }

            // A reveal needs a role that may see it and a purpose, and is logged with the purpose.
            await #expect(throws: DomainError.invalid(field: "purpose", "expected the purpose of seeing it, 2–200 characters")) {
                try await data.reveal(.idNumber, ofResident: zhang.id, purpose: " ", by: village)
            }
            await #expect(throws: DomainError.self) { try await data.reveal(.phone, ofResident: zhang.id, purpose: "核实身份", by: committee) }
            #expect(try await data.reveal(.idNumber, ofResident: zhang.id, purpose: "核实低保申请人身份", by: village) == Self.zhangID)
            let acts = try await city.services.adminActs().filter { $0.act == "resident.reveal" }
            #expect(acts.map(\.details) == [["field": "idNumber", "purpose": "核实低保申请人身份"]])
            #expect(acts.map(\.userID) == [village.user.id])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func anImportWithBadRowsReportsEachAndWritesNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let village = try await city.principal("village1")
            let grid = city.grids[0].code
            let wrongCheck = String(Self.wangID.dropLast()) + (Self.wangID.last == "1" ? "2" : "1")
            let rows = [
                [grid, "B1", "和平村2组1号", "王五", Self.wangID, "", "户主", "独居老人", "户籍"],
                [grid, "B2", "和平村2组2号", "赵六", wrongCheck, "", "户主", "普通人员", "流动"],
                ["379999999999", "B3", "和平村2组3号", "孙七", Self.zhangID, "", "户主", "普通人员", "户籍"],
                [grid, "B4", "和平村2组4号", "周八", Self.wangID, "12", "户主", "外星人", "户籍"],
                [grid, "B5", "和平村2组5号", "", Self.liID, "", "户主", "普通人员", "本地"],
                [city.grids[2].code, "B6", "幸福村1组1号", "吴九", PersonalData.idNumber(body: "37990019700404456"), "", "户主", "普通人员", "户籍"],
            ]
            let outcome = try await city.services.gridBaseData.importResidents(Self.file(rows), by: village)
            #expect(outcome.households == 0 && outcome.residents == 0)
            #expect(
                outcome.problems.map { "\($0.line) \($0.field)" } == [
                    "3 idNumber", "4 grid", "5 idNumber", "5 kind", "5 phone", "6 name", "6 registration", "7 grid",
                ])
            #expect(outcome.problems.first { $0.line == 5 && $0.field == "idNumber" }?.expected.contains("line 2") == true)
            #expect(try await city.count("residents") == 0)
            #expect(try await city.count("households") == 0)
            #expect(try await city.count("base_changes") == 0)

            let missing = try await city.services.gridBaseData.importResidents(Self.file([], header: Array(Self.header.dropLast())), by: village)
            #expect(missing.problems == [.init(line: 1, field: "registration", expected: "a column named 户籍类型 or registration")])

            // The good row alone goes in; sent again, its person is already recorded.
            let good = Self.file([rows[0]])
            #expect(try await city.services.gridBaseData.importResidents(good, by: village).residents == 1)
            let again = try await city.services.gridBaseData.importResidents(good, by: village)
            #expect(again.problems.map { "\($0.line) \($0.field)" } == ["2 idNumber"])
            #expect(try await city.count("residents") == 1)
        }
    }

    /// Services whose clock reads `date`.
    static func services(_ city: TinyCity, at date: Date) async throws -> OneGridServices {
        try await OneGridServices(database: city.database, clock: ServerClock(offset: date.timeIntervalSinceNow))
    }

    static func shanghai(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text + "+08:00")!
    }

    @Test(arguments: TestDatabases.kinds)
    func aMonthlyVisitRecordedOnTheLastOfJanuaryIsDueThroughFebruaryTheTwentyEighthAndOverdueOnMarchTheFirst(
        kind: OneGridDatabase.Kind
    ) async throws {
        try await TinyCity.with(kind) { city in
            let recorded = try await Self.services(city, at: Self.shanghai("2027-01-31T10:00:00"))
            let village = try await city.principal("village1")
            let code = city.grids[0].code
            let row = [code, "C1", "和平村3组1号", "王五", Self.wangID, "", "户主", "独居老人", "户籍"]
            #expect(try await recorded.gridBaseData.importResidents(Self.file([row]), by: village).problems.isEmpty)

            let worker = try await city.principal("gridworker1")
            let grid = city.grids[0].id
            // 2027-02-15 is a Monday: the week to the 21st holds no due visit; the next week's does.
            #expect(try await Self.services(city, at: Self.shanghai("2027-02-15T09:00:00")).visits.dueThisWeek(for: worker.post).isEmpty)
            let due = try await Self.services(city, at: Self.shanghai("2027-02-22T09:00:00")).visits.dueThisWeek(for: worker.post)
            #expect(due.map(\.dueAt) == [Self.shanghai("2027-02-28T00:00:00")])
            #expect(due.map(\.label) == ["和平村3组1号"])

            let lastDay = try await Self.services(city, at: Self.shanghai("2027-02-28T23:59:00"))
            #expect(try await lastDay.visits.overdue(for: village.post).grids.first { $0.grid.id == grid }?.overdue == 0)
            let march = try await Self.services(city, at: Self.shanghai("2027-03-01T00:00:01"))
            let overdue = try await march.visits.overdue(for: village.post)
            #expect(overdue.grids.map(\.overdue) == [1, 0])
            #expect(overdue.workers.first { $0.grid.id == grid }?.overdue == 1)

            // A visit on 1 March moves the next to 1 April.
            let household = due[0].subject
            _ = try await march.visits.log(.init(subject: "household", subjectID: household.id, whom: "王五本人", findings: "身体尚好"), by: worker)
            #expect(try await march.visits.dueThisWeek(for: worker.post).isEmpty)
            #expect(try await city.services.baseData.household(id: household.id)?.visitDueAt == Self.shanghai("2027-04-01T00:00:00"))
            #expect(try await march.visits.overdue(for: village.post).workers.first { $0.grid.id == grid }?.visitsThisMonth == 1)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aVisitTurnedIntoACaseLinksBothWays(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (zhang, _) = try await Self.imported(city)
            let worker = try await city.principal("gridworker1")
            let visit = try await city.services.visits.log(
                .init(subject: "household", subjectID: zhang.householdID, location: city.point(inGrid: 1), whom: "张三", findings: "门口路灯坏了三天"),
                by: worker)
            #expect(visit.position == .inGrid)
            let outside = try await city.services.visits.log(
                .init(subject: "household", subjectID: zhang.householdID, location: city.point(inGrid: 2), whom: "张三", findings: "复访"), by: worker)
            #expect(outside.position == .outsideGrid)

            let form = IntakeForm(title: "门口路灯不亮", categoryCode: "service.streetlight")
            let turned = try await city.services.visits.turnIntoCase(visitID: visit.id, form, by: worker)
            #expect(turned.intake.record.description == "门口路灯坏了三天", "the findings describe the case")
            #expect(turned.intake.record.file.areas.grid == city.grids[0].id)
            #expect(try await city.services.baseData.visit(id: visit.id)?.caseID == turned.intake.record.id)
            let subjects = try await city.services.gridBaseData.subjects(ofCase: turned.intake.record.id, for: worker.post)
            #expect(subjects.map(\.subject) == [SubjectRef(.household, zhang.householdID)])
            #expect(subjects.map(\.ordinalThisYear) == [1])
            #expect(try await city.services.gridBaseData.personFile(zhang.id, for: worker.post).cases.map(\.id) == [turned.intake.record.id])

            // Sent again (a phone retrying), the same case comes back and nothing is linked twice.
            let retried = try await city.services.visits.turnIntoCase(visitID: visit.id, form, by: worker)
            #expect(retried.intake.record.id == turned.intake.record.id && retried.intake.isReplay)
            #expect(try await city.count("case_subjects") == 1)

            // A visit from the phone's outbox, sent twice with its key, is one visit.
            let visitsBefore = try await city.count("visits")
            let keyed = Visits.Form(subject: "household", subjectID: zhang.householdID, whom: "张三", findings: "离线记录的走访")
            let sent = try await city.services.visits.log(keyed, by: worker, idempotencyKey: "phone-visit-1")
            let resent = try await city.services.visits.log(keyed, by: worker, idempotencyKey: "phone-visit-1")
            #expect(resent.id == sent.id && resent.findings == "离线记录的走访")
            #expect(try await city.count("visits") == visitsBefore + 1)

            // A later case about the same household is its second this year.
            let second = try await city.report(at: city.services.clock.now)
            try await city.services.gridBaseData.link(caseID: second.id, to: [SubjectRef(.household, zhang.householdID)], by: worker)
            #expect(try await city.services.gridBaseData.subjects(ofCase: second.id, for: worker.post).map(\.ordinalThisYear) == [2])

            // Another grid's worker cannot log a visit here.
            let other = try await city.addUser(id: 9_002, username: "worker.grid2", role: .gridWorker, area: city.grids[1])
            await #expect(throws: DomainError.self) {
                try await city.services.visits.log(.init(subject: "household", subjectID: zhang.householdID, whom: "张三", findings: "x"), by: other)
            }

            // Logged and reported in one call: a case without its title is refused before the
            // visit is written; with it, visit and case come back linked, and once with their key.
            let untitled = IntakeForm(title: " ", categoryCode: "service.streetlight")
            await #expect(throws: DomainError.invalid(field: "case.title", "a case made of the visit needs a title")) {
                try await city.services.visits.log(keyed, reporting: untitled, by: worker, idempotencyKey: "phone-visit-2")
            }
            #expect(try await city.count("visits") == visitsBefore + 1)
            let reporting = IntakeForm(title: "楼道灯不亮", categoryCode: "service.streetlight")
            let both = try await city.services.visits.log(keyed, reporting: reporting, by: worker, idempotencyKey: "phone-visit-2")
            let bothAgain = try await city.services.visits.log(keyed, reporting: reporting, by: worker, idempotencyKey: "phone-visit-2")
            #expect(both.visit.caseID == both.intake?.record.id && both.intake?.record.title == "楼道灯不亮")
            #expect(bothAgain.visit.id == both.visit.id && bothAgain.intake?.record.id == both.intake?.record.id)
            #expect(try await city.count("visits") == visitsBefore + 2)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func historyRecordsWhoChangedWhatWithPersonalFieldsMasked(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (zhang, li) = try await Self.imported(city)
            let worker = try await city.principal("gridworker1")
            let village = try await city.principal("village1")
            func due() async throws -> Date { try #require(try await city.services.baseData.household(id: zhang.householdID)?.visitDueAt) }
            let monthly = try await due()
            // 李四 leaves community correction: the household is ordinary, visited twice a year.
            _ = try await city.services.gridBaseData.update(residentID: li.id, ResidentChange(kind: "ordinary"), by: village)
            let halfYearly = try await due()
            #expect(halfYearly > monthly)
            _ = try await city.services.gridBaseData.update(
                residentID: zhang.id, ResidentChange(phone: "13900001111", kind: "hardship"), by: worker)
            #expect(try await due() == monthly, "a hardship household is visited monthly")
            let history = try await city.services.baseData.history(of: SubjectRef(.resident, zhang.id))
            #expect(history.map(\.action) == ["import", "update"])
            #expect(history[0].userID == village.user.id)
            #expect(history[1].userID == worker.user.id && history[1].postID == worker.post.id)
            #expect(history[1].fields == ["phone": ["138****5678", "139****1111"], "kind": ["ordinary", "hardship"]])
            #expect(try await city.services.baseData.history(of: SubjectRef(.resident, li.id)).last?.fields == ["kind": ["communityCorrection", "ordinary"]])

            await #expect(throws: DomainError.self) {
                try await city.services.gridBaseData.update(residentID: zhang.id, ResidentChange(kind: "communityCorrection"), by: worker)
            }
            let far = try await Self.otherTownsDepartment(city)
            await #expect(throws: DomainError.self) {
                try await city.services.gridBaseData.update(residentID: zhang.id, ResidentChange(name: "张三丰"), by: far)
            }
            #expect(try await city.services.baseData.history(of: SubjectRef(.resident, zhang.id)).count == 2)
        }
    }
}
