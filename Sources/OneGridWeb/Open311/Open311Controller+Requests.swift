import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension Open311Controller {
    // MARK: POST requests

    /// Reports a case as the key's post would (its channel, within its jurisdiction): 201 with
    /// the new `service_request_id` and a token that finds it again.
    @Sendable func create(_ request: Request, context: OneGridRequestContext, _ format: Open311Format) async throws -> Response {
        let parameters = try await Open311Parameters.read(request, context: context)
        let client = try await client(parameters)
        guard let code = parameters["service_code"] else { throw Open311Error.invalid("service_code", "required; GET services lists them") }
        guard leafCategories.contains(where: { $0.code == code }) else {
            throw Open311Error.invalid("service_code", "\(code) is not a service; GET services lists them")
        }
        var attributes = parameters.attributes
        let title = attributes.removeValue(forKey: Self.titleAttribute).flatMap { $0.isEmpty ? nil : $0 }
        if let unknown = attributes.keys.sorted().first {
            throw Open311Error.invalid("attribute[\(unknown)]", "not an attribute of service \(code); its definition lists \(Self.titleAttribute)")
        }
        let description = try parameters.text("description", limit: 5_000)
        let address = try parameters.text("address_string", limit: 500)
        var location: GeoPoint?
        switch (parameters["lat"], parameters["long"]) {
        case (let lat?, let long?):
            guard let lat = Double(lat), let long = Double(long) else { throw Open311Error.invalid("lat/long", "decimal degrees, like 34.862 and 117.552") }
            location = GeoPoint(lat: lat, lng: long)
        case (nil, nil): break
        default: throw Open311Error.invalid("lat/long", "send both or neither")
        }
        var gridID: Int64?
        if location == nil {
            if let addressID = parameters["address_id"] {
                guard let grid = services.directory.area(code: addressID), grid.level == .grid else {
                    throw Open311Error.invalid("address_id", "\(addressID) is not a grid's code")
                }
                gridID = grid.id
            } else if client.area.level == .grid, address != nil {
                // A key over one grid places an address there.
                gridID = client.area.id
            } else {
                throw Open311Error.invalid("lat/long", "required, or address_id (a grid's code); address_string alone cannot be placed")
            }
        }
        let firstName = try parameters.text("first_name", limit: 50)
        let lastName = try parameters.text("last_name", limit: 50)
        let email = try parameters.text("email", limit: 254)
        if let email, !email.contains("@") { throw Open311Error.invalid("email", "an e-mail address") }
        let extras = Open311Extras(
            mediaURL: try parameters.url("media_url"), email: email, deviceID: try parameters.text("device_id", limit: 100),
            accountID: try parameters.text("account_id", limit: 100))
        let name = [firstName, lastName].compactMap { $0 }.joined(separator: " ")
        let form = IntakeForm(
            title: title ?? Self.title(from: description) ?? services.directory.category(code: code)?.name ?? code,
            description: description, categoryCode: code, location: location, gridID: gridID, address: address,
            reporter: .init(name: name.isEmpty ? nil : name, phone: parameters["phone"]))
        let token = TokenAuthenticator.newToken()
        let record = try await services.open311Requests.report(form, extras: extras, token: token, by: client)
        let answer = Open311Value.object([
            ("service_request_id", .text(String(record.id))),
            ("token", .text(token)),
            ("service_notice", .text(services.directory.categories[record.file.categoryID].map(Self.notice))),
            ("account_id", .text(extras.accountID)),
        ])
        return Open311Document(root: "service_requests", value: .list(item: "request", [answer]))
            .response(format, status: .created)
    }

    /// A title from a description: its first line, at most 50 characters.
    static func title(from description: String?) -> String? {
        guard let line = description?.split(whereSeparator: \.isNewline).first else { return nil }
        return String(line.prefix(50))
    }

    // MARK: GET requests

    /// The jurisdiction's requests: those named by `service_request_id` (which overrides every
    /// other filter), else those requested in the span asked (by default the last 90 days), of
    /// the services and status asked, newest first, in pages of `page_size` (at most 1,000).
    @Sendable func requestList(_ request: Request, context: OneGridRequestContext, _ format: Open311Format) async throws -> Response {
        let parameters = try await Open311Parameters.read(request, context: context)
        let client = try await client(parameters)
        let named = try parameters.list("service_request_id").map { text -> Int64 in
            guard let id = Int64(text), id > 0 else { throw Open311Error.invalid("service_request_id", "ids separated by commas; '\(text)' is not one") }
            return id
        }
        guard named.count <= Self.maximumResults else {
            throw Open311Error.invalid("service_request_id", "at most \(Self.maximumResults) ids")
        }
        let records: [CaseRecord]
        if !named.isEmpty {
            records = try await services.open311Requests.requests(ids: named, for: client)
        } else {
            let pageSize = try parameters.integer("page_size", in: 1...Self.maximumResults) ?? Self.maximumResults
            // Deep pages read every case before them: ten thousand bounds that work.
            let page = try parameters.integer("page", in: 1...(10_000 / pageSize)) ?? 1
            records = try await services.open311Requests.list(try query(parameters, limit: pageSize), skip: (page - 1) * pageSize, for: client)
        }
        let media = try await services.open311Requests.mediaURLs(of: records)
        let requests = records.map { requestValue($0, mediaURL: media[$0.id]) }
        return Open311Document(root: "service_requests", value: .list(item: "request", requests)).response(format)
    }

    /// The filters of `GET requests`.
    func query(_ parameters: Open311Parameters, limit: Int) throws -> CaseQuery {
        var query = CaseQuery()
        query.limit = limit
        // GeoReport v2 sets no order; its window and its clients go by requested_datetime, and an
        // imported historic case has a later id than the live cases reported after it.
        query.order = .reported
        let directory = services.directory
        query.categoryIDs = try parameters.list("service_code").map { code in
            guard let category = directory.category(code: code) else { throw Open311Error.invalid("service_code", "\(code) is not a service") }
            return category.id
        }
        query.statuses = try parameters.list("status").flatMap { name -> [CaseStatus] in
            switch name.lowercased() {
            case "open": return CaseStatus.allCases.filter(\.isOpen)
            case "closed": return CaseStatus.allCases.filter { !$0.isOpen }
            default: throw Open311Error.invalid("status", "open or closed, not '\(name)'")
            }
        }
        let span = try span(parameters)
        query.createdFrom = span.from
        query.createdBefore = span.before
        return query
    }

    /// The span asked by `start_date` and `end_date`: at most 90 days, ending now unless said.
    func span(_ parameters: Open311Parameters) throws -> (from: Date, before: Date) {
        let start = try parameters.date("start_date")
        let end = try parameters.date("end_date")
        let before = end ?? start.map { $0.addingTimeInterval(Self.searchSpan) } ?? services.clock.now.addingTimeInterval(1)
        let from = start ?? before.addingTimeInterval(-Self.searchSpan)
        guard from < before else { throw Open311Error.invalid("end_date", "later than start_date") }
        guard before.timeIntervalSince(from) <= Self.searchSpan else {
            throw Open311Error.invalid("end_date", "at most 90 days after start_date")
        }
        return (from, before)
    }

    @Sendable func oneRequest(_ request: Request, context: OneGridRequestContext, id text: String, _ format: Open311Format) async throws -> Response {
        let parameters = try await Open311Parameters.read(request, context: context)
        let client = try await client(parameters)
        guard let id = Int64(text), id > 0 else { throw Open311Error(.notFound, "service_request_id: \(text) not found") }
        let record = try await services.open311Requests.request(id: id, for: client)
        let media = try await services.open311Requests.mediaURLs(of: [record])
        return Open311Document(root: "service_requests", value: .list(item: "request", [requestValue(record, mediaURL: media[id])]))
            .response(format)
    }

    @Sendable func tokenLookup(_ request: Request, context: OneGridRequestContext, token: String, _ format: Open311Format) async throws -> Response {
        let parameters = try await Open311Parameters.read(request, context: context)
        let client = try await client(parameters)
        guard let id = try await services.open311Requests.caseID(token: token, for: client) else {
            throw Open311Error(.notFound, "token: \(token) not found")
        }
        let answer = Open311Value.object([("service_request_id", .text(String(id))), ("token", .text(token))])
        return Open311Document(root: "service_requests", value: .list(item: "request", [answer])).response(format)
    }

    /// A case as a GeoReport request: what the public may know of it, never the reporter.
    func requestValue(_ record: CaseRecord, mediaURL: String?) -> Open311Value {
        let directory = services.directory
        let file = record.file
        let category = directory.categories[file.categoryID]
        let department = (file.departmentID ?? file.suggestedDepartmentID).flatMap { directory.departments[$0] }
        return .object([
            ("service_request_id", .text(String(record.id))),
            ("status", .text(file.status.isOpen ? "open" : "closed")),
            ("status_notes", .text("\(file.status.chineseName) (\(file.status.rawValue))")),
            ("service_name", .text(category?.name)),
            ("service_code", .text(category?.code)),
            ("description", .text(record.description.isEmpty ? record.title : record.description)),
            ("agency_responsible", .text(department?.name)),
            ("service_notice", .text(category.map(Self.notice))),
            ("requested_datetime", .text(Open311Time.text(record.createdAt))),
            ("updated_datetime", .text(Open311Time.text(record.updatedAt))),
            // The running clock's due time while the case is open.
            ("expected_datetime", file.status.isOpen ? .text(Open311Time.text(record.dueAt)) : .none),
            ("address", .text(record.address)),
            ("address_id", .text(directory.areas[file.areas.grid]?.code)),
            ("zipcode", .none),
            ("lat", record.location.map { .number($0.lat) } ?? .none),
            ("long", record.location.map { .number($0.lng) } ?? .none),
            ("media_url", .text(mediaURL)),
        ])
    }
}
