public import Foundation
public import OneGridDomain
import SQLKit

/// A feed item placed: the area it lies in at every level it reaches (down to its grid when it
/// came with a point), and its day in the city's time zone, which it is counted under.
public struct PlacedFeedItem: Sendable {
    public var item: FeedItem
    /// The place's area at each level from the city down to the deepest one known.
    public var path: [AdminLevel: Int64]
    /// The deepest level of `path`: the grid for a point, the named area for a code.
    public var level: AdminLevel
    /// `YYYY-MM-DD` of `item.occurredAt` in the city's time zone.
    public var day: String
    public var postID: Int64
    public var receivedAt: Date

    public init(item: FeedItem, path: [AdminLevel: Int64], level: AdminLevel, day: String, postID: Int64, receivedAt: Date) {
        self.item = item
        self.path = path
        self.level = level
        self.day = day
        self.postID = postID
        self.receivedAt = receivedAt
    }
}

/// A feed item as stored.
public struct StoredFeedItem: Sendable, Hashable {
    public var id: Int64
    public var item: FeedItem
    public var level: AdminLevel
    public var areaID: Int64
    public var gridID: Int64?
    public var receivedAt: Date
}

/// What became of one item written: stored now, or stored before under the same id.
public enum FeedWrite: Sendable, Hashable {
    case taken(Int64)
    case repeated(Int64)
}

/// Items of one kind on one day in an area.
public struct FeedDayCount: Sendable, Hashable {
    public var kind: FeedKind
    public var day: String
    public var count: Int

    public init(kind: FeedKind, day: String, count: Int) {
        self.kind = kind
        self.day = day
        self.count = count
    }
}

/// The feeds of the data brain: 110 incidents and public-opinion items, each stored once, and
/// counted per area and day in the same transaction.
public protocol FeedStore: Sendable {
    /// Writes the items in one transaction; an item whose kind and id are stored already (before,
    /// or earlier in this batch) is not written again nor counted again.
    func record(_ items: [PlacedFeedItem]) async throws -> [FeedWrite]
    /// Items placed in an area (`level`'s column equal to `areaID`) that happened in
    /// `[from, before)`, newest first, at most `limit`.
    func items(kind: FeedKind?, level: AdminLevel, areaID: Int64, from: Date, before: Date, limit: Int) async throws -> [StoredFeedItem]
    func item(id: Int64) async throws -> StoredFeedItem?
    /// Links an item to the case it concerns.
    func link(id: Int64, caseID: Int64) async throws
    /// Items per kind and day in an area (`areaLevel`'s area `areaID`) on the days `from` to
    /// `to` (`YYYY-MM-DD`, both included), oldest first. Days are the city's, as the items were
    /// counted under them, so the store needs no time zone.
    func counts(areaLevel: AdminLevel, areaID: Int64, from: String, to: String) async throws -> [FeedDayCount]
}

public struct SQLFeedStore: FeedStore {
    let database: OneGridDatabase

    public init(database: OneGridDatabase) {
        self.database = database
    }

    static let levelColumns: [AdminLevel: String] = [
        .city: "city_id", .county: "county_id", .town: "town_id", .village: "village_id", .grid: "grid_id",
    ]

    struct Row: Codable {
        var id: Int64
        var kind: String
        var itemId: String
        var occurredAt: Int64
        var areaLevel: String
        var areaId: Int64
        var gridId: Int64?
        var lat: Double?
        var lng: Double?
        var place: String?
        var title: String?
        var text: String
        var source: String?
        var url: String?
        var heat: Double?
        var incidentKind: String?
        var parties: Int?
        var isDispute: Int?
        var caseId: Int64?
        var receivedAt: Int64

        func decoded(areaCode: (Int64) -> String) throws -> StoredFeedItem {
            let place: FeedPlace = if let lat, let lng { .point(GeoPoint(lat: lat, lng: lng)) } else { .areaCode(areaCode(areaId)) }
            let item = FeedItem(
                kind: try stored(FeedKind.self, kind), itemID: itemId, occurredAt: Date(millisecondsSince1970: occurredAt),
                place: place, placeName: self.place, title: title, text: text, source: source, url: url, heat: heat,
                incidentKind: incidentKind, parties: parties, isDispute: isDispute.map { $0 != 0 }, caseID: caseId)
            return StoredFeedItem(
                id: id, item: item, level: try stored(AdminLevel.self, areaLevel), areaID: areaId, gridID: gridId,
                receivedAt: Date(millisecondsSince1970: receivedAt))
        }
    }

    public func record(_ items: [PlacedFeedItem]) async throws -> [FeedWrite] {
        guard !items.isEmpty else { return [] }
        return try await database.transaction { db in
            var writes: [FeedWrite] = []
            var counts: [CountKey: Int] = [:]
            for placed in items {
                let item = placed.item
                var point: GeoPoint?
                if case .point(let at) = item.place { point = at }
                let columns = ["kind", "item_id", "occurred_at", "area_level", "area_id"] + AdminLevel.allCases.map { Self.levelColumns[$0]! } + [
                    "lat", "lng", "place", "title", "text", "source", "url", "heat", "incident_kind", "parties", "is_dispute", "case_id",
                    "post_id", "received_at",
                ]
                let values: [any SQLExpression] = [
                    SQLBind(item.kind.rawValue), SQLBind(item.itemID), SQLBind(item.occurredAt.millisecondsSince1970),
                    SQLBind(placed.level.rawValue), SQLBind(placed.path[placed.level]),
                ] + AdminLevel.allCases.map { SQLBind(placed.path[$0]) } + [
                    SQLBind(point?.lat), SQLBind(point?.lng), SQLBind(item.placeName), SQLBind(item.title), SQLBind(item.text),
                    SQLBind(item.source), SQLBind(item.url), SQLBind(item.heat), SQLBind(item.incidentKind), SQLBind(item.parties),
                    SQLBind(item.isDispute.map { $0 ? 1 : 0 }), SQLBind(item.caseID), SQLBind(placed.postID),
                    SQLBind(placed.receivedAt.millisecondsSince1970),
                ]
                let inserted = try await db.insert(into: "feed_items").columns(columns).values(values)
                    .ignoringConflicts(with: ["kind", "item_id"]).returning("id").first(decodingColumn: "id", as: Int64.self)
                if let inserted {
                    writes.append(.taken(inserted))
                    for (level, areaID) in placed.path {
                        counts[CountKey(kind: item.kind, level: level, areaID: areaID, day: placed.day), default: 0] += 1
                    }
                } else {
                    let existing = try await db.select().column("id").from("feed_items")
                        .where("kind", .equal, item.kind.rawValue).where("item_id", .equal, item.itemID)
                        .first(decodingColumn: "id", as: Int64.self)
                    guard let existing else { throw StoreError.corrupt("feed item \(item.itemID) neither written nor found") }
                    writes.append(.repeated(existing))
                }
            }
            for chunk in Array(counts).chunked(into: 500) {
                try await db.insert(into: "feed_counts").columns("kind", "area_level", "area_id", "day", "count")
                    .rows(chunk.map { key, count in
                        [SQLBind(key.kind.rawValue), SQLBind(key.level.rawValue), SQLBind(key.areaID), SQLBind(key.day), SQLBind(count)]
                    })
                    .onConflict(with: ["area_level", "area_id", "day", "kind"]) { conflict in
                        conflict.set(SQLIdentifier("count"), to: SQLQueryString("feed_counts.count + excluded.count"))
                    }.run()
            }
            return writes
        }
    }

    private struct CountKey: Hashable {
        var kind: FeedKind
        var level: AdminLevel
        var areaID: Int64
        var day: String
    }

    public func items(kind: FeedKind?, level: AdminLevel, areaID: Int64, from: Date, before: Date, limit: Int) async throws -> [StoredFeedItem] {
        var query = database.reader.select().columns("*").from("feed_items")
            .where(SQLIdentifier(Self.levelColumns[level]!), .equal, SQLBind(areaID))
            .where("occurred_at", .greaterThanOrEqual, from.millisecondsSince1970).where("occurred_at", .lessThan, before.millisecondsSince1970)
        if let kind { query = query.where("kind", .equal, kind.rawValue) }
        let rows = try await query.orderBy("occurred_at", .descending).orderBy("id", .descending).limit(limit)
            .all(decoding: Row.self, with: .snake)
        return try await decoded(rows)
    }

    public func item(id: Int64) async throws -> StoredFeedItem? {
        let rows = try await database.reader.select().columns("*").from("feed_items").where("id", .equal, id)
            .all(decoding: Row.self, with: .snake)
        return try await decoded(rows).first
    }

    /// Rows as items; one placed by an area's code gives that code back.
    private func decoded(_ rows: [Row]) async throws -> [StoredFeedItem] {
        let unplaced = Set(rows.filter { $0.lat == nil }.map(\.areaId))
        var codes: [Int64: String] = [:]
        if !unplaced.isEmpty {
            struct AreaCode: Decodable {
                var id: Int64
                var code: String
            }
            for row in try await database.reader.select().columns("id", "code").from("areas").where("id", .in, Array(unplaced))
                .all(decoding: AreaCode.self)
            { codes[row.id] = row.code }
        }
        return try rows.map { try $0.decoded { codes[$0] ?? "" } }
    }

    public func link(id: Int64, caseID: Int64) async throws {
        try await database.transaction { db in
            try await db.update("feed_items").set("case_id", to: caseID).where("id", .equal, id).run()
        }
    }

    public func counts(areaLevel: AdminLevel, areaID: Int64, from: String, to: String) async throws -> [FeedDayCount] {
        struct CountRow: Decodable {
            var kind: String
            var day: String
            var count: Int
        }
        return try await database.reader.select().columns("kind", "day", "count").from("feed_counts")
            .where("area_level", .equal, areaLevel.rawValue).where("area_id", .equal, areaID)
            .where("day", .greaterThanOrEqual, from).where("day", .lessThanOrEqual, to)
            .orderBy("day").orderBy("kind").all(decoding: CountRow.self)
            .map { FeedDayCount(kind: try stored(FeedKind.self, $0.kind), day: $0.day, count: $0.count) }
    }
}
