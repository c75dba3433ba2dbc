public import Foundation
public import OneGridDomain
public import OneGridStore

/// The feeds of the data brain (docs/hotline.md): 110 incidents and public-opinion items taken
/// in batches, line by line — each placed on the grid (a point through the grid locator, else the
/// area its division code names) inside the feeding post's area, linked to the case it names, and
/// stored once by its own id — then read back per area and counted per area and day for the risk
/// picture (四情).
public struct Feeds: Sendable {
    let services: OneGridServices

    /// Who feeds: DOMAIN.md §2's "hotline agent / integration", the one role for systems that
    /// talk to OneGrid through tokens. The police and monitoring platforms each get an account
    /// holding such a post over the area they cover, so what they feed is bounded like what a
    /// hotline reports.
    public static let feeders: Set<Role> = [.hotlineAgent]
    /// Who reads the items of their area: the centres that judge risks and their leaders, and
    /// the integration posts that fed them.
    public static let readers: Set<Role> = [.dispatcher, .leader, .hotlineAgent]
    /// Who links an item to a case later: the centre that holds the case.
    public static let linkers: Set<Role> = [.dispatcher]

    /// The most lines one batch may carry: a day of a city's feed, well within one transaction.
    public static let maxLines = 10_000

    /// One line of a batch, as read: its number (from 1) and its object, or why it could not be read.
    public struct Line: Sendable {
        public var number: Int
        public var object: Result<[String: JSONValue], FeedRefusal>

        public init(number: Int, object: Result<[String: JSONValue], FeedRefusal>) {
            self.number = number
            self.object = object
        }
    }

    /// The lines of an NDJSON body or file, numbered as an editor numbers them; blank lines are
    /// skipped, a line that is not one JSON object is kept to be refused.
    public static func lines(ndjson data: Data) -> [Line] {
        let decoder = JSONDecoder()
        var lines: [Line] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            guard !trimmed.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else { continue }
            lines.append(Line(number: index + 1, object: Result { try decoder.decode([String: JSONValue].self, from: Data(trimmed)) }.mapError { _ in notAnObject }))
        }
        return lines
    }

    /// A line that is not one JSON object.
    public static let notAnObject = FeedRefusal(field: "line", expected: "one JSON object")

    /// What became of one line.
    public struct Outcome: Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            case taken, repeated, refused
        }

        public var line: Int
        public var kind: Kind
        public var itemID: String?
        /// The stored item's id, taken now or before.
        public var id: Int64?
        public var refusal: FeedRefusal?
    }

    /// Takes a batch: every good line written in one transaction, every bad one reported with
    /// its field and what was expected there, nothing of it written.
    public func take(_ kind: FeedKind, lines: [Line], by principal: Principal) async throws -> [Outcome] {
        guard lines.count <= Self.maxLines else {
            throw DomainError.invalid(field: "body", "a batch holds at most \(Self.maxLines) lines; send the rest in another")
        }
        let now = services.clock.now
        var outcomes: [Outcome] = []
        var placed: [(index: Int, item: PlacedFeedItem)] = []
        for line in lines {
            do {
                let item = try FeedItem(kind, json: try line.object.get())
                placed.append((outcomes.count, try await place(item, for: principal.post, at: now)))
                outcomes.append(Outcome(line: line.number, kind: .taken, itemID: item.itemID))
            } catch {
                outcomes.append(Outcome(line: line.number, kind: .refused, itemID: Self.itemID(of: line, kind), refusal: error))
            }
        }
        let writes = try await services.feeds.record(placed.map(\.item))
        for (entry, write) in zip(placed, writes) {
            switch write {
            case .taken(let id): outcomes[entry.index].id = id
            case .repeated(let id):
                outcomes[entry.index].id = id
                outcomes[entry.index].kind = .repeated
            }
        }
        return outcomes
    }

    /// Takes the lines of a file in batches of `maxLines`, each in its own transaction, as the
    /// account `username` through its first feeding post.
    public func importFile(_ kind: FeedKind, lines: [Line], as username: String) async throws -> [Outcome] {
        guard let user = try await services.people.credentials(username: username)?.user,
            let post = try await services.people.posts(ofUser: user.id).first(where: { Self.feeders.contains($0.role) })
        else {
            throw DomainError.notFound("an account \(username) holding a \(Self.feeders.map(\.rawValue).sorted().joined(separator: " or ")) post", field: "as")
        }
        var outcomes: [Outcome] = []
        for start in stride(from: 0, to: lines.count, by: Self.maxLines) {
            outcomes += try await take(kind, lines: Array(lines[start..<min(start + Self.maxLines, lines.count)]), by: Principal(user: user, post: post))
        }
        return outcomes
    }

    /// Places an item inside the post's area and checks the case it names.
    func place(_ item: FeedItem, for post: Post, at now: Date) async throws(FeedRefusal) -> PlacedFeedItem {
        let directory = services.directory
        var path: [AdminLevel: Int64] = [:]
        let field: String
        switch item.place {
        case .point(let point):
            field = "location"
            guard let grid = directory.locator.grid(containing: point) else {
                throw FeedRefusal(field: field, expected: "a point inside one of the city's grids")
            }
            for area in directory.lineage(of: grid) { path[area.level] = area.id }
        case .areaCode(let code):
            field = "areaCode"
            guard let area = directory.area(code: code), area.retiredAt == nil else {
                throw FeedRefusal(field: field, expected: "the division code of an area of the city (GET /api/v1/areas)")
            }
            for area in directory.lineage(of: area.id) { path[area.level] = area.id }
        }
        guard path[post.areaLevel] == post.areaID, let level = AdminLevel.allCases.last(where: { path[$0] != nil }) else {
            throw FeedRefusal(field: field, expected: "a place inside this post's area")
        }
        if let caseID = item.caseID {
            let record = try? await services.cases.record(id: caseID)
            guard let record, CasePolicy.canSee(record.file, as: post) else {
                throw FeedRefusal(field: "caseID", expected: "the id of a case in this post's area")
            }
        }
        return PlacedFeedItem(item: item, path: path, level: level, day: FeedItem.day(of: item.occurredAt, in: services.calendar.timeZone), postID: post.id, receivedAt: now)
    }

    /// The item's id as the line gives it, to name the line in the answer even when refused.
    private static func itemID(of line: Line, _ kind: FeedKind) -> String? {
        guard case .success(let object) = line.object, case .string(let id)? = object[kind == .policeIncident ? "incidentNumber" : "id"] else { return nil }
        return String(id.prefix(100))
    }

    /// The items of the post's area that happened in `[from, before)`, newest first.
    public func items(kind: FeedKind?, from: Date, before: Date, limit: Int, for post: Post) async throws -> [StoredFeedItem] {
        try await services.feeds.items(kind: kind, level: post.areaLevel, areaID: post.areaID, from: from, before: before, limit: limit)
    }

    /// Items per kind and day in an area within the post's (its own by default), days `from`–`to`.
    public func counts(areaID: Int64?, from: String, to: String, for post: Post) async throws -> (area: Area, counts: [FeedDayCount]) {
        let directory = services.directory
        let id = areaID ?? post.areaID
        guard let area = directory.areas[id], directory.lineage(of: id).contains(where: { $0.id == post.areaID }) else {
            throw DomainError.notFound("area \(id)", field: "area")
        }
        return (area, try await services.feeds.counts(areaLevel: area.level, areaID: area.id, from: from, to: to))
    }

    /// A dispatcher links an item of their area to a case their centre can see.
    public func link(itemID: Int64, caseID: Int64, by principal: Principal) async throws -> StoredFeedItem {
        let post = principal.post
        guard let stored = try await services.feeds.item(id: itemID),
            services.directory.lineage(of: stored.areaID).contains(where: { $0.id == post.areaID })
        else {
            throw DomainError.notFound("feed item \(itemID)", field: "id")
        }
        _ = try await services.reading.visibleCase(caseID, to: post)
        try await services.feeds.link(id: itemID, caseID: caseID)
        var linked = stored
        linked.item.caseID = caseID
        return linked
    }
}
