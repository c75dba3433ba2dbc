import Foundation
import OneGridDomain
import OneGridStore
import SQLKit

extension DemoCity {
    /// The shapes of the petition records, after seeds 000 and 001 and the 信访工作条例.
    enum PetitionShape {
        /// Petitions that went above the county to the city (越级), by year before `now`: Yicheng
        /// cut them by 18 % (seed 000), so this year's share is 0.82 of last year's.
        static let crossLevelShare = (thisYear: 0.082, lastYear: 0.10)
        /// Of the 集体访 leaf, the share a crowd of five or more brought; the rest are joint
        /// petitions of two to four, so collective ones are about 7 % of all.
        static let collectiveShare = 0.5
        /// Petitions the same person brings again on the matter of an earlier one.
        static let repeatShare = 0.06
        static let lateNoticeShare = 0.02
        static let extensionShare = 0.05
        static let lateReplyShare = 0.03
        static let reviewShare = 0.04
        /// Days in a year, for telling this year's petitions from last year's.
        static let year: Int64 = 365 * CaseFactory.day
    }

    /// A petition case as the petition records need it.
    private struct PetitionCase: Codable {
        var id: Int64
        var categoryId: Int64
        var status: String
        var channel: String
        var title: String
        var description: String
        var countyId: Int64
        var legalRoute: String?
        var createdAt: Int64
    }

    /// An earlier petition a later one may repeat: its petitioner and matter.
    private struct Earlier {
        var caseID: Int64
        var petitioner: Petitioner
        var matter: String
    }

    /// Gives every petition case its petition record and takes it through the 信访工作条例 as the
    /// county's petition bureau would: registered on receipt, accepted and replied within the
    /// limits, a few extended once, late or reviewed, matters of a legal route guided there and
    /// the cases cancelled at intake not accepted. Each
    /// step is decided by `PetitionProcedure` at its own time and stops at `now`, so the latest
    /// petitions are still on the bureau's desk.
    static func writePetitions(
        hierarchy: Hierarchy, people: People, catalogue: Catalogue, into database: OneGridDatabase, seed: UInt64, now: Date
    ) async throws {
        let store = SQLPetitionStore(database: database)
        let users = Dictionary(uniqueKeysWithValues: people.users.map { ($0.id, $0) })
        func principal(_ actor: Actor?) -> Principal? { actor.flatMap { actor in users[actor.post.userID].map { Principal(user: $0, post: actor.post) } } }
        let leaves = Dictionary(
            uniqueKeysWithValues: catalogue.categories.filter { $0.kind == .petition }.map { ($0.id, $0.code) })
        guard !leaves.isEmpty, let reviewer = principal(people.dispatchers[hierarchy.city.id]) else { return }
        let cases = try await database.reader.select()
            .columns("id", "category_id", "status", "channel", "title", "description", "county_id", "legal_route", "created_at").from("cases")
            .where("category_id", .in, Array(leaves.keys)).where("primary_case_id", .is, SQLLiteral.null).orderBy("id")
            .all(decoding: PetitionCase.self, keyDecodingStrategy: .convertFromSnakeCase)
        let regions = Dictionary(uniqueKeysWithValues: hierarchy.counties.map { ($0.id, String($0.code.prefix(6))) })
        var rng = SeededGenerator(seed: seed ^ 0x5045_5449_5449_4F4E)
        let writer = PetitionWriter(store: store, limits: PetitionLimits(), now: now, reviewer: reviewer)
        var earlier: [String: [Earlier]] = [:]
        var crossLevelDue = (thisYear: 0.0, lastYear: 0.0)
        for row in cases {
            guard let code = leaves[row.categoryId], let bureau = hierarchy.department(kind: "petition", areaID: row.countyId),
                let clerk = principal(people.handlers[bureau.id])
            else { continue }
            // Error diffusion rather than a coin: each year's share is exact even in a small city.
            let thisYear = now.millisecondsSince1970 - row.createdAt < PetitionShape.year
            var crossLevel = false
            if thisYear {
                crossLevelDue.thisYear += PetitionShape.crossLevelShare.thisYear
                if crossLevelDue.thisYear >= 1 { (crossLevel, crossLevelDue.thisYear) = (true, crossLevelDue.thisYear - 1) }
            } else {
                crossLevelDue.lastYear += PetitionShape.crossLevelShare.lastYear
                if crossLevelDue.lastYear >= 1 { (crossLevel, crossLevelDue.lastYear) = (true, crossLevelDue.lastYear - 1) }
            }
            let key = "\(row.countyId) \(code)"
            let repeated = rng.chance(PetitionShape.repeatShare) ? earlier[key].flatMap { $0.isEmpty ? nil : rng.pick($0) } : nil
            let petitioner = repeated?.petitioner ?? Petitioner(
                name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng),
                idNumber: DemoTexts.idNumber(region: regions[row.countyId] ?? "379900", using: &rng))
            let matter = repeated?.matter ?? "\(row.title)。\(row.description)"
            let headcount =
                code == "petition.collective"
                ? (rng.chance(PetitionShape.collectiveShare) ? rng.int(Petition.collectiveHeadcount...60) : rng.int(2...4))
                : (rng.chance(0.05) ? rng.int(2...3) : 1)
            var petitioners = [petitioner]
            while petitioners.count < min(headcount, Petition.collectiveHeadcount) {
                petitioners.append(Petitioner(name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng)))
            }
            let registration = PetitionRegistration(
                form: form(for: row.channel, using: &rng).rawValue, petitionClass: petitionClass(of: code).rawValue,
                headcount: headcount, petitioners: petitioners, matter: matter,
                bodiesAddressed: [crossLevel ? "\(hierarchy.city.name)信访局" : bureau.name],
                addressedLevel: (crossLevel ? AdminLevel.city : .county).rawValue)
            // The matters are the towns' and villages' (land, village affairs, wages): the county
            // is the level above them, the city one further.
            let petition = try registration.petition(
                caseID: row.id, registeringUnit: .department(bureau.id), responsibleLevel: .town,
                receivedAt: Date(millisecondsSince1970: row.createdAt))
            try await writer.handle(
                petition, repeating: repeated?.caseID, legalRoute: row.legalRoute.flatMap(LegalRoute.init(rawValue:)),
                rejected: row.status == CaseStatus.rejected.rawValue, clerk: clerk, using: &rng)
            if repeated == nil { earlier[key, default: []].append(Earlier(caseID: row.id, petitioner: petitioner, matter: matter)) }
        }
        // The limits that ran out on petitions still open, recorded as the deadline sweep would.
        try await store.recordOverdue(limits: writer.limits, calendar: writer.calendar, at: now)
    }

    private static func form(for channel: String, using rng: inout SeededGenerator) -> PetitionForm {
        switch Channel(rawValue: channel) {
        case .onlinePetition: .online
        case .hotline: .phone
        default: rng.chance(0.25) ? .letter : .visit
        }
    }

    private static func petitionClass(of leaf: String) -> PetitionClass {
        switch leaf {
        case "petition.suggestion": .suggestion
        case "petition.accusation": .accusation
        default: .appeal
        }
    }

    /// Takes petitions through their steps at their own times, up to `now`.
    private struct PetitionWriter {
        let store: SQLPetitionStore
        let limits: PetitionLimits
        let now: Date
        /// The city's centre, which answers reviews (复查) of the counties' replies.
        let reviewer: Principal
        let calendar = WorkCalendar()

        func handle(
            _ petition: Petition, repeating earlierCaseID: Int64?, legalRoute: LegalRoute?, rejected: Bool, clerk: Principal,
            using rng: inout SeededGenerator
        ) async throws {
            let received = petition.receivedAt
            _ = try await store.register(petition, by: clerk, at: received)
            if let earlierCaseID { _ = try await store.linkRepeat(caseID: petition.caseID, to: earlierCaseID, by: clerk, at: received) }
            func days(_ range: ClosedRange<Int>, after start: Date) -> Date {
                start.addingTimeInterval(Double(rng.int(range)) * 86_400 + Double(rng.int(0...8 * 60)) * 60)
            }
            if let legalRoute {
                try await take(.guide(route: legalRoute, reason: DemoTexts.guideNote(legalRoute)), at: days(1...5, after: received), by: clerk, on: petition)
                return
            }
            if rejected {
                try await take(.notAccept(reason: "经核实，所反映问题不属于信访事项受理范围，已告知信访人。"), at: days(1...10, after: received), by: clerk, on: petition)
                return
            }
            let late = rng.chance(PetitionShape.lateNoticeShare)
            let accepted = days(late ? 16...20 : 1...10, after: received)
            guard try await take(.accept(notice: "您反映的问题已受理，将在六十日内书面答复。"), at: accepted, by: clerk, on: petition) else { return }
            var reply = days(7...55, after: accepted)
            if rng.chance(PetitionShape.extensionShare) {
                let reason = "情况复杂，需多部门会商核实，答复期限延长三十日。"
                let extendBy = limits.maximumExtension
                guard try await take(.extend(by: extendBy, approvedBy: "县信访局局长", reason: reason), at: days(40...55, after: accepted), by: clerk, on: petition)
                else { return }
                reply = days(62...85, after: accepted)
            } else if rng.chance(PetitionShape.lateReplyShare) {
                reply = days(63...80, after: accepted)
            }
            guard try await take(.reply(text: "经调查核实，已依法依规作出处理意见并书面答复信访人。"), at: reply, by: clerk, on: petition)
            else { return }
            guard rng.chance(PetitionShape.reviewShare) else { return }
            let request = days(5...25, after: reply)
            guard try await take(.requestReview(reason: "信访人对处理意见不服，请求复查。", reviewingUnit: PetitionUnit(post: reviewer.post)), at: request, by: clerk, on: petition)
            else { return }
            try await take(.reply(text: "经复查，原处理意见认定事实清楚，予以维持。"), at: days(10...25, after: request), by: reviewer, on: petition)
        }

        /// Takes the step if its time has come; false when it lies after `now`, so the petition
        /// stays where it is.
        @discardableResult
        func take(_ step: PetitionStep, at time: Date, by actor: Principal, on petition: Petition) async throws -> Bool {
            guard time <= now else { return false }
            let (limits, calendar, unit) = (limits, calendar, PetitionUnit(post: actor.post))
            _ = try await store.perform(caseID: petition.caseID, expectedVersion: nil, by: actor, unit: unit, at: time) {
                try PetitionProcedure.decide(step, on: $0, by: unit, limits: limits, calendar: calendar, now: time)
            }
            return true
        }
    }
}
