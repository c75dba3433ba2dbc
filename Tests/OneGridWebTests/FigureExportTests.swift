import Foundation
import HTTPTypes
import OneGridApplication
import OneGridDomain
import OneGridStore
@testable import OneGridWeb
import Testing

/// Figures as downloads (`?format=csv|ndjson` on every figures endpoint, a link on the command
/// room) and `onegrid export`'s code path, which must write what the API sends, scoped alike.
@Suite struct FigureExportTests {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A CSV download's rows as header name → cell, after checking its BOM.
    static func rows(_ body: Data) throws -> (header: [String], rows: [[String: String]]) {
        #expect(Array(body.prefix(3)) == byteOrderMark, "Excel needs the byte order mark to read UTF-8")
        let records = CSV.records(Array(body))
        let header = try #require(records.first).cells
        return (header, records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.cells)) })
    }

    /// An NDJSON download's lines, each one JSON object, written again with sorted keys.
    static func objects(_ body: Data?, without dropped: String? = nil) throws -> [String] {
        let text = String(decoding: body ?? Data(), as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "one object a line: \(line)")
            if let dropped { object[dropped] = nil }
            return try canonical(object)
        }
    }

    /// Whether a cell's number is the JSON's: JSON writes a whole number without a fraction, and
    /// Foundation's JSON reader may round the last digit of a long fraction.
    static func same(_ cell: Double?, _ json: Any?) -> Bool {
        guard let cell, let value = (json as? Double) ?? (json as? Int).map(Double.init) else { return false }
        return abs(cell - value) <= 1e-12 * max(1, abs(value))
    }

    /// A JSON value written with sorted keys, to compare objects whatever their keys' order.
    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func theOverviewsDownloadsHoldTheJSONsNumbersUnderHeadersInTheReadersLanguage() async throws {
        try await TestApp.run(cases: 300) { api, _ in
            let town = try await api.signIn("town1")
            // The last twelve months: the current month alone has no cases yet in its first hours.
            let current = FigureMonth(Date(), in: FigureMonth.cityTimeZone)
            let overview = "/api/v1/figures/overview?from=\(current.adding(months: -11))&to=\(current)"
            let json = try await api.send(.get, overview, token: town)
            let objects = [try #require(json["figures"] as? [String: Any])] + (try #require(json["children"] as? [[String: Any]]))
            #expect(objects.count > 1, "the town and its villages")

            let csv = try await api.send(.get, overview + "&format=csv", token: town)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let disposition = try #require(csv.headers[.contentDisposition])
            #expect(disposition.wholeMatch(of: /attachment; filename="figures-overview-\d{8}\.csv"/) != nil, "\(disposition)")
            let (header, rows) = try Self.rows(csv.body)
            #expect(Array(header.prefix(6)) == ["代码", "名称", "层级", "在办", "超期", "受理量"])
            #expect(rows.count == objects.count)
            var received = 0
            for (row, object) in zip(rows, objects) {
                let area = try #require(object["area"] as? [String: Any])
                let totals = try #require(object["totals"] as? [String: Any])
                #expect(row["代码"] == area["code"] as? String && row["名称"] == area["name"] as? String)
                let open = try #require(object["open"] as? Int), overdue = try #require(object["overdue"] as? Int)
                #expect(row["在办"] == "\(open)" && row["超期"] == "\(overdue)")
                for (key, title) in [("received", "受理量"), ("closed", "办结"), ("closedOnTime", "按期办结"), ("cancelled", "作废"), ("rated", "评价")] {
                    #expect(row[title] == "\(try #require(totals[key] as? Int))", "\(key) of \(area["code"] ?? "")")
                }
                for (key, title) in [("closureRate", "办结率"), ("onTimeRate", "按期办结率"), ("satisfaction", "满意率")] {
                    let cell = try #require(row[title])
                    #expect(cell.isEmpty ? totals[key] == nil : Self.same(Double(cell), totals[key]), "\(key): \(cell)")
                }
                received += totals["received"] as? Int ?? 0
            }
            #expect(received > 0, "the figures compared are not all zero")

            let english = try await api.send(.get, overview + "&format=csv", token: town, headers: [.acceptLanguage: "en"])
            #expect(Array(try Self.rows(english.body).header.prefix(6)) == ["Code", "Name", "Level", "Open", "Overdue", "Received"])

            let ndjson = try await api.send(.get, overview + "&format=ndjson", token: town)
            #expect(ndjson.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            #expect(try Self.objects(ndjson.body) == objects.map(Self.canonical), "each line is the JSON's row, as it writes it")

            let refused = try await api.send(.get, "/api/v1/figures/overview?format=xlsx", token: town)
            #expect(refused.status == .badRequest && refused.errorField == "format")
        }
    }

    @Test func theDeadlineFiguresDownloadsHoldTheRowsAndTheirTotal() async throws {
        try await TestApp.run(cases: 300) { api, _ in
            let city = try await api.signIn("city")
            for groupBy in ["area", "department"] {
                let json = try await api.send(.get, "/api/v1/figures/deadlines?groupBy=\(groupBy)", token: city)
                let rows = try #require(json["rows"] as? [[String: Any]])
                var total = try #require(json["total"] as? [String: Any])
                total["total"] = true

                let csv = try await api.send(.get, "/api/v1/figures/deadlines?groupBy=\(groupBy)&format=csv", token: city)
                #expect(csv.headers[.contentDisposition]?.contains("figures-deadlines-") == true)
                let (header, cells) = try Self.rows(csv.body)
                #expect(header == ["代码", "区域或部门", "受理量", "办结", "按期办结", "按期办结率", "超期", "已反馈", "平均办理时长（小时）"])
                #expect(cells.count == rows.count + 1 && cells.last?["区域或部门"] == "合计")
                for (row, object) in zip(cells, rows + [total]) {
                    for (key, title) in [("received", "受理量"), ("closed", "办结"), ("closedOnTime", "按期办结"), ("overdue", "超期"), ("handled", "已反馈")] {
                        #expect(row[title] == "\(try #require(object[key] as? Int))", "\(groupBy) \(key)")
                    }
                    let hours = try #require(row["平均办理时长（小时）"])
                    #expect(hours.isEmpty ? object["averageHandlingHours"] == nil : Self.same(Double(hours), object["averageHandlingHours"]), "\(hours)")
                }
                #expect(cells.last?["受理量"] == "\(rows.reduce(0) { $0 + ($1["received"] as? Int ?? 0) })", "the total adds the rows up")

                let ndjson = try await api.send(.get, "/api/v1/figures/deadlines?groupBy=\(groupBy)&format=ndjson", token: city)
                #expect(try Self.objects(ndjson.body) == (rows + [total]).map(Self.canonical))
            }
        }
    }

    @Test func theCommandRoomLinksItsFiguresAsDownloads() async throws {
        try await TestApp.pages(cases: 100) { browser, _, _ in
            try await browser.signIn("city")
            let room = try await browser.get("/command-room")
            let match = try #require(room.html.firstMatch(of: /href="(\/command-room\/export\?[^"]*format=csv[^"]*)"/), "the room links its CSV")
            let link = String(match.1).replacingOccurrences(of: "&amp;", with: "&")
            let csv = try await browser.get(link)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.hasPrefix("\u{FEFF}代码,名称,层级,在办,超期,受理量,"))
            #expect(room.html.contains("/command-room/export?area=") && room.html.contains("format=ndjson"))
            #expect((try await browser.get("/command-room/export?format=xlsx")).status == .notFound)
        }
    }

    /// `onegrid export` reads through `Exports` and `commandLinePost`: the same bytes as the API's
    /// download for the same post and filters, and only what that post sees.
    @Test func theCommandLinesExportIsTheAPIsDownloadForTheSamePost() async throws {
        try await TestApp.run(cases: 300) { api, city in
            let hotline = try await api.signIn("hotline")
            let far = try #require(try await api.report(token: hotline, at: city.gridPoints[2].point, title: "别村的案件")["number"] as? String)
            let near = try #require(try await api.report(token: hotline, at: city.gridPoints[0].point, title: "本村的案件")["number"] as? String)
            let village = try await api.signIn("village1")
            let cityToken = try await api.signIn("city")
            let filters = "status=reported,accepted,closed&order=newest"
            let fromAPI = [
                "csv": try await api.send(.get, "/api/v1/cases/export?format=csv&\(filters)", token: village).body,
                "ndjson": try await api.send(.get, "/api/v1/cases/export?format=ndjson&\(filters)", token: village).body,
            ]
            let cityCSV = try await api.send(.get, "/api/v1/cases/export?format=csv", token: cityToken).body
            let overview = try await api.send(.get, "/api/v1/figures/overview?format=ndjson", token: village).body
            let deadlines = try await api.send(.get, "/api/v1/figures/deadlines?format=csv", token: village).body

            try await OneGridDatabase.using(city.databasePath) { database in
                let services = try await OneGridServices(database: database)
                let exports = try Exports(services: services, language: "zh-CN")
                let post = try await services.commandLinePost(username: "village1", postID: nil)
                func cases(_ format: ExportFormat, _ filters: String, for post: Post) async throws -> Data {
                    var bytes: [UInt8] = []
                    try await exports.cases(filters: filters, format: format, for: post) { bytes += $0 }
                    return Data(bytes)
                }
                #expect(try await cases(.csv, filters, for: post) == fromAPI["csv"], "the file is the API's download")
                // A running clock's used and left seconds move between the two reads.
                let lines = try Self.objects(try await cases(.ndjson, filters, for: post), without: "clock")
                let fromAPILines = try Self.objects(fromAPI["ndjson"], without: "clock")
                #expect(!lines.isEmpty && lines == fromAPILines)
                let villageCSV = String(decoding: try await cases(.csv, "", for: post), as: UTF8.self)
                #expect(villageCSV.contains(near) && !villageCSV.contains(far), "a village's post exports its village only")
                let administrator = try await services.commandLinePost(username: nil, postID: nil)
                let everything = try await cases(.csv, "", for: administrator)
                #expect(everything == cityCSV && String(decoding: everything, as: UTF8.self).contains(far), "no --as: every case")

                let overviewLines = try Self.objects(Data(try await exports.figures(.overview, filters: "", format: .ndjson, for: post)))
                #expect(try overviewLines == Self.objects(overview), "the same rows (JSON's key order is not fixed)")
                #expect(Data(try await exports.figures(.deadlines, filters: "", format: .csv, for: post)) == deadlines)

                let townArea = try #require(city.directory.areas.values.first { $0.level == .town }).id
                await #expect(throws: DomainError.self, "an area above the post's is not there for it") {
                    _ = try await exports.figures(.overview, filters: "area=\(townArea)", format: .csv, for: post)
                }
                let refusal = await #expect(throws: APIError.self) { try await cases(.csv, "status=lost", for: post) }
                #expect(refusal?.field == "status", "a filter is refused by name, as the API refuses it")
                await #expect(throws: DomainError.self) { _ = try await services.commandLinePost(username: "nobody", postID: nil) }
                #expect(throws: APIError.self) { _ = try Exports(services: services, language: "fr") }
            }
        }
    }
}
