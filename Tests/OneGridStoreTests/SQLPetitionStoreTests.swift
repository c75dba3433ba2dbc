import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// The petition records on both databases, through the use cases as the server calls them: what
/// is written together, what a refusal leaves untouched, repeats, and the misses per unit.
@Suite struct SQLPetitionStoreTests {
    static let zhang = Petitioner(name: "张建国", phone: "13812345678", idNumber: "330205198001011234")
    static let li = Petitioner(name: "李秀兰", phone: "13900001111", idNumber: "330205197505052246")
    static let wang = Petitioner(name: "王大伟", idNumber: "330205199009093355")
    static let day: TimeInterval = 86_400

    static func registration(_ matter: String = "反映征地补偿款至今未发放到位", people: [Petitioner] = [zhang, li], headcount: Int = 6)
        -> PetitionRegistration
    {
        PetitionRegistration(
            form: "visit", petitionClass: "appeal", headcount: headcount, petitioners: people, matter: matter,
            bodiesAddressed: ["县信访局"], addressedLevel: "county")
    }

    /// A petition case reported at `at`, its petition registered by the county's centre.
    static func petitionCase(
        _ city: TinyCity, _ registration: PetitionRegistration = registration(), at: Date = TinyCity.now
    ) async throws -> Petitions.Registered {
        let draft = try city.draft(
            "petition.collective", title: "集体反映征地补偿", description: registration.matter, by: try await city.principal("window1"),
            channel: .window, at: at)
        let record = try await city.cases.create([draft])[0].record
        return try await city.services.petitions.register(registration, onCase: record.id, by: try await city.principal("county1"), at: at)
    }

    static func bureau(_ city: TinyCity) throws -> PetitionUnit {
        let county = try #require(city.directory.areas.values.first { $0.level == .county })
        let department = try #require(city.directory.departments.values.first { $0.kind == "petition" && $0.areaID == county.id })
        return .department(department.id)
    }

    @Test(arguments: TestDatabases.kinds)
    func registrationStoresTheRecordAndOffersTheSamePeoplesPetitionsOnTheSameMatter(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let first = try await Self.petitionCase(city)
            #expect(first.candidates.isEmpty)
            #expect(first.petition.isCollective)
            let unrelated = try await Self.petitionCase(city, Self.registration("小区门口路灯不亮", people: [Self.zhang], headcount: 1))
            let strangers = try await Self.petitionCase(city, Self.registration("征地补偿款至今未发放", people: [Self.wang], headcount: 1))

            let again = try await Self.petitionCase(city, Self.registration("征地补偿款一直没有发放到位", people: [Self.li, Self.wang]), at: TinyCity.now.addingTimeInterval(Self.day))
            #expect(Set(again.candidates.map(\.caseID)) == [first.petition.caseID, strangers.petition.caseID])
            #expect(!again.candidates.map(\.caseID).contains(unrelated.petition.caseID), "the same person on another matter is no repeat")

            let county = try await city.principal("county1")
            let stored = try #require(try await city.services.petitionRecords.petition(caseID: first.petition.caseID))
            #expect(stored == first.petition, "the record reads back as registered")
            #expect(stored.petitioners[0].idNumber == "330205198001011234", "the dispatcher may reveal; the record keeps the number")

            // A link across matters is refused and writes nothing.
            let across = await outcome {
                try await city.services.petitions.confirmRepeat(caseID: unrelated.petition.caseID, earlierCaseID: first.petition.caseID, by: county)
            }
            #expect((try? across.get()) == nil)
            #expect((across.failure as? DomainError)?.field == "earlierCaseID")
            #expect(try await city.services.petitionRecords.petition(caseID: unrelated.petition.caseID)?.repeatOf == nil)
            #expect(try await city.count("petition_steps", where: unrelated.petition.caseID) == 1)

            let linked = try await city.services.petitions.confirmRepeat(caseID: again.petition.caseID, earlierCaseID: first.petition.caseID, by: county)
            #expect(linked.repeatOf == first.petition.caseID)
            #expect(try await city.services.petitionRecords.steps(caseID: again.petition.caseID).map(\.step) == ["register", "linkRepeat"])

            let twice = await outcome {
                try await city.services.petitions.register(Self.registration(), onCase: first.petition.caseID, by: county, at: TinyCity.now)
            }
            #expect((twice.failure as? DomainError)?.code == .notAllowedInState)

            // Twenty days on, none of the four was routed or answered: the sweep, a page of one
            // petition at a time, records each one's routing and notice limits once.
            #expect(try await city.services.petitions.recordOverdue(at: TinyCity.now.addingTimeInterval(20 * Self.day), batch: 1) == 8)
            #expect(try await city.services.petitionRecords.missCounts() == [
                PetitionMissCount(unit: PetitionUnit(post: county.post), limit: .notice, count: 4),
                PetitionMissCount(unit: PetitionUnit(post: county.post), limit: .route, count: 4),
            ])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aPetitionRecordGoesOnlyOnAPetitionCase(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let streetlight = try await city.report()
            let refused = await outcome {
                try await city.services.petitions.register(Self.registration(), onCase: streetlight.id, by: try await city.principal("county1"), at: TinyCity.now)
            }
            #expect((refused.failure as? DomainError)?.field == "caseID")
            #expect(try await city.count("petitions") == 0)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func eachStepWritesItsRecordLogAndMissesTogetherAndARefusalWritesNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let petitions = city.services.petitions
            let county = try await city.principal("county1")
            let handler = try await city.principal("handler.county1.petition")
            let bureau = try Self.bureau(city)
            let caseID = try await Self.petitionCase(city).petition.caseID

            // Routed on day 16: the county's centre missed its 15 days (Art. 22).
            let routed = try await petitions.take(.route(to: bureau), onCase: caseID, expectedVersion: 1, by: county, at: TinyCity.now.addingTimeInterval(16 * Self.day))
            #expect(routed.stage == .routed && routed.handlingUnit == bureau)
            let countyCentre = PetitionUnit(post: county.post)
            #expect(try await city.services.petitionRecords.misses(of: countyCentre, limit: 10).map(\.limit) == [.route])

            // A stale version and a refused step leave everything as it was.
            let stale = await outcome {
                try await petitions.take(.accept(notice: "已受理"), onCase: caseID, expectedVersion: 1, by: handler, at: TinyCity.now.addingTimeInterval(17 * Self.day))
            }
            #expect((stale.failure as? DomainError)?.code == .versionConflict)
            let refused = await outcome {
                try await petitions.take(.reply(text: "答复"), onCase: caseID, expectedVersion: nil, by: handler, at: TinyCity.now.addingTimeInterval(17 * Self.day))
            }
            #expect((refused.failure as? DomainError)?.message.contains("Art. 34") == true)
            #expect(try await city.count("petition_steps", where: caseID) == 2)
            #expect(try await city.services.petitionRecords.petition(caseID: caseID)?.version == 2)
            #expect(try await city.cases.timeline(caseID: caseID).count == 3, "the report, the registration and the routing; nothing refused")

            let accepted = try await petitions.take(.accept(notice: "您反映的事项已受理"), onCase: caseID, expectedVersion: 2, by: handler, at: TinyCity.now.addingTimeInterval(17 * Self.day))
            #expect(accepted.stage == .accepted)
            let extended = try await petitions.take(
                .extend(by: TimeLimit(30, .days), approvedBy: "县信访局局长", reason: "需会同住建部门核实"), onCase: caseID, expectedVersion: nil,
                by: handler, at: TinyCity.now.addingTimeInterval(40 * Self.day))
            #expect(extended.replyExtension?.approvedBy == "县信访局局长")
            let again = await outcome {
                try await petitions.take(.extend(by: TimeLimit(5, .days), approvedBy: "局长", reason: "再延"), onCase: caseID, expectedVersion: nil, by: handler, at: TinyCity.now.addingTimeInterval(41 * Self.day))
            }
            #expect((again.failure as? DomainError)?.message.contains("Art. 34") == true)

            let view = try await petitions.view(ofCase: caseID, for: county)
            #expect(view.steps.map(\.step) == ["register", "route", "accept", "extend"])
            #expect(view.steps.map(\.unit) == [countyCentre, countyCentre, bureau, bureau])
            #expect(view.steps[2].text == "您反映的事项已受理", "the notice as the petitioner was told it")
            #expect(view.clocks.map(\.limit) == [.reply])
            #expect(view.clocks.first?.dueAt == TinyCity.now.addingTimeInterval((17 + 60 + 30) * Self.day))

            // Past the extended limit the sweep records the bureau's miss once, however often it runs.
            let late = TinyCity.now.addingTimeInterval(108 * Self.day)
            #expect(try await petitions.recordOverdue(at: late) == 1)
            #expect(try await petitions.recordOverdue(at: late.addingTimeInterval(Self.day)) == 0)
            // The late reply finds its miss already recorded.
            _ = try await petitions.take(.reply(text: "经核实，补偿款已补发"), onCase: caseID, expectedVersion: nil, by: handler, at: late.addingTimeInterval(2 * Self.day))
            let leader = try await city.principal("leader")
            let counts = try await petitions.missCounts(for: leader)
            #expect(counts == [
                PetitionMissCount(unit: countyCentre, limit: .route, count: 1), PetitionMissCount(unit: bureau, limit: .reply, count: 1),
            ].sorted { $0.unit.description < $1.unit.description })
            let denied = await outcome { try await petitions.missCounts(for: handler) }
            #expect((denied.failure as? DomainError)?.code == .forbidden)

            // Every step is on the case's hash-chained timeline too, the case otherwise untouched.
            let timeline = try await city.cases.timeline(caseID: caseID).map(\.event)
            #expect(timeline.dropFirst().map(\.action) == Array(repeating: .petitionStep, count: 5))
            #expect(timeline.dropFirst().compactMap { $0.details["step"] } == ["register", "route", "accept", "extend", "reply"])
            #expect(timeline[2].note == "您反映的事项已受理" || timeline[3].note == "您反映的事项已受理")
            #expect(timeline.allSatisfy { $0.toStatus == .reported })
            let record = try #require(try await city.cases.record(id: caseID))
            #expect(record.file.version == 6 && record.file.status == .reported)
            #expect(try await city.cases.verifyTimelines().findings.isEmpty, "the chain and the case row agree")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aClosedCasesTimelineStaysAsItWasWhileItsPetitionIsLogged(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let draft = try city.draft(
                "petition.appeal", title: "反映征地补偿", description: "征地补偿款未发放", by: try await city.principal("window1"), channel: .window)
            let caseID = try await city.cases.create([draft])[0].record.id
            let bureau = try Self.bureau(city)
            guard case .department(let bureauID) = bureau else { throw TinyCity.Missing("petition bureau") }
            try await city.act(.accept, on: caseID, as: "county1")
            try await city.act(.dispatch, on: caseID, as: "county1", input: CaseActionInput(departmentID: bureauID))
            try await city.act(.start, on: caseID, as: "handler.county1.petition")
            try await city.act(.feedBack, on: caseID, as: "handler.county1.petition", input: CaseActionInput(note: "已书面答复"))
            try await city.act(.verifyPass, on: caseID, as: "county1")
            let closed = try await city.act(.close, on: caseID, as: "county1")
            #expect(closed.file.status == .closed)
            let before = try await city.cases.timeline(caseID: caseID)

            _ = try await city.services.petitions.register(Self.registration(), onCase: caseID, by: try await city.principal("county1"), at: TinyCity.now)
            #expect(try await city.cases.timeline(caseID: caseID) == before, "a closed case's record is immutable")
            #expect(try await city.cases.record(id: caseID)?.file.version == closed.file.version)
            #expect(try await city.services.petitionRecords.steps(caseID: caseID).map(\.step) == ["register"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func thePetitionersAreMaskedForAPostThatMayNotRevealThem(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let caseID = try await Self.petitionCase(city).petition.caseID
            let bureau = try Self.bureau(city)
            _ = try await city.services.petitions.take(.route(to: bureau), onCase: caseID, expectedVersion: nil, by: try await city.principal("county1"), at: TinyCity.now)
            let handler = try await city.principal("handler.county1.petition")
            let seen = try await city.services.petitions.view(ofCase: caseID, for: handler).petition
            #expect(seen.petitioners[0].idNumber == "330205********1234")
            #expect(seen.petitioners[0].phone == "138****5678")
            #expect(try await city.services.petitions.desk(for: handler).map(\.petition.caseID) == [caseID])
            #expect(try await city.services.petitions.desk(for: try await city.principal("county1")).isEmpty, "routed: the bureau holds it now")
        }
    }
}
