import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OneGridDomain
import Testing

/// Open311 GeoReport v2 end to end on the tiny city: an administrator issues a key for the
/// hotline over one village; an app reports, follows and updates cases through it in XML and
/// JSON; the key's jurisdiction, rate and revocation hold.
@Suite struct Open311Tests {
    struct Answer {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
        var list: [[String: Any]] { json as? [[String: Any]] ?? [] }
    }

    /// An Open311 request: GET parameters in the query, POST ones form-encoded in the body.
    static func send(_ api: API, _ method: HTTPRequest.Method, _ path: String, _ parameters: [String: String] = [:]) async throws -> Answer {
        let encoded = parameters.sorted { $0.key < $1.key }.map { key, value in
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            return key.addingPercentEncoding(withAllowedCharacters: allowed)! + "=" + value.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
        let response: TestResponse
        if method == .get {
            response = try await api.client.executeRequest(uri: "/open311/v2/" + path + (encoded.isEmpty ? "" : "?" + encoded), method: .get, headers: [:], body: nil)
        } else {
            response = try await api.client.executeRequest(
                uri: "/open311/v2/" + path, method: method, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: encoded))
        }
        return Answer(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    /// Issues a key for the hotline agent's post over `areaID`.
    static func issueKey(_ api: API, areaID: Int64, perMinute: Int = 600) async throws -> (id: Int64, key: String, jurisdiction: String) {
        let hotline = try await api.send(.post, "/api/v1/session", body: ["username": "hotline", "password": "onegrid-demo"])
        let postID = try #require(((hotline["post"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        let admin = try await api.signIn("admin")
        let issued = try await api.send(
            .post, "/api/v1/admin/open311-keys", token: admin,
            body: ["name": "城市App", "postID": postID, "areaID": areaID, "requestsPerMinute": perMinute])
        #expect(issued.status == .created, "\(issued.json)")
        return (try #require(issued.id), try #require(issued["apiKey"] as? String), try #require(issued["jurisdictionID"] as? String))
    }

    static func village(of gridID: Int64, _ city: TestApp.City) throws -> Area {
        try #require(city.directory.lineage(of: gridID).first { $0.level == .village })
    }

    @Test func discoveryServicesAndDefinitionsInBothFormats() async throws {
        try await TestApp.run { api, _ in
            let discovery = try await Self.send(api, .get, "discovery.xml")
            #expect(discovery.status == .ok)
            #expect(discovery.headers[.contentType]?.hasPrefix("text/xml") == true)
            #expect(discovery.text.contains("<discovery><changeset>"))
            #expect(discovery.text.contains("<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>/open311/v2</url>"))
            #expect(discovery.text.contains("<formats><format>text/xml</format><format>application/json</format></formats>"))

            let services = try await Self.send(api, .get, "services.json")
            #expect(services.headers[.contentType]?.hasPrefix("application/json") == true)
            let light = try #require(services.list.first { $0["service_code"] as? String == "service.streetlight" }, "\(services.text)")
            #expect(Set(light.keys) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"])
            #expect(light["metadata"] as? Bool == true)
            #expect(light["type"] as? String == "realtime")
            #expect(light["group"] is String, "the parent category")
            #expect(!services.list.contains { $0["service_code"] as? String == "service" }, "a parent category is a group, not a service")
            let xml = try await Self.send(api, .get, "services.xml")
            #expect(xml.text.contains("<services><service><service_code>"))
            #expect(xml.text.contains("<service_code>service.streetlight</service_code>"))

            let definition = try await Self.send(api, .get, "services/service.streetlight.json")
            #expect(definition.status == .ok, "\(definition.text)")
            let body = try #require(definition.json as? [String: Any])
            #expect(body["service_code"] as? String == "service.streetlight")
            let attribute = try #require((body["attributes"] as? [[String: Any]])?.first)
            #expect(attribute["code"] as? String == "title")
            #expect(attribute["datatype"] as? String == "string")
            #expect(attribute["required"] as? Bool == false)
            let definitionXML = try await Self.send(api, .get, "services/service.streetlight.xml")
            #expect(definitionXML.text.contains("<service_definition><service_code>service.streetlight</service_code><attributes><attribute><variable>true</variable><code>title</code>"))

            let unknown = try await Self.send(api, .get, "services/no.such.xml")
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("<errors><error><code>404</code><description>service_code: no.such is not a service"))
            let unknownJSON = try await Self.send(api, .get, "services/no.such.json")
            #expect((unknownJSON.list.first?["code"] as? NSNumber)?.intValue == 404)
            let jurisdiction = try await Self.send(api, .get, "services.json", ["jurisdiction_id": "nowhere"])
            #expect(jurisdiction.status == .notFound)
            let format = try await Self.send(api, .get, "services/service.streetlight.html")
            #expect(format.status == .notFound)
        }
    }

    @Test func aReportIsACaseReadBackWithinTheJurisdictionWithoutPersonalData() async throws {
        try await TestApp.run { api, city in
            let (gridID, point) = city.gridPoints[0]
            let village = try Self.village(of: gridID, city)
            let (_, key, jurisdiction) = try await Self.issueKey(api, areaID: village.id)
            #expect(jurisdiction == village.code)

            let created = try await Self.send(api, .post, "requests.json", [
                "api_key": key, "jurisdiction_id": jurisdiction, "service_code": "service.streetlight",
                "lat": String(point.lat), "long": String(point.lng), "address_string": "村口",
                "description": "村口路灯不亮\n一排都不亮", "media_url": "https://example.org/light.jpg",
                "email": "zhang@example.org", "first_name": "三", "last_name": "张", "phone": "13812345678", "device_id": "d-1",
                "account_id": "a-1",
            ])
            #expect(created.status == .created, "\(created.text)")
            let answer = try #require(created.list.first)
            let id = try #require(answer["service_request_id"] as? String)
            let token = try #require(answer["token"] as? String)
            #expect((answer["service_notice"] as? String)?.contains("handled within") == true)

            // The case is the JSON API's own, reported through the hotline's channel.
            let hotline = try await api.signIn("hotline")
            let asCase = try await api.send(.get, "/api/v1/cases/\(id)", token: hotline)
            #expect(asCase["channel"] as? String == "hotline")
            #expect(asCase["title"] as? String == "村口路灯不亮")

            let byToken = try await Self.send(api, .get, "tokens/\(token).xml", ["api_key": key])
            #expect(byToken.text.contains("<service_requests><request><service_request_id>\(id)</service_request_id><token>\(token)</token></request></service_requests>"))

            let one = try await Self.send(api, .get, "requests/\(id).xml", ["api_key": key])
            #expect(one.status == .ok)
            for element in [
                "<service_request_id>\(id)</service_request_id>", "<status>open</status>", "<service_code>service.streetlight</service_code>",
                "<media_url>https://example.org/light.jpg</media_url>", "<address>村口</address>", "<zipcode/>", "<expected_datetime>",
                "<requested_datetime>", "<agency_responsible>",
            ] {
                #expect(one.text.contains(element), "\(element) in \(one.text)")
            }
            for secret in ["13812345678", "zhang@example.org", "张", "d-1", "a-1"] {
                #expect(!one.text.contains(secret), "personal data \(secret) left in \(one.text)")
            }

            let list = try await Self.send(api, .get, "requests.json", ["api_key": key])
            let listed = try #require(list.list.first { $0["service_request_id"] as? String == id }, "\(list.text)")
            #expect(Set(listed.keys) == [
                "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
                "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                "lat", "long", "media_url",
            ])
            #expect((listed["lat"] as? NSNumber)?.doubleValue == point.lat)

            // Filters.
            func ids(_ parameters: [String: String]) async throws -> [String] {
                var all = parameters
                all["api_key"] = key
                let reply = try await Self.send(api, .get, "requests.json", all)
                #expect(reply.status == .ok, "\(parameters): \(reply.text)")
                return reply.list.compactMap { $0["service_request_id"] as? String }
            }
            #expect(try await ids(["status": "open"]).contains(id))
            #expect(try await !ids(["status": "closed"]).contains(id))
            #expect(try await ids(["service_code": "service.streetlight"]).contains(id))
            #expect(try await !ids(["service_code": "service.water"]).contains(id))
            #expect(try await ids(["service_request_id": "\(id),999999"]) == [id])
            #expect(try await ids(["start_date": "2020-01-01", "end_date": "2020-03-01"]).isEmpty)
            #expect(try await ids(["page": "2", "page_size": "1"]).isEmpty, "one case, so no second page")

            // A case of another village is neither listed nor found.
            let county = try await api.signIn("county1")
            let elsewhere = try #require(city.gridPoints.first { try! Self.village(of: $0.gridID, city).id != village.id })
            let outside = try #require(try await api.report(token: county, at: elsewhere.point).id)
            #expect(try await !ids([:]).contains(String(outside)))
            let hidden = try await Self.send(api, .get, "requests/\(outside).json", ["api_key": key])
            #expect(hidden.status == .notFound)
            let reportOutside = try await Self.send(api, .post, "requests.xml", [
                "api_key": key, "service_code": "service.streetlight", "lat": String(elsewhere.point.lat), "long": String(elsewhere.point.lng),
            ])
            #expect(reportOutside.status == .badRequest)
            #expect(reportOutside.text.contains("<errors><error><code>400</code><description>lat/long: the place lies outside the area"), "\(reportOutside.text)")
        }
    }

    @Test func refusalsNameWhatWasWrong() async throws {
        try await TestApp.run { api, city in
            let (gridID, point) = city.gridPoints[0]
            let (_, key, _) = try await Self.issueKey(api, areaID: try Self.village(of: gridID, city).id)
            let lat = String(point.lat), long = String(point.lng)
            let cases: [(HTTPRequest.Method, String, [String: String], HTTPResponse.Status, String)] = [
                (.post, "requests.xml", ["service_code": "service.streetlight", "lat": lat, "long": long], .forbidden, "api_key: required"),
                (.post, "requests.xml", ["api_key": "wrong", "service_code": "service.streetlight"], .forbidden, "api_key:"),
                (.post, "requests.json", ["api_key": key, "lat": lat, "long": long], .badRequest, "service_code: required"),
                (.post, "requests.json", ["api_key": key, "service_code": "nope", "lat": lat, "long": long], .badRequest, "service_code: nope"),
                (.post, "requests.json", ["api_key": key, "service_code": "service.streetlight"], .badRequest, "lat/long: required"),
                (.post, "requests.json", ["api_key": key, "service_code": "service.streetlight", "lat": lat], .badRequest, "lat/long: send both"),
                (.post, "requests.json", ["api_key": key, "service_code": "service.streetlight", "lat": lat, "long": long, "attribute[colour]": "red"], .badRequest, "attribute[colour]"),
                (.post, "requests.json", ["api_key": key, "service_code": "service.streetlight", "lat": lat, "long": long, "media_url": "ftp://x"], .badRequest, "media_url"),
                (.post, "requests.json", ["api_key": key, "service_code": "service.streetlight", "lat": lat, "long": long, "phone": "12"], .badRequest, "phone:"),
                (.post, "requests.json", ["api_key": key, "jurisdiction_id": "000000000000", "service_code": "service.streetlight"], .notFound, "jurisdiction_id"),
                (.get, "requests.json", [:], .forbidden, "api_key"),
                (.get, "requests.json", ["api_key": key, "status": "pending"], .badRequest, "status: open or closed"),
                (.get, "requests.json", ["api_key": key, "start_date": "2026-01-01", "end_date": "2026-06-01"], .badRequest, "end_date: at most 90 days"),
                (.get, "requests.json", ["api_key": key, "start_date": "yesterday"], .badRequest, "start_date"),
                (.get, "requests.json", ["api_key": key, "page_size": "5000"], .badRequest, "page_size"),
                (.get, "requests.json", ["api_key": key, "service_request_id": "x"], .badRequest, "service_request_id"),
                (.get, "requests/424242.json", ["api_key": key], .notFound, "case 424242"),
                (.get, "tokens/nope.json", ["api_key": key], .notFound, "token"),
                (.get, "nothing.json", [:], .notFound, "no such Open311 resource"),
            ]
            for (method, path, parameters, status, phrase) in cases {
                let reply = try await Self.send(api, method, path, parameters)
                #expect(reply.status == status, "\(method) \(path) \(parameters): \(reply.text)")
                let error = path.hasSuffix(".json") ? (reply.list.first?["description"] as? String ?? "") : reply.text
                #expect(error.contains(phrase), "\(path) \(parameters): \(reply.text)")
                if path.hasSuffix(".xml") { #expect(reply.text.contains("<errors><error><code>\(status.code)</code>")) }
            }
            // A citizen's post cannot hold a key; only an administrator issues one.
            let citizen = try await api.send(.post, "/api/v1/session", body: ["username": "citizen1", "password": "onegrid-demo"])
            let citizenPost = try #require(((citizen["post"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            let admin = try await api.signIn("admin")
            let refused = try await api.send(.post, "/api/v1/admin/open311-keys", token: admin, body: ["name": "x", "postID": citizenPost])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorField == "postID")
            let dispatcher = try await api.signIn("village1")
            let notAdmin = try await api.send(.get, "/api/v1/admin/open311-keys", token: dispatcher)
            #expect(notAdmin.status == .forbidden)
        }
    }

    @Test func aKeyIsHeldToItsRateAndRevokedForGood() async throws {
        try await TestApp.run { api, city in
            let village = try Self.village(of: city.gridPoints[0].gridID, city)
            let (id, key, _) = try await Self.issueKey(api, areaID: village.id, perMinute: 2)
            var statuses: [HTTPResponse.Status] = []
            var limited: Answer?
            // Five tries: a minute boundary between them restarts the count at most once.
            for _ in 0..<5 {
                let reply = try await Self.send(api, .get, "requests.xml", ["api_key": key])
                statuses.append(reply.status)
                if reply.status == .tooManyRequests { limited = reply }
            }
            #expect(Array(statuses.prefix(2)) == [.ok, .ok])
            let refused = try #require(limited, "\(statuses)")
            #expect(refused.text.contains("<errors><error><code>429</code><description>api_key: this key's requests per minute are used up"))
            #expect(Int(refused.headers[.retryAfter] ?? "") != nil)

            // Another key has its own count.
            let (_, other, _) = try await Self.issueKey(api, areaID: village.id)
            #expect(try await Self.send(api, .get, "requests.xml", ["api_key": other]).status == .ok)

            let admin = try await api.signIn("admin")
            let revoked = try await api.send(.delete, "/api/v1/admin/open311-keys/\(id)", token: admin)
            #expect(revoked.status == .ok)
            #expect(revoked["revokedAt"] is String)
            #expect(revoked["apiKey"] == nil, "a key is shown only when issued")
            let listed = try await api.send(.get, "/api/v1/admin/open311-keys", token: admin)
            #expect((listed["keys"] as? [[String: Any]])?.count == 2)
            let after = try await Self.send(api, .get, "requests.json", ["api_key": key])
            #expect(after.status == .forbidden)
            let again = try await api.send(.delete, "/api/v1/admin/open311-keys/999", token: admin)
            #expect(again.status == .notFound)
        }
    }

    @Test func updatesListStatusChangesAndTakeTheReportersRating() async throws {
        try await TestApp.run { api, city in
            let (gridID, point) = city.gridPoints[0]
            let (_, key, _) = try await Self.issueKey(api, areaID: try Self.village(of: gridID, city).id)
            let created = try await Self.send(api, .post, "requests.json", [
                "api_key": key, "service_code": "service.streetlight", "lat": String(point.lat), "long": String(point.lng),
                "description": "路灯不亮",
            ])
            let idText = try #require(created.list.first?["service_request_id"] as? String, "\(created.text)")
            let id = try #require(Int64(idText))

            let early = try await Self.send(api, .post, "servicerequestupdates.json", [
                "api_key": key, "service_request_id": String(id), "status": "fixed", "description": "好了",
            ])
            #expect(early.status == .badRequest, "a reported case takes no rating yet: \(early.text)")

            let village = try await api.signIn("village1")
            let handler = try await api.signIn("handler.village1")
            let worker = try await api.signIn("gridworker1")
            #expect(try await api.act("accept", on: id, token: village).status == .ok)
            #expect(try await api.act("dispatch", on: id, token: village).status == .ok)
            #expect(try await api.act("start", on: id, token: handler).status == .ok)
            #expect(try await api.act("feedBack", on: id, token: handler, ["note": "已更换灯泡", "evidence": ["https://example.org/after.jpg"]]).status == .ok)
            #expect(try await api.act("verifyPass", on: id, token: worker).status == .ok)

            let updates = try await Self.send(api, .get, "servicerequestupdates.json", ["api_key": key])
            #expect(updates.status == .ok, "\(updates.text)")
            let mine = updates.list.filter { $0["service_request_id"] as? String == String(id) }
            #expect(mine.map { $0["status"] as? String } == ["investigating", "action_scheduled", "in_progress", "fixed", "fixed"])
            #expect(mine.map { $0["update_id"] as? String } == (2...6).map { "\(id).\($0)" })
            #expect(mine[3]["description"] as? String == "已更换灯泡")
            #expect(mine[3]["media_url"] as? String == "https://example.org/after.jpg")
            #expect(Set(mine[0].keys) == ["update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"])
            let xml = try await Self.send(api, .get, "servicerequestupdates.xml", ["api_key": key])
            #expect(xml.text.contains("<service_requests_updates><request_update><update_id>\(id).2</update_id><service_request_id>\(id)</service_request_id><status>investigating</status>"))

            let rated = try await Self.send(api, .post, "servicerequestupdates.xml", [
                "api_key": key, "service_request_id": String(id), "status": "fixed", "description": "修好了，满意",
            ])
            #expect(rated.status == .created, "\(rated.text)")
            #expect(rated.text.contains("<service_request_updates><request_update><update_id>\(id).7</update_id></request_update></service_request_updates>"))
            let asCase = try await api.send(.get, "/api/v1/cases/\(id)", token: village)
            #expect(asCase["status"] as? String == "rated")
            #expect(asCase["rating"] as? String == "satisfied")

            let twice = try await Self.send(api, .post, "servicerequestupdates.json", [
                "api_key": key, "service_request_id": String(id), "status": "open",
            ])
            #expect(twice.status == .badRequest)
            let badStatus = try await Self.send(api, .post, "servicerequestupdates.json", [
                "api_key": key, "service_request_id": String(id), "status": "maybe",
            ])
            #expect((badStatus.list.first?["description"] as? String)?.hasPrefix("status:") == true, "\(badStatus.text)")
        }
    }
}
