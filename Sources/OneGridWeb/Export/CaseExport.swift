import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDomain
import OneGridStore

/// Every case a post may see under a list's filters, as a spreadsheet (CSV) or one JSON object
/// a line (NDJSON), without personal data. Streamed: read a page at a time by the list's cursor
/// and sent as read, so a county's whole year costs the server no more memory than one page.
struct CaseExport: Sendable {
    /// Cases read per page: a page's rows stay small, and a large export is not mostly round trips.
    static let pageSize = 250
    /// The CSV columns, each titled by `export.column.<name>` in the reader's language.
    static let columns = [
        "number", "status", "category", "platform", "channel", "title", "county", "town", "village", "grid", "department",
        "created", "due", "closed", "finalLevel", "rating",
    ]

    let services: OneGridServices
    let format: ExportFormat
    let translation: Translation
    /// Whether a matched case is written: the queue's clock colours other than red are not
    /// stored, so they are told apart as the rows are read.
    var keeps: @Sendable (CaseRecord, Date) -> Bool = { _, _ in true }

    /// The download of every case `query` matches for `post`, from its first page whatever the
    /// query's cursor and limit.
    func response(_ query: CaseQuery, for post: Post) -> Response {
        let day = services.calendar.dayKey(services.clock.now).filter { $0 != "-" }
        let body = ResponseBody { [self] writer in
            try await write(query, for: post) { try await writer.write($0) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: format.headers(file: "cases", day: day), body: body)
    }

    /// Writes every case `query` matches for `post` to `sink` a page at a time, as read: the
    /// response's body and `onegrid export cases` alike. In the reports' lane, so that its pages'
    /// decoding and formatting wait for intake instead of intake for them.
    func write(_ query: CaseQuery, for post: Post, to sink: (ByteBuffer) async throws -> Void) async throws {
        try await withTaskExecutorPreference(ReportsExecutor.shared) {
            var query = query
            query.after = nil
            query.limit = Self.pageSize
            // A report-time window is read in report-time order, from the index of report times:
            // newest first by id, PostgreSQL walked every case reported since the window's end to
            // reach it (1.3 s a page for last month's cases once a soak's intake had added a million).
            if query.order == .newest && (query.createdFrom != nil || query.createdBefore != nil) { query.order = .reported }
            if format == .csv {
                try await sink(ByteBuffer(bytes: CSV.byteOrderMark + CSV.line(Self.columns.map { translation.text("export.column.\($0)") })))
            }
            repeat {
                let page = try await services.reading.list(query, for: post)
                let now = services.clock.now
                var buffer = ByteBuffer()
                for record in page.cases where keeps(record, now) {
                    buffer.writeBytes(line(record, for: post, now: now))
                }
                if buffer.readableBytes > 0 { try await sink(buffer) }
                query.after = page.next
            } while query.after != nil
        }
    }

    /// One case as a line of the format, its line end included.
    func line(_ record: CaseRecord, for post: Post, now: Date) -> [UInt8] {
        switch format {
        case .csv:
            return CSV.line(row(record, now: now))
        case .ndjson:
            var json = CaseJSON(record, for: post, directory: services.directory, calendar: services.calendar, now: now, detail: false)
            json.reporter = nil
            var writer = JSONWriter()
            json.write(to: &writer)
            return writer.bytes + [UInt8(ascii: "\n")]
        }
    }

    /// A case's cells, in the order of `columns`: names and words a reader knows, times in the
    /// city's time zone.
    func row(_ record: CaseRecord, now: Date) -> [String] {
        let file = record.file
        let directory = services.directory
        let t = translation
        let formats = PageFormats(t: t, calendar: services.calendar, now: now)
        let what: [String] = [
            CaseJSON.number(of: record, calendar: services.calendar),
            t.text("status.\(file.status.rawValue)"),
            directory.categories[file.categoryID]?.name ?? "",
            t.text("platform.\(record.platform.rawValue)"),
            t.text("channel.\(record.channel.rawValue)"),
            record.title,
        ]
        let places: [String] = [AdminLevel.county, .town, .village, .grid].map { directory.areas[file.areas[$0]]?.name ?? "" }
        let handling: [String] = [
            file.departmentID.flatMap { directory.departments[$0]?.name } ?? "",
            formats.dateTime(record.createdAt),
            formats.dateTime(record.dueAt),
            file.closedAt.map(formats.dateTime) ?? "",
            file.finalLevel.map { t.text("level.\($0.rawValue)") } ?? "",
            file.rating.map { t.text("rating.\($0.rawValue)") } ?? "",
        ]
        return what + places + handling
    }
}

extension Language {
    /// The first language of an `Accept-Language` header that OneGrid is written in, Chinese when
    /// none is. Listed order is taken as preference: browsers list by falling weight.
    init(acceptLanguage header: String?) {
        let tags = (header ?? "").split(separator: ",").compactMap { $0.split(separator: ";").first }
        self = tags.lazy.compactMap { Language(code: $0.trimmingCharacters(in: .whitespaces)) }.first ?? .zhCN
    }
}
