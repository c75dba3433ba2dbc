public import Foundation

/// The outside feeds of the data brain (四情: 警情 and 舆情), which the risk picture counts per
/// area and day beside the grid's own cases and petitions.
public enum FeedKind: String, Codable, Sendable, CaseIterable {
    /// A 110 police incident summary (警情), fed by the police platform.
    case policeIncident
    /// A public-opinion item (舆情) found online, fed by a monitoring service.
    case publicOpinion
}

/// Where an item happened: a point, placed on its grid, or else an area's division code.
public enum FeedPlace: Sendable, Hashable {
    case point(GeoPoint)
    case areaCode(String)
}

/// One item of a feed, validated: what each kind must carry, nothing placed yet.
public struct FeedItem: Sendable, Hashable {
    /// `YYYY-MM-DD` in the city's time zone: the day an item is counted under.
    public static func day(of date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    public var kind: FeedKind
    /// The item's own id in its source (the incident number, the opinion item's id): an item sent
    /// again is the same item.
    public var itemID: String
    /// When it happened (the incident) or was published (the item).
    public var occurredAt: Date
    public var place: FeedPlace
    /// The place as the source words it.
    public var placeName: String?
    /// The opinion item's title.
    public var title: String?
    /// The incident's summary or the item's text.
    public var text: String
    /// Where an opinion item was found (a site, an account) and its address.
    public var source: String?
    public var url: String?
    /// The opinion item's heat, as its monitoring service scores it.
    public var heat: Double?
    /// The incident's kind as the police platform classes it.
    public var incidentKind: String?
    public var parties: Int?
    public var isDispute: Bool?
    /// The case the item concerns, when the source knows it.
    public var caseID: Int64?

    public init(
        kind: FeedKind, itemID: String, occurredAt: Date, place: FeedPlace, placeName: String? = nil, title: String? = nil, text: String,
        source: String? = nil, url: String? = nil, heat: Double? = nil, incidentKind: String? = nil, parties: Int? = nil,
        isDispute: Bool? = nil, caseID: Int64? = nil
    ) {
        self.kind = kind
        self.itemID = itemID
        self.occurredAt = occurredAt
        self.place = place
        self.placeName = placeName
        self.title = title
        self.text = text
        self.source = source
        self.url = url
        self.heat = heat
        self.incidentKind = incidentKind
        self.parties = parties
        self.isDispute = isDispute
        self.caseID = caseID
    }
}

/// A line of a feed that was refused: which, the field, and what was expected there.
public struct FeedRefusal: Error, Sendable, Hashable {
    public var field: String
    public var expected: String

    public init(field: String, expected: String) {
        self.field = field
        self.expected = expected
    }
}

extension FeedItem {
    /// Reads one item of `kind` from a JSON object as the feed's documentation writes it
    /// (docs/hotline.md), refusing the first field that is missing or not what it should be.
    public init(_ kind: FeedKind, json: [String: JSONValue]) throws(FeedRefusal) {
        var fields = FeedFields(json)
        self.kind = kind
        switch kind {
        case .policeIncident:
            itemID = try fields.identifier("incidentNumber")
            occurredAt = try fields.time("time")
            incidentKind = try fields.text("kind", max: 100)
            text = try fields.text("summary", max: 5_000)
            parties = try fields.optionalInteger("parties", in: 0...10_000).map(Int.init)
            isDispute = try fields.optionalBool("isDispute") ?? false
        case .publicOpinion:
            itemID = try fields.identifier("id")
            occurredAt = try fields.time("publishedAt")
            source = try fields.text("source", max: 200)
            url = try fields.optionalURL("url")
            title = try fields.text("title", max: 500)
            text = try fields.optionalText("text", max: 20_000) ?? ""
            heat = try fields.optionalNumber("heat", in: 0...1_000_000_000)
        }
        placeName = try fields.optionalText("place", max: 500)
        caseID = try fields.optionalInteger("caseID", in: 1...Int64(Int32.max) * 1_000)
        if let point = try fields.point("location") {
            place = .point(point)
        } else if let code = try fields.optionalText("areaCode", max: 12) {
            place = .areaCode(code)
        } else {
            throw FeedRefusal(field: "location", expected: "a location {lat, lng} or an areaCode")
        }
        try fields.refuseOthers()
    }
}

/// A JSON value as a feed line carries it: read with `JSONDecoder`, so a number is never taken
/// for a boolean or the other way round.
public enum JSONValue: Decodable, Sendable, Hashable {
    case string(String), number(Double), bool(Bool), object([String: JSONValue]), array([JSONValue]), null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// The fields of one JSON object, read once each so any left over can be refused by name.
private struct FeedFields {
    let json: [String: JSONValue]
    var read: Set<String> = []

    init(_ json: [String: JSONValue]) { self.json = json }

    mutating func value(_ name: String) -> JSONValue? {
        read.insert(name)
        guard let value = json[name], value != .null else { return nil }
        return value
    }

    mutating func identifier(_ name: String) throws(FeedRefusal) -> String {
        guard case .string(let text)? = value(name), (1...100).contains(text.count), text.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw FeedRefusal(field: name, expected: "the item's own id: 1–100 visible ASCII characters")
        }
        return text
    }

    mutating func time(_ name: String) throws(FeedRefusal) -> Date {
        guard case .string(let text)? = value(name), let date = try? Date(text, strategy: .iso8601) else {
            throw FeedRefusal(field: name, expected: "an ISO 8601 time with its offset, e.g. 2026-11-30T08:15:00+08:00")
        }
        return date
    }

    mutating func text(_ name: String, max: Int) throws(FeedRefusal) -> String {
        guard let text = try optionalText(name, max: max), !text.isEmpty else {
            throw FeedRefusal(field: name, expected: "a text of 1–\(max) characters")
        }
        return text
    }

    mutating func optionalText(_ name: String, max: Int) throws(FeedRefusal) -> String? {
        guard let raw = value(name) else { return nil }
        guard case .string(let text) = raw, text.count <= max else { throw FeedRefusal(field: name, expected: "a text of at most \(max) characters") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    mutating func optionalURL(_ name: String) throws(FeedRefusal) -> String? {
        guard let raw = value(name) else { return nil }
        guard case .string(let text) = raw, text.count <= 2_048, let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased()),
            url.host?.isEmpty == false
        else { throw FeedRefusal(field: name, expected: "an http or https URL of at most 2,048 characters") }
        return text
    }

    mutating func optionalInteger(_ name: String, in range: ClosedRange<Int64>) throws(FeedRefusal) -> Int64? {
        guard let raw = value(name) else { return nil }
        guard case .number(let number) = raw, number.rounded() == number, number >= Double(range.lowerBound), number <= Double(range.upperBound)
        else { throw FeedRefusal(field: name, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return Int64(number)
    }

    mutating func optionalNumber(_ name: String, in range: ClosedRange<Double>) throws(FeedRefusal) -> Double? {
        guard let raw = value(name) else { return nil }
        guard case .number(let number) = raw, range.contains(number) else {
            throw FeedRefusal(field: name, expected: "a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
        }
        return number
    }

    mutating func optionalBool(_ name: String) throws(FeedRefusal) -> Bool? {
        guard let raw = value(name) else { return nil }
        guard case .bool(let flag) = raw else { throw FeedRefusal(field: name, expected: "true or false") }
        return flag
    }

    mutating func point(_ name: String) throws(FeedRefusal) -> GeoPoint? {
        guard let raw = value(name) else { return nil }
        guard case .object(let point) = raw, case .number(let lat)? = point["lat"], case .number(let lng)? = point["lng"], point.count == 2,
            let valid = try? GeoPoint(lat: lat, lng: lng).validated()
        else { throw FeedRefusal(field: name, expected: "an object {lat, lng} of a point on earth") }
        return valid
    }

    func refuseOthers() throws(FeedRefusal) {
        if let unknown = json.keys.sorted().first(where: { !read.contains($0) }) {
            throw FeedRefusal(field: unknown, expected: "no such field; the fields are \(read.sorted().joined(separator: ", "))")
        }
    }
}
