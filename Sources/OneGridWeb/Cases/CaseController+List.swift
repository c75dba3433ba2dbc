import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension CaseController {
    struct CaseList: JSONResponse {
        var cases: [CaseJSON]
        /// Pass as `cursor` for the next page; absent on the last page.
        var nextCursor: String?

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("cases", cases) { $1.write(to: &$0) }
                json.field("nextCursor", nextCursor)
            }
        }
    }

    /// The cases this post may see, newest or most urgent first, filtered, in stable cursor pages.
    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> CaseList {
        let post = context.principal.post
        let page = try await services.reading.list(try caseQuery(request.uri.queryParameters), for: post)
        let directory = services.directory
        let calendar = services.calendar
        let now = services.clock.now
        return CaseList(
            cases: page.cases.map { CaseJSON($0, for: post, directory: directory, calendar: calendar, now: now, detail: false) },
            nextCursor: page.next?.description)
    }

    func caseQuery(_ parameters: Parameters) throws -> CaseQuery {
        let directory = services.directory
        var query = CaseQuery()
        func values(_ name: String) -> [String] {
            parameters.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        }
        func invalid(_ field: String, _ message: String) -> APIError {
            APIError(.badRequest, code: .invalid, message, field: field)
        }
        query.statuses = try values("status").map { name in
            guard let status = CaseStatus(rawValue: name) else {
                throw invalid("status", "status '\(name)' is unknown; expected: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        }
        query.categoryIDs = try values("category").flatMap { code -> [Int64] in
            guard let category = directory.category(code: code) ?? Int64(code).flatMap({ directory.categories[$0] }) else {
                throw invalid("category", "category '\(code)' is unknown")
            }
            return directory.categoryIDs(inSubtreeOf: category.id)
        }
        if let name = parameters.get("platform") {
            guard let platform = Platform(rawValue: name) else { throw invalid("platform", "platform '\(name)' is unknown; expected: \(Platform.allCases.map(\.rawValue).joined(separator: ", "))") }
            query.platform = platform
        }
        if let name = parameters.get("channel") {
            guard let channel = Channel(rawValue: name) else { throw invalid("channel", "channel '\(name)' is unknown; expected: \(Channel.allCases.map(\.rawValue).joined(separator: ", "))") }
            query.channel = channel
        }
        if let text = parameters.get("area") {
            guard let area = Int64(text).flatMap({ directory.areas[$0] }) ?? directory.area(code: text) else {
                throw invalid("area", "area '\(text)' is unknown")
            }
            query.area = (area.level, area.id)
        }
        if let text = parameters.get("department") {
            guard let id = Int64(text) else { throw invalid("department", "department must be an id") }
            query.departmentID = id
        }
        if let text = parameters.get("overdue") {
            guard let flag = Bool(text) else { throw invalid("overdue", "overdue must be true or false") }
            query.overdue = flag
        }
        if let text = parameters.get("q") {
            guard text.count <= 100 else { throw invalid("q", "q is at most 100 characters") }
            query.text = text
        }
        query.createdFrom = try parameters.get("from").map { try Self.date($0, field: "from") }
        query.createdBefore = try parameters.get("to").map { try Self.date($0, field: "to") }
        if let name = parameters.get("order") {
            guard let order = CaseOrder(rawValue: name) else {
                throw invalid("order", "order '\(name)' is unknown; expected: \(CaseOrder.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.order = order
        }
        if let text = parameters.get("cursor") {
            guard let cursor = CaseCursor(text), cursor.fits(query.order) else {
                throw invalid("cursor", "cursor must be the nextCursor of a previous page in the same order")
            }
            query.after = cursor
        }
        if let text = parameters.get("limit") {
            guard let limit = Int(text), (1...200).contains(limit) else { throw invalid("limit", "limit must be 1–200") }
            query.limit = limit
        }
        return query
    }

    /// A date ("2026-05-01", the start of that day in the city's time zone) or a full ISO 8601 time.
    static func date(_ text: String, field: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        var style = Date.ISO8601FormatStyle().year().month().day()
        style.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        if let date = try? Date(text, strategy: style) { return date }
        throw APIError(.badRequest, code: .invalid, "\(field) must be a date like 2026-05-01 or an ISO 8601 time", field: field)
    }
}
