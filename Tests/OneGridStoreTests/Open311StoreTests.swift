import Foundation
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
import Testing

/// Open311's keys and requests on each database: a key narrowed to its jurisdiction, a report
/// written with its extras in one transaction and found again by its token, the status changes
/// read from the timelines, a key's rate and its revocation.
@Suite struct Open311StoreTests {
    /// The hotline's key over the first grid's village, issued by the administrator.
    static func issue(_ city: TinyCity, perMinute: Int? = nil) async throws -> (key: Open311Key, secret: String, village: Area) {
        let hotline = try await city.principal("hotline")
        let village = try #require(city.directory.lineage(of: city.grids[0].id).first { $0.level == .village })
        let issued = try await city.services.open311Keys.issue(
            name: "城市App", postID: hotline.post.id, areaID: village.id, requestsPerMinute: perMinute, by: try await city.principal("admin"))
        return (issued.key, issued.secret, village)
    }

    @Test(arguments: TestDatabases.kinds)
    func aKeysReportsAndUpdatesStayInItsJurisdiction(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let services = city.services
            let (key, secret, village) = try await Self.issue(city)
            #expect(key.requestsPerMinute == Open311Keys.defaultRequestsPerMinute)
            #expect(try await services.adminActs().contains { $0.act == "open311.issue" }, "the issue is in the administrators' log")
            #expect(try await services.open311Keys.list().map(\.id) == [key.id])

            let client = try await services.open311Keys.client(apiKey: secret)
            #expect(client.principal.post.role == .hotlineAgent)
            #expect(client.principal.post.areaID == village.id && client.principal.post.areaLevel == .village, "narrowed to the jurisdiction")

            let form = IntakeForm(title: "路灯不亮", description: "村口", categoryCode: "service.streetlight", location: city.point(inGrid: 1))
            let extras = Open311Extras(mediaURL: "https://example.org/a.jpg", email: "a@example.org", deviceID: "d", accountID: "acc")
            let record = try await services.open311Requests.report(form, extras: extras, token: "t-1", by: client)
            #expect(record.channel == .hotline)
            #expect(try await city.count("open311_requests", where: record.id) == 1)
            #expect(try await services.open311Requests.mediaURLs(of: [record]) == [record.id: "https://example.org/a.jpg"])
            #expect(try await services.open311Requests.caseID(token: "t-1", for: client) == record.id)
            #expect(try await services.open311Requests.caseID(token: "t-2", for: client) == nil)
            // The same token again is the same case, with its extras written once.
            #expect(try await services.open311Requests.report(form, extras: extras, token: "t-1", by: client).id == record.id)
            #expect(try await city.count("open311_requests") == 1)

            // Outside the jurisdiction: refused, nothing written.
            let outside = try #require((2...city.grids.count).first { number in
                !city.directory.lineage(of: city.grids[number - 1].id).contains { $0.id == village.id }
            })
            var elsewhere = form
            elsewhere.location = city.point(inGrid: outside)
            await #expect(throws: DomainError.self) {
                try await services.open311Requests.report(elsewhere, extras: extras, token: "t-3", by: client)
            }
            #expect(try await city.count("open311_requests") == 1)
            let other = try await city.report(inGrid: outside, by: "county1")
            #expect(try await services.open311Requests.requests(ids: [other.id, record.id], for: client).map(\.id) == [record.id])

            // Intake ran on the server's clock: the steps follow it.
            let now = record.createdAt.addingTimeInterval(1)
            try await city.act(.accept, on: record.id, as: "village1", at: now)
            try await city.act(.dispatch, on: record.id, as: "village1", at: now.addingTimeInterval(1))
            try await city.act(.urge, on: record.id, as: "village1", input: CaseActionInput(note: "请尽快"), at: now.addingTimeInterval(2))
            try await city.act(.accept, on: other.id, as: "county1", at: now)
            let changes = try await services.open311Requests.updates(
                from: record.createdAt, before: now.addingTimeInterval(60), limit: 100, for: client)
            #expect(changes.map(\.event.action) == [.accept, .dispatch], "status changes of the jurisdiction's cases only, oldest first")
            #expect(changes.allSatisfy { $0.event.caseID == record.id })

            let revoked = try await services.open311Keys.revoke(id: key.id, by: try await city.principal("admin"))
            #expect(revoked.revokedAt != nil)
            await #expect(throws: Open311Refusal.invalidKey) { try await services.open311Keys.client(apiKey: secret) }
            let acts = try await services.adminActs().filter { $0.act == "open311.revoke" }.count
            await #expect(throws: DomainError.self) { try await services.open311Keys.revoke(id: 424_242, by: try await city.principal("admin")) }
            #expect(try await services.adminActs().filter { $0.act == "open311.revoke" }.count == acts, "no key, no log entry")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aKeyIsRefusedPastItsRate(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let (_, secret, _) = try await Self.issue(city, perMinute: 2)
            var outcomes: [Bool] = []
            // Five tries: a minute boundary between them restarts the count at most once.
            for _ in 0..<5 {
                do {
                    _ = try await city.services.open311Keys.client(apiKey: secret)
                    outcomes.append(true)
                } catch Open311Refusal.tooManyRequests(let wait) {
                    #expect((1...60).contains(wait))
                    outcomes.append(false)
                }
            }
            #expect(Array(outcomes.prefix(2)) == [true, true])
            #expect(outcomes.contains(false))
            await #expect(throws: Open311Refusal.invalidKey) { try await city.services.open311Keys.client(apiKey: "unknown") }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func onlyAReportingPostOverItsOwnAreaGetsAKey(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let keys = city.services.open311Keys
            let citizen = try await city.principal("citizen1")
            let village = try await city.principal("village1")
            let town = try #require(city.directory.lineage(of: village.post.areaID).first { $0.level == .town })
            for (post, area, rate, field) in [
                (citizen.post.id, nil, nil, "postID"), (village.post.id, town.id, nil, "areaID"), (village.post.id, nil, 0, "requestsPerMinute"),
                (424_242, nil, nil, "postID"),
            ] as [(Int64, Int64?, Int?, String)] {
                do {
                    _ = try await keys.issue(name: "x", postID: post, areaID: area, requestsPerMinute: rate, by: admin)
                    Issue.record("issued for post \(post) over \(String(describing: area))")
                } catch let error as DomainError {
                    #expect(error.field == field, "\(error)")
                }
            }
            #expect(try await keys.list().isEmpty)
        }
    }
}
