import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// Mediation's and the petitions' figures against fixtures counted by hand, on SQLite and
/// PostgreSQL: four months of May–August with the same months a year before, in the town that
/// holds every case and in the village that holds none.
@Suite struct ProcedureFiguresTests {
    static let day: TimeInterval = 86_400
    static let from = FigureMonth(TinyCity.now, in: FigureMonth.cityTimeZone)
    static let to = from.adding(months: 3)

    @Test(arguments: TestDatabases.kinds)
    func figuresCountWhatHappenedInTheAreaAgainstTheYearBefore(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            // Dispute A: agreed, confirmed by the court, carried out.
            let (agreedID, body) = try await SQLMediationStoreTests.assigned(in: city)
            for (minute, name, input) in [
                (1.0, "consent", MediationInput(party: 1)), (2, "consent", MediationInput(party: 2)),
                (3, "recordSession", MediationInput(startsAt: TinyCity.now, place: "调解室", participants: ["王秀英"], record: "协商")),
                (4, "draftAgreement", MediationInput(facts: "漏水", terms: "赔偿", obligations: [.init(party: 2, text: "付款", dueOn: TinyCity.now + 9 * Self.day)])),
                (5, "signAsParty", MediationInput(party: 1)), (6, "signAsParty", MediationInput(party: 2)), (7, "signAsMediator", MediationInput()),
                (8, "stamp", MediationInput()), (9, "applyForConfirmation", MediationInput(parties: [1, 2], court: "镇海区人民法院")),
                (10, "recordCourtDecision", MediationInput(decision: "confirmed")),
                (20_000, "followUp", MediationInput(note: "已支付", carriedOut: true)),
            ] {
                _ = try await SQLMediationStoreTests.step(name, input, on: agreedID, in: city, minutes: minute)
            }
            // Dispute B: ended without agreement.
            let (failedID, _) = try await SQLMediationStoreTests.assigned(in: city)
            _ = try await SQLMediationStoreTests.step(
                "endWithoutAgreement", MediationInput(note: "分歧大", routes: ["litigation"]), on: failedID, in: city, minutes: 30)
            // Dispute C: a family dispute registered, no body yet.
            let village = try await city.principal("village1")
            var family = SQLMediationStoreTests.form
            family.type = "familyAndMarriage"
            let open = try await city.report("dispute.neighbour", title: "家庭纠纷", description: "赡养")
            _ = try await city.services.mediationSteps.register(family, on: open.id, by: village, at: TinyCity.now)
            // Dispute D, a year before: registered only.
            let yearAgo = TinyCity.now - 365 * Self.day
            let old = try await city.report("dispute.neighbour", title: "去年纠纷", description: "旧事", at: yearAgo)
            _ = try await city.services.mediationSteps.register(SQLMediationStoreTests.form, on: old.id, by: village, at: yearAgo)

            // Petitions: a collective visit, replied in time; a letter on the same matter by the
            // same people linked as its repeat, routed late and replied late; one a year before.
            let petitions = city.services.petitions
            let county = try await city.principal("county1")
            let handler = try await city.principal("handler.county1.petition")
            let bureau = try SQLPetitionStoreTests.bureau(city)
            let visit = try await SQLPetitionStoreTests.petitionCase(city).petition
            var letterForm = SQLPetitionStoreTests.registration("征地补偿款一直没有发放到位", headcount: 2)
            letterForm.form = "letter"
            letterForm.addressedLevel = "city"
            let letter = try await SQLPetitionStoreTests.petitionCase(city, letterForm, at: TinyCity.now + Self.day).petition
            _ = try await petitions.confirmRepeat(caseID: letter.caseID, earlierCaseID: visit.caseID, by: county, at: TinyCity.now + Self.day)
            _ = try await SQLPetitionStoreTests.petitionCase(city, at: yearAgo)
            for (caseID, routeDay, replyDay) in [(visit.caseID, 1.0, 10.0), (letter.caseID, 17, 80)] {
                _ = try await petitions.take(.route(to: bureau), onCase: caseID, expectedVersion: nil, by: county, at: TinyCity.now + routeDay * Self.day)
                _ = try await petitions.take(.accept(notice: "已受理"), onCase: caseID, expectedVersion: nil, by: handler, at: TinyCity.now + (routeDay + 0.5) * Self.day)
                _ = try await petitions.take(.reply(text: "答复"), onCase: caseID, expectedVersion: nil, by: handler, at: TinyCity.now + replyDay * Self.day)
            }
            let crossLevel = [visit, letter].filter(\.crossLevel).count

            let leader = try await city.principal("leader.town1")
            let town = try await city.services.figures.procedures(for: leader.post, areaID: nil, from: Self.from, to: Self.to)
            let total = town.mediation.total
            #expect((total.accepted, total.concluded, total.agreed) == (3, 2, 1))
            #expect(total.successRate == 0.5)
            let byType = town.mediation.sums(by: \.type)
            #expect(byType[.neighbour] == .init(accepted: 2, concluded: 2, agreed: 1))
            #expect(byType[.familyAndMarriage] == .init(accepted: 1, concluded: 0, agreed: 0))
            #expect(town.mediation.sums(by: \.bodyID) == [body.id: .init(accepted: 2, concluded: 2, agreed: 1), nil: .init(accepted: 1)])
            #expect(town.mediation.sums(by: \.level) == [.town: .init(accepted: 2, concluded: 2, agreed: 1), nil: .init(accepted: 1)])
            #expect(town.bodies[body.id]?.name == body.name)
            #expect((town.mediation.followUps, town.mediation.carriedOut) == (1, 1))
            #expect((town.mediation.confirmationsApplied, town.mediation.confirmed) == (1, 1))
            #expect(town.mediationLastYear.total == .init(accepted: 1, concluded: 0, agreed: 0))

            #expect(town.petitions.received == 2)
            #expect(town.petitions.received(by: \.form) == [.visit: 1, .letter: 1])
            #expect(town.petitions.received(by: \.petitionClass) == [.appeal: 2])
            #expect((town.petitions.collective, town.petitions.repeats, town.petitions.crossLevel) == (1, 1, crossLevel))
            #expect((town.petitions.replies, town.petitions.repliesInTime) == (2, 1))
            #expect(town.petitions.inTimeRate == 0.5)
            let countyCentre = PetitionUnit(post: county.post)
            #expect(Set(town.petitions.misses.map { "\($0.unit.description) \($0.limit.rawValue) \($0.count)" }) == [
                "\(countyCentre.description) route 1", "\(bureau.description) reply 1",
            ])
            #expect(town.petitionsLastYear.received == 1)
            #expect(town.petitionsLastYear.collective == 1)

            // The village without any of it counts nothing; an area outside the post's is refused.
            let villages = city.directory.areas.values.filter { $0.level == .village }
            let empty = try #require(villages.first { $0.id != village.post.areaID })
            let none = try await city.services.figures.procedures(for: leader.post, areaID: empty.id, from: Self.from, to: Self.to)
            #expect(none.mediation.groups.isEmpty && none.petitions.groups.isEmpty && none.petitions.replies == 0)
            await #expect(throws: DomainError.self) {
                try await city.services.figures.procedures(for: village.post, areaID: empty.id, from: Self.from, to: Self.to)
            }
        }
    }
}
