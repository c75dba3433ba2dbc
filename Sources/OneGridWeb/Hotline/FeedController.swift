import Foundation
import HTTPTypes
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The data brain's feeds (docs/hotline.md), a thin HTTP shell over `Feeds`: batches of 110
/// incidents and public-opinion items in, answered line by line; the items of a post's area and
/// their counts per day out; and a dispatcher's link from an item to a case.
struct FeedController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.feedPoliceIncidents) { request, context in try await take(.policeIncident, request, context) }
        api.on(.feedPublicOpinion) { request, context in try await take(.publicOpinion, request, context) }
        api.on(.feedItems, use: items)
        api.on(.feedCounts, use: counts)
        api.on(.feedItemLink, use: link)
    }

    // MARK: Batches

    /// A batch as NDJSON (one item a line) or as JSON (one item, or an array of them).
    func take(_ kind: FeedKind, _ request: Request, _ context: SignedInContext) async throws -> BatchJSON {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, code: .bodyTooLarge, "the body is larger than \(context.maxUploadSize) bytes; send fewer lines at once")
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let lines = try Self.lines(Data(buffer.readableBytesView), ndjson: contentType.hasPrefix("application/x-ndjson"))
        let outcomes = try await services.feedIntake.take(kind, lines: lines, by: context.principal)
        return BatchJSON(kind: kind, outcomes: outcomes)
    }

    /// Splits a body into its lines: NDJSON's (`Feeds.lines`), or a JSON array's elements (a
    /// single object is one line).
    static func lines(_ data: Data, ndjson: Bool) throws -> [Feeds.Line] {
        guard !ndjson else { return Feeds.lines(ndjson: data) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw APIError(.badRequest, code: .malformedJSON, "the body is not valid JSON; send application/x-ndjson for one item a line")
        }
        switch value {
        case .array(let elements):
            return elements.enumerated().map { index, element in
                guard case .object(let fields) = element else { return Feeds.Line(number: index + 1, object: .failure(Feeds.notAnObject)) }
                return Feeds.Line(number: index + 1, object: .success(fields))
            }
        case .object(let fields): return [Feeds.Line(number: 1, object: .success(fields))]
        default: throw APIError(.unprocessableContent, code: .invalid, "the body must be an item or an array of items", field: "body")
        }
    }

    struct BatchJSON: JSONResponse {
        var kind: FeedKind
        var outcomes: [Feeds.Outcome]

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("kind", kind)
                for outcome in Feeds.Outcome.Kind.allCases {
                    json.field(outcome.rawValue, outcomes.count { $0.kind == outcome })
                }
                json.field("lines", outcomes) { json, outcome in
                    json.object { json in
                        json.field("line", outcome.line)
                        json.field("outcome", outcome.kind)
                        json.field("itemID", outcome.itemID)
                        json.field("id", outcome.id)
                        json.field("field", outcome.refusal?.field)
                        json.field("expected", outcome.refusal?.expected)
                    }
                }
            }
        }
    }

    // MARK: Reading

    @Sendable func items(_ request: Request, context: SignedInContext) async throws -> ItemsJSON {
        let parameters = request.uri.queryParameters
        let kind = try parameters.get("kind").map { name in
            guard let kind = FeedKind(rawValue: name) else {
                throw APIError(.badRequest, code: .invalid, "kind must be one of: \(FeedKind.allCases.map(\.rawValue).joined(separator: ", "))", field: "kind")
            }
            return kind
        }
        let now = services.clock.now
        let to = try parameters.get("to").map { try CaseController.date($0, field: "to") } ?? now.addingTimeInterval(1)
        let from = try parameters.get("from").map { try CaseController.date($0, field: "from") } ?? to.addingTimeInterval(-30 * 86_400)
        guard from < to else { throw APIError(.badRequest, code: .invalid, "to must be later than from", field: "to") }
        let limit = try parameters.get("limit").map { text in
            guard let limit = Int(text), (1...1_000).contains(limit) else {
                throw APIError(.badRequest, code: .invalid, "limit must be 1–1000", field: "limit")
            }
            return limit
        } ?? 100
        let found = try await services.feedIntake.items(kind: kind, from: from, before: to, limit: limit, for: context.principal.post)
        return ItemsJSON(items: found.map { ItemJSON($0, directory: services.directory) })
    }

    @Sendable func counts(_ request: Request, context: SignedInContext) async throws -> CountsJSON {
        let parameters = request.uri.queryParameters
        let today = FeedItem.day(of: services.clock.now, in: services.calendar.timeZone)
        func day(_ name: String) throws -> String? {
            guard let text = parameters.get(name) else { return nil }
            guard text.count == 10, (try? Date(text + "T00:00:00Z", strategy: .iso8601)) != nil else {
                throw APIError(.badRequest, code: .invalid, "\(name) must be a day like 2026-11-30", field: name)
            }
            return text
        }
        let to = try day("to") ?? today
        let from = try day("from") ?? to
        guard from <= to else { throw APIError(.badRequest, code: .invalid, "from must not be after to", field: "from") }
        let area = try parameters.get("area").map { text in
            guard let id = Int64(text), id > 0 else { throw APIError(.badRequest, code: .invalid, "area must be an area id", field: "area") }
            return id
        }
        let found = try await services.feedIntake.counts(areaID: area, from: from, to: to, for: context.principal.post)
        return CountsJSON(area: AreaJSON(found.area), from: from, to: to, counts: found.counts)
    }

    struct LinkRequest: Decodable {
        var caseID: Int64
    }

    @Sendable func link(_ request: Request, context: SignedInContext) async throws -> ItemJSON {
        let id = try context.pathID("feed item")
        var request = request
        let body = try await request.decodeJSON(LinkRequest.self, context: context)
        let linked = try await services.feedIntake.link(itemID: id, caseID: body.caseID, by: context.principal)
        return ItemJSON(linked, directory: services.directory)
    }

    // MARK: Answers

    struct ItemJSON: JSONResponse {
        var stored: StoredFeedItem
        var area: AreaJSON?

        init(_ stored: StoredFeedItem, directory: Directory) {
            self.stored = stored
            area = directory.areas[stored.areaID].map(AreaJSON.init)
        }

        func write(to writer: inout JSONWriter) {
            let item = stored.item
            writer.object { json in
                json.field("id", stored.id)
                json.field("kind", item.kind)
                json.field("itemID", item.itemID)
                json.field("occurredAt", item.occurredAt)
                json.field("area", area)
                switch item.place {
                case .point(let point):
                    json.field("location", object: { json in
                        json.field("lat", point.lat)
                        json.field("lng", point.lng)
                    })
                case .areaCode(let code): json.field("areaCode", code)
                }
                json.field("place", item.placeName)
                json.field("title", item.title)
                json.field("text", item.text)
                json.field("source", item.source)
                json.field("url", item.url)
                json.field("heat", item.heat)
                json.field("incidentKind", item.incidentKind)
                json.field("parties", item.parties)
                json.field("isDispute", item.isDispute)
                json.field("caseID", item.caseID)
                json.field("receivedAt", stored.receivedAt)
            }
        }
    }

    struct ItemsJSON: JSONResponse {
        var items: [ItemJSON]

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("items", items) { json, item in item.write(to: &json) }
            }
        }
    }

    struct CountsJSON: JSONResponse {
        var area: AreaJSON
        var from: String
        var to: String
        var counts: [FeedDayCount]

        func write(to writer: inout JSONWriter) {
            writer.object { json in
                json.field("area", area)
                json.field("from", from)
                json.field("to", to)
                json.field("counts", counts) { json, count in
                    json.object { json in
                        json.field("day", count.day)
                        json.field("kind", count.kind)
                        json.field("count", count.count)
                    }
                }
            }
        }
    }
}
