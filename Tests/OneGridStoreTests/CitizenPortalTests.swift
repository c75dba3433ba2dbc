import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import SQLKit
import Testing

/// The citizen's portal on both databases: a report through intake, the follow link's public
/// timeline, rating and asking for another look, the limits on a source, abuse blocking, and the
/// notices to citizens written with their events and passed on by the notifier.
@Suite struct CitizenPortalTests {
    static let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x11, count: 2_000)
    static let attachments = AttachmentStore(
        directory: FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-citizen-tests-\(UUID().uuidString)"))

    /// A report as a phone sends it, with the sum answered.
    static func report(
        _ portal: CitizenPortal, in city: TinyCity, description: String = "村口路灯晚上不亮", category: String? = "service.streetlight",
        name: String? = "王秀英", phone: String? = "13812345678"
    ) async throws -> CitizenPortal.Report {
        let challenge = try await portal.challenge()
        return CitizenPortal.Report(
            description: description, categoryCode: category, location: city.point(inGrid: 1), name: name, phone: phone,
            anonymous: true, photos: [("light.jpg", photo)], challenge: challenge.token,
            answer: String(challenge.question.0 + challenge.question.1))
    }

    static let home = CitizenPortal.Source(address: "10.0.0.1", device: "device-a")

    /// Takes a case from reported to verified, with notes that name people and phones.
    /// Each step at the moment it is taken, as the portal's own steps are.
    static func handle(_ caseID: Int64, in city: TinyCity) async throws {
        try await city.act(.accept, on: caseID, as: "village1", input: CaseActionInput(note: "已联系王秀英 13812345678"), at: Date())
        try await city.act(.dispatch, on: caseID, as: "village1", at: Date())
        try await city.act(.start, on: caseID, as: "handler.village1", at: Date())
        try await city.act(
            .feedBack, on: caseID, as: "handler.village1", input: CaseActionInput(note: "电工李建国 13700002222 已更换灯泡"), at: Date())
        try await city.act(.verifyPass, on: caseID, as: "gridworker1", input: CaseActionInput(note: "网格员核实"), at: Date())
    }

    @Test(arguments: TestDatabases.kinds)
    func reportEntersThroughIntakeWithItsPhotoAndAHashedToken(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            let made = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            #expect(made.record.channel == .citizen)
            #expect(made.record.reporter.name == "王秀英")
            #expect(made.record.reporter.phone == "13812345678")
            #expect(made.number.hasSuffix(String(made.record.id)))
            let report = try #require(try await city.services.citizens.report(caseID: made.record.id))
            #expect(report.anonymous)
            // Only the token's hash is kept.
            let stored = try await city.database.reader.select().column("token_hash").from("citizen_reports")
                .first(decodingColumn: "token_hash", as: String.self)
            #expect(stored == TokenAuthenticator.hash(made.token))
            #expect(stored != made.token)
            let first = try await city.cases.timeline(caseID: made.record.id)[0].event
            #expect(first.details["evidence"]?.contains("light.jpg") == true)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aReportIsRefusedNamingItsField(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            var wrongSum = try await Self.report(portal, in: city)
            wrongSum.answer = "99"
            var forged = try await Self.report(portal, in: city)
            forged.challenge = "2.3.99999999999999.123456.00000000000000000000000000000000"
            forged.answer = "5"
            var petition = try await Self.report(portal, in: city)
            petition.categoryCode = "petition.appeal"
            var long = try await Self.report(portal, in: city)
            long.description = String(repeating: "灯", count: 2_001)
            var nowhere = try await Self.report(portal, in: city)
            nowhere.location = nil
            var tooMany = try await Self.report(portal, in: city)
            tooMany.photos = Array(repeating: ("p.jpg", Self.photo), count: 4)
            for (report, field) in [
                (wrongSum, "answer"), (forged, "answer"), (petition, "category"), (long, "description"), (nowhere, "location"),
                (tooMany, "photos"),
            ] {
                let error = await #expect(throws: DomainError.self) {
                    try await portal.report(report, from: Self.home, attachments: Self.attachments)
                }
                #expect(error?.field == field)
            }
            #expect(try await city.count("citizen_reports") == 0)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func theFollowLinkShowsNoPersonalDataNorStaffNames(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            let made = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            try await Self.handle(made.record.id, in: city)
            let followed = try #require(try await portal.follow(made.token))
            #expect(followed.steps.map(\.kind) == [.received, .accepted, .sentToHandler, .handlingStarted, .handled, .checked])
            #expect(followed.mayRate)
            let json = String(decoding: try JSONEncoder().encode(followed), as: UTF8.self)
            let timeline = try await city.cases.timeline(caseID: made.record.id)
            let staff = try await city.people.users(ids: timeline.compactMap(\.event.actorUserID))
            #expect(staff.count >= 3)
            let department = city.directory.departments[made.record.file.suggestedDepartmentID ?? 0]?.name
            let forbidden =
                ["王秀英", "13812345678", "李建国", "13700002222", "已更换灯泡", "网格员核实", "light.jpg", "村口路灯晚上不亮"]
                + staff.values.map(\.displayName) + staff.values.map(\.username) + [department].compactMap { $0 }
            for text in forbidden {
                #expect(!json.contains(text), "the follow projection carries \(text)")
            }
            #expect(json.contains(followed.number))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aWrongTokenOrAnotherCasesTokenShowsNothingElse(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            let first = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            let second = try await portal.report(
                try await Self.report(portal, in: city, description: "垃圾没人清理", category: "service.sanitation"), from: Self.home,
                attachments: Self.attachments)
            #expect(try await portal.follow(first.token)?.number == first.number)
            #expect(try await portal.follow(second.token)?.number == second.number)
            #expect(try await portal.follow(TokenAuthenticator.newToken()) == nil)
            #expect(try await portal.follow("") == nil)
            #expect(try await portal.follow(TokenAuthenticator.hash(first.token)) == nil)
            await #expect(throws: DomainError.self) { try await portal.rate(TokenAuthenticator.newToken(), rating: .satisfied) }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func ratingOnceHandledThenAskingForAnotherLook(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            let made = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            // Not before the result is checked.
            #expect(try await portal.follow(made.token)?.mayRate == false)
            await #expect(throws: DomainError.self) { try await portal.rate(made.token, rating: .satisfied) }
            await #expect(throws: DomainError.self) { try await portal.lookAgain(made.token, note: nil) }
            try await Self.handle(made.record.id, in: city)
            try await portal.rate(made.token, rating: .dissatisfied)
            let rated = try #require(try await portal.follow(made.token))
            #expect(rated.status == .rated)
            #expect(rated.rating == .dissatisfied)
            #expect(rated.steps.last == PublicStep(kind: .rated, at: rated.steps.last!.at, rating: .dissatisfied))
            #expect(rated.mayRate == false)
            #expect(rated.mayLookAgain)
            // Once only.
            await #expect(throws: DomainError.self) { try await portal.rate(made.token, rating: .satisfied) }

            try await portal.lookAgain(made.token, note: "灯还是不亮")
            let dispatcher = try await city.principal("village1")
            let inbox = try await SQLInboxStore(database: city.database).notifications(
                userID: dispatcher.user.id, unreadOnly: false, afterID: nil, limit: 10)
            #expect(inbox.contains { $0.caseID == made.record.id && $0.kind == .requestReview && $0.message.contains("灯还是不亮") })
            let after = try #require(try await portal.follow(made.token))
            #expect(after.lookAgainAt != nil)
            #expect(after.mayLookAgain == false)
            await #expect(throws: DomainError.self) { try await portal.lookAgain(made.token, note: nil) }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSatisfiedReporterHasNothingToAskAgain(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            let made = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            try await Self.handle(made.record.id, in: city)
            try await portal.rate(made.token, rating: .satisfied)
            #expect(try await portal.follow(made.token)?.mayLookAgain == false)
            await #expect(throws: DomainError.self) { try await portal.lookAgain(made.token, note: nil) }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSourceIsLimitedPerDeviceAndPerAddress(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            var limits = CitizenPortal.Limits()
            limits.perDevicePerHour = 2
            limits.perAddressPerHour = 3
            let portal = try await OneGridServices(database: city.database, citizenLimits: limits).citizenPortal
            for _ in 0..<2 {
                _ = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            }
            let device = await #expect(throws: CitizenPortal.Limited.self) {
                try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            }
            #expect(device?.blocked == false)
            #expect((3500...3600).contains(device?.retryAfter ?? 0))
            // Another phone on the same network has the address's allowance left: one more.
            let other = CitizenPortal.Source(address: Self.home.address, device: "device-b")
            _ = try await portal.report(try await Self.report(portal, in: city), from: other, attachments: Self.attachments)
            await #expect(throws: CitizenPortal.Limited.self) {
                try await portal.report(try await Self.report(portal, in: city), from: other, attachments: Self.attachments)
            }
            // Elsewhere nothing is limited.
            _ = try await portal.report(
                try await Self.report(portal, in: city), from: .init(address: "10.0.0.2", device: "device-c"), attachments: Self.attachments)
            #expect(try await city.count("citizen_reports") == 4)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aDispatcherMarksAbuseAndItsSourceIsBlocked(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            let made = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            let worker = try await city.principal("gridworker1")
            await #expect(throws: DomainError.self) { try await portal.markAbuse(caseID: made.record.id, by: worker) }
            let dispatcher = try await city.principal("village1")
            let blocks = try await portal.markAbuse(caseID: made.record.id, by: dispatcher)
            #expect(Set(blocks.map(\.kind)) == [.address, .device])
            #expect(blocks.allSatisfy { $0.byUserID == dispatcher.user.id && $0.caseID == made.record.id })
            #expect(try await city.services.citizens.report(caseID: made.record.id)?.abuseAt != nil)
            #expect(try await city.count("citizen_blocks") == 2)

            for source in [Self.home, .init(address: "10.9.9.9", device: Self.home.device), .init(address: Self.home.address, device: "new")] {
                let limited = await #expect(throws: CitizenPortal.Limited.self) {
                    try await portal.report(try await Self.report(portal, in: city), from: source, attachments: Self.attachments)
                }
                #expect(limited?.blocked == true)
                #expect(limited.map { $0.retryAfter > 6 * 86_400 } == true)
            }
            _ = try await portal.report(
                try await Self.report(portal, in: city), from: .init(address: "10.0.0.7", device: "other"), attachments: Self.attachments)
            // A case that did not come through the portal has no source to block.
            let walkIn = try await city.report(by: "citizen1")
            await #expect(throws: DomainError.self) { try await portal.markAbuse(caseID: walkIn.id, by: dispatcher) }
        }
    }

    /// A sender that fails its first message, as a gateway that is down would.
    final class FailingOnce: CitizenNoticeSender, @unchecked Sendable {
        let name = "flaky"
        private let lock = NSLock()
        private var failed = false

        func send(_ message: CitizenMessage) async throws {
            let fail = lock.withLock {
                defer { failed = true }
                return !failed
            }
            if fail { throw CancellationError() }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func citizensAreToldOfAcceptanceResultAndClosureOnce(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            let made = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            #expect(try await city.count("citizen_notices") == 0)
            try await city.act(.accept, on: made.record.id, as: "village1", at: Date())
            // Written with the step, before anything is sent.
            #expect(try await city.count("citizen_notices", where: made.record.id) == 1)

            let recorder = RecordingNoticeSender()
            let flaky = FailingOnce()
            let notifier = CitizenNotifier(services: city.services, senders: [flaky, recorder])
            // Rounds at times of the test's choosing: a busy machine's slow round changes nothing.
            let first = Date()
            #expect(try await notifier.deliverDue(now: first) == 1)
            #expect(recorder.messages.map(\.kind) == [.accepted])
            // The flaky sender failed: the notice waits for its back-off, then only it is asked again.
            #expect(try await notifier.deliverDue(now: first.addingTimeInterval(9)) == 0)
            #expect(try await notifier.deliverDue(now: first.addingTimeInterval(11)) == 1)
            #expect(recorder.messages.count == 1)

            try await city.act(.dispatch, on: made.record.id, as: "village1", at: Date())
            try await city.act(.start, on: made.record.id, as: "handler.village1", at: Date())
            try await city.act(
                .feedBack, on: made.record.id, as: "handler.village1", input: CaseActionInput(note: "已修好"), at: Date())
            try await city.act(.verifyPass, on: made.record.id, as: "gridworker1", at: Date())
            try await portal.rate(made.token, rating: .satisfied)
            try await city.act(.close, on: made.record.id, as: "village1", at: Date())
            try await notifier.deliverDue(now: Date().addingTimeInterval(12))
            #expect(recorder.messages.map(\.kind) == [.accepted, .handled, .closed])
            #expect(recorder.messages.allSatisfy { $0.phone == "13812345678" && $0.caseNumber == made.number && $0.citizenUserID == nil })
            #expect(recorder.messages[1].text.contains(made.number))
            // The follow page lists what it was told.
            #expect(try await portal.follow(made.token)?.messages.map(\.kind) == [.accepted, .handled, .closed])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSignedInCitizenIsToldInTheirInbox(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let citizen = try await city.principal("citizen1")
            let record = try await city.services.intake.report(
                IntakeForm(title: "路灯不亮", categoryCode: "service.streetlight", location: city.point(inGrid: 1)), by: citizen,
                idempotencyKey: nil
            ).record
            try await city.act(.accept, on: record.id, as: "village1", at: Date())
            try await CitizenNotifier(services: city.services, senders: []).deliverDue(now: Date())
            let inbox = try await SQLInboxStore(database: city.database).notifications(
                userID: citizen.user.id, unreadOnly: false, afterID: nil, limit: 10)
            #expect(inbox.map(\.kind) == [.accept])
            #expect(inbox.first?.caseID == record.id)
            // Staff are not told of an acceptance: that notice is the citizen's alone.
            let dispatcher = try await city.principal("village1")
            let staff = try await SQLInboxStore(database: city.database).notifications(
                userID: dispatcher.user.id, unreadOnly: false, afterID: nil, limit: 10)
            #expect(staff.allSatisfy { $0.kind != .accept })
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func thePublicListLeavesOutHiddenCategoriesAndPeople(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let portal = city.services.citizenPortal
            _ = try await portal.report(try await Self.report(portal, in: city), from: Self.home, attachments: Self.attachments)
            _ = try await portal.report(
                try await Self.report(portal, in: city, description: "邻居吵架", category: "dispute.neighbour"), from: Self.home,
                attachments: Self.attachments)
            let listed = try await portal.publicReports()
            #expect(listed.map(\.category) == [try city.category("service.streetlight").name])
            try await city.services.settings.set(.citizenHiddenCategories, to: ["service"], at: Date())
            #expect(try await portal.publicReports().isEmpty)
        }
    }
}
