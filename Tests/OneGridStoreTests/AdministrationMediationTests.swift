import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// The administrator's work on mediation bodies and the major-dispute thresholds, over a real
/// store on each database: each change is in the administrators' log with it, each refusal names
/// its field and writes nothing, and what is changed is what mediation then works by.
@Suite struct AdministrationMediationTests {
    static func field(_ result: Result<some Any, any Error>) -> String? {
        (result.failure as? DomainError)?.field
    }

    @Test(arguments: TestDatabases.kinds)
    func aBodyIsCreatedStaffedRenamedAndRetiredAndARetiredOneTakesNoNewDispute(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let administration = city.services.administrationMediation
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let village = try #require(city.directory.areas.values.first { $0.level == .village })
            let actsBefore = try await city.services.adminActs().count

            // Refusals name their field and write nothing.
            #expect(Self.field(await outcome { try await administration.create(name: "调委会", kind: "club", areaID: town.id, by: admin) }) == "kind")
            #expect(Self.field(await outcome { try await administration.create(name: " ", kind: "townCommittee", areaID: town.id, by: admin) }) == "name")
            #expect(
                Self.field(await outcome { try await administration.create(name: "村调委会", kind: "villageCommittee", areaID: town.id, by: admin) })
                    == "areaID")
            #expect(Self.field(await outcome { try await administration.create(name: "调委会", kind: "townCommittee", areaID: 999_999, by: admin) }) == "areaID")
            let mediator = try await city.principal("mediator1")
            let forbidden = await outcome { try await administration.create(name: "调委会", kind: "townCommittee", areaID: town.id, by: mediator) }
            #expect((forbidden.failure as? DomainError)?.code == .forbidden)
            #expect(try await city.services.adminActs().count == actsBefore, "a refused change logs nothing")

            let body = try await administration.create(name: "新村人民调解委员会", kind: "villageCommittee", areaID: village.id, by: admin)
            #expect(body.level == .village && body.memberUserIDs.isEmpty)
            #expect(try await administration.bodies(inArea: village.id, by: admin).map(\.id).contains(body.id))

            #expect(Self.field(await outcome { try await administration.addMember(body.id, username: "village1", by: admin) }) == "username")
            #expect(Self.field(await outcome { try await administration.addMember(body.id, username: "nobody", by: admin) }) == "username")
            let staffed = try await administration.addMember(body.id, username: "mediator1", by: admin)
            #expect(staffed.memberUserIDs == [mediator.user.id])
            #expect(Self.field(await outcome { try await administration.addMember(body.id, username: "mediator1", by: admin) }) == "username")
            let other = try await city.addUser(id: 9_001, username: "mediator.other", role: .mediator, area: village)
            _ = try await administration.addMember(body.id, username: "mediator.other", by: admin)
            let left = try await administration.removeMember(body.id, userID: mediator.user.id, by: admin)
            #expect(left.memberUserIDs == [other.user.id])
            #expect(try await city.services.mediation.body(id: body.id)?.memberUserIDs == [other.user.id], "what is returned is stored")
            #expect(try await administration.members(of: left).map(\.username) == ["mediator.other"])
            _ = try await administration.rename(body.id, to: "新兴村人民调解委员会", by: admin)
            #expect(Self.field(await outcome { try await administration.rename(body.id, to: "", by: admin) }) == "name")

            // A dispute in that village is offered the body until it is retired.
            let caseID = try await city.report("dispute.neighbour", title: "邻里纠纷", description: "噪音").id
            _ = try await city.services.mediationSteps.register(SQLMediationStoreTests.form, on: caseID, by: try await city.principal("village1"))
            let dispatcher = try await city.principal("village1")
            let offered = try await city.services.mediationSteps.bodies(for: caseID, by: dispatcher).map(\.id)
            let inVillage = try await city.services.cases.record(id: caseID)?.file.areas[.village] == village.id
            #expect(offered.contains(body.id) == inVillage)
            let retired = try await administration.retire(body.id, by: admin)
            #expect(retired.retiredAt != nil && retired.name == "新兴村人民调解委员会")
            #expect(!(try await city.services.mediationSteps.bodies(for: caseID, by: dispatcher).map(\.id).contains(body.id)))
            let assign = await outcome {
                try await city.services.mediationSteps.take("assign", on: caseID, input: MediationInput(bodyID: body.id), expectedVersion: nil, by: dispatcher)
            }
            #expect(Self.field(assign) == "bodyID")
            let again = await outcome { try await administration.rename(body.id, to: "旧村调委会", by: admin) }
            #expect((again.failure as? DomainError)?.code == .notAllowedInState)
            #expect(try await administration.bodies(inArea: village.id, by: admin).first { $0.id == body.id }?.retiredAt != nil, "the list keeps retired bodies")

            let acts = try await city.services.adminActs().dropFirst(actsBefore).map(\.act)
            #expect(
                acts == [
                    "mediationBody.create", "mediationBody.addMember", "mediationBody.addMember", "mediationBody.removeMember",
                    "mediationBody.rename", "mediationBody.retire",
                ])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aChangedThresholdSendsAMatchingDisputeToTheCentreAndABadOneIsRefusedByField(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let administration = city.services.administrationMediation
            #expect(try await administration.majorDisputeRule(by: admin) == .default)
            func refused(_ form: AdministrationMediation.RuleForm) async -> String? {
                Self.field(await outcome { try await administration.setMajorDisputeRule(form, by: admin) })
            }
            #expect(await refused(.init(amountYuan: 0, peopleInvolved: 5, types: [], violenceRisk: true)) == "amountYuan")
            #expect(await refused(.init(amountYuan: nil, peopleInvolved: 5, types: [], violenceRisk: true)) == "amountYuan")
            #expect(await refused(.init(amountYuan: 1_000, peopleInvolved: 1, types: [], violenceRisk: true)) == "peopleInvolved")
            #expect(await refused(.init(amountYuan: 1_000, peopleInvolved: 5, types: ["medical", "gossip"], violenceRisk: true)) == "types")
            #expect(try await city.services.settings.value(.majorDisputeRule) == nil, "a refused rule stores nothing")

            // The form's 3,000 yuan is below the default half million: a committee's matter.
            let before = try await city.report("dispute.neighbour", title: "邻里纠纷", description: "漏水").id
            let dispatcher = try await city.principal("village1")
            #expect(try await city.services.mediationSteps.register(SQLMediationStoreTests.form, on: before, by: dispatcher).dispute.majorReason == nil)

            let rule = try await administration.setMajorDisputeRule(
                .init(amountYuan: 2_000, peopleInvolved: 10, types: ["traffic"], violenceRisk: false), by: admin)
            #expect(try await administration.majorDisputeRule(by: admin) == rule)
            #expect(rule.types == [.traffic])
            #expect(try await city.services.adminActs().last?.act == "settings.majorDisputeRule")

            let after = try await city.report("dispute.neighbour", title: "邻里纠纷", description: "漏水").id
            let major = try await city.services.mediationSteps.register(SQLMediationStoreTests.form, on: after, by: dispatcher).dispute
            #expect(major.majorReason?.contains("2000") == true, "\(major.majorReason ?? "not major")")
            let committee = try #require(
                try await city.services.mediationSteps.bodies(for: after, by: dispatcher).first { $0.kind == .townCommittee })
            let toCommittee = await outcome {
                try await city.services.mediationSteps.take("assign", on: after, input: MediationInput(bodyID: committee.id), expectedVersion: nil, by: dispatcher)
            }
            #expect((toCommittee.failure as? DomainError)?.code == .notAllowedInState, "a major dispute goes to the centre's office")
        }
    }
}
