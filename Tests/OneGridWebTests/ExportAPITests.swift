import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridScratch
import OneGridStore
@testable import OneGridWeb
import Testing

/// The export of a case list: a spreadsheet Excel opens in Chinese, every case the filters
/// match and the post may see, no personal data, sent as it is read.
@Suite struct ExportAPITests {
    static let chineseHeader = "编号,状态,类别,平台,渠道,事项,县（区）,乡镇（街道）,村（社区）,网格,承办部门,上报时间,办结时限,办结时间,最终办理层级,评价"
    static let englishHeader = "Number,Status,Category,Platform,Channel,Matter,County,Town,Village,Grid,Department,Reported,Due,Closed,Final level,Rating"

    @Test func theCSVOpensInExcelInEitherLanguageWithAwkwardTitlesIntactAndNoPersonalData() async throws {
        try await TestApp.run { api, city in
            let worker = try await api.signIn("gridworker1")
            let title = "路灯坏了, 村民说\"很暗\"\n第二行"
            let number = try #require(try await api.report(token: worker, at: city.gridPoints[0].point, title: title)["number"] as? String)
            let town = try await api.signIn("town1")

            let chinese = try await api.send(.get, "/api/v1/cases/export?format=csv", token: town)
            #expect(chinese.status == .ok)
            #expect(chinese.headers[.contentType] == "text/csv; charset=utf-8")
            let disposition = try #require(chinese.headers[.contentDisposition])
            #expect(disposition.wholeMatch(of: /attachment; filename="cases-\d{8}\.csv"/) != nil, "\(disposition)")
            #expect(Array(chinese.body.prefix(3)) == [0xEF, 0xBB, 0xBF], "Excel needs the byte order mark to read UTF-8")
            let text = try #require(String(data: chinese.body.dropFirst(3), encoding: .utf8))
            #expect(text.hasPrefix(Self.chineseHeader + "\r\n"))
            #expect(text.contains("\r\n\(number),已受理,") || text.contains("\r\n\(number),待受理,"), "\(text)")
            #expect(text.contains(",\"路灯坏了, 村民说\"\"很暗\"\"\n第二行\","), "RFC 4180: quoted, quotes doubled, the line break kept")
            #expect(text.hasSuffix("\r\n"))
            for personal in ["张三", "5678", "002X"] { #expect(!text.contains(personal)) }

            let english = try await api.send(.get, "/api/v1/cases/export", token: town, headers: [.acceptLanguage: "en-GB,en;q=0.9,zh-CN;q=0.5"])
            let englishText = try #require(String(data: english.body.dropFirst(3), encoding: .utf8))
            #expect(englishText.hasPrefix(Self.englishHeader + "\r\n"), "csv is the default format")
        }
    }

    @Test func theNDJSONIsTheListsCasesWithoutTheReporter() async throws {
        try await TestApp.run(cases: 60) { api, _ in
            let city = try await api.signIn("city")
            let list = try await api.send(.get, "/api/v1/cases?limit=5", token: city)
            let listed = try #require(list["cases"] as? [[String: Any]])
            let export = try await api.send(.get, "/api/v1/cases/export?format=ndjson", token: city)
            #expect(export.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            #expect(export.headers[.contentDisposition]?.hasSuffix(".ndjson\"") == true)
            let lines = try #require(String(data: export.body, encoding: .utf8)).split(separator: "\n")
            let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            #expect(objects.count >= listed.count)
            for (exported, shown) in zip(objects, listed) {
                #expect(exported["reporter"] == nil)
                #expect(Set(exported.keys) == Set(shown.keys).subtracting(["reporter"]))
                #expect(exported["number"] as? String == shown["number"] as? String)
            }
            #expect(!String(decoding: export.body, as: UTF8.self).contains("idNumber"))
        }
    }

    @Test func theExportHoldsExactlyTheFilteredCasesThePostSees() async throws {
        try await TestApp.run(cases: 300) { api, city in
            // The tiny city has one town: the third grid lies in the second village, outside village1's.
            let hotline = try await api.signIn("hotline")
            let far = try #require(try await api.report(token: hotline, at: city.gridPoints[2].point, title: "别村的案件")["number"] as? String)
            let near = try #require(try await api.report(token: hotline, at: city.gridPoints[0].point, title: "本村的案件")["number"] as? String)

            let villageToken = try await api.signIn("village1")
            let villageCSV = String(decoding: (try await api.send(.get, "/api/v1/cases/export", token: villageToken)).body, as: UTF8.self)
            #expect(villageCSV.contains(near))
            #expect(!villageCSV.contains(far) && !villageCSV.contains("别村的案件"), "another area's case stays out")
            let cityToken = try await api.signIn("city")
            #expect(String(decoding: (try await api.send(.get, "/api/v1/cases/export", token: cityToken)).body, as: UTF8.self).contains(far))

            // The list's every page, against the export under the same filter.
            let filter = "status=closed,archived&order=newest"
            var listed: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.send(.get, "/api/v1/cases?\(filter)&limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""), token: cityToken)
                listed += try #require(page["cases"] as? [[String: Any]]).compactMap { $0["number"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(listed.count > 200, "the filter spans more than one list page")
            let csv = String(decoding: (try await api.send(.get, "/api/v1/cases/export?\(filter)", token: cityToken)).body.dropFirst(3), as: UTF8.self)
            let rows = csv.split(separator: "\r\n").dropFirst()
            #expect(rows.map { String($0.prefix { $0 != "," }) } == listed)
            #expect(rows.allSatisfy { $0.contains(",已办结,") || $0.contains(",已归档,") }, "\(rows.prefix(3))")

            let refused = try await api.send(.get, "/api/v1/cases/export?format=xlsx", token: cityToken)
            #expect(refused.status == .badRequest && refused.errorField == "format")
        }
    }

    @Test func theQueuesExportLinkDownloadsTheQueuesFilteredCases() async throws {
        try await TestApp.pages { browser, api, city in
            let worker = try await api.signIn("gridworker1")
            for title in ["导出甲路灯", "导出乙垃圾"] { _ = try await api.report(token: worker, at: city.gridPoints[0].point, title: title) }
            try await browser.signIn("village1")
            let queue = try await browser.get("/queue?q=" + "导出甲".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let match = try #require(queue.html.firstMatch(of: /href="(\/queue\/export\?[^"]*)"/), "the queue links its export")
            let link = String(match.1).replacingOccurrences(of: "&amp;", with: "&")
            #expect(link.contains("q=") && link.contains("order=urgent"), "\(link)")
            let export = try await browser.get(link)
            #expect(export.status == .ok && export.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(export.html.hasPrefix("\u{FEFF}" + Self.chineseHeader + "\r\n"))
            #expect(export.html.contains("导出甲路灯") && !export.html.contains("导出乙垃圾"), "the queue's filter holds")

            // A filter the queue cannot read is not dropped silently: the queue says what is wrong.
            let refused = try await browser.get("/queue/export?status=bogus")
            #expect(refused.status == .seeOther && refused.location == "/queue?status=bogus")
        }
    }

    /// A few thousand cases leave in many writes, none larger than a page: the export never
    /// gathers every row before sending.
    @Test func aLargeExportIsSentPageByPage() async throws {
        try await ScratchDatabase.withOpened(.sqlite, prefix: "onegrid-export") { database in
            _ = try await DemoCity.build(into: database, size: .tiny, cases: 3000)
            let services = try await OneGridServices(database: database)
            let city = try #require(services.directory.areas.values.first { $0.level == .city })
            let post = Post(id: 1, userID: 1, role: .dispatcher, areaID: city.id, areaLevel: .city, departmentID: nil)
            let translation = try PageResources.bundled.get().translation(.zhCN)
            let response = CaseExport(services: services, format: .csv, translation: translation).response(CaseQuery(), for: post)
            let (chunks, sink) = AsyncStream.makeStream(of: String.self)
            try await response.body.write(LiveStreamTests.CollectingWriter(sink: sink))
            var written: [String] = []
            for await chunk in chunks { written.append(chunk) }
            let rows = written.dropFirst().map { $0.split(separator: "\r\n").count }
            #expect(rows.reduce(0, +) == 3000)
            #expect(written.count > 3000 / CaseExport.pageSize, "one write per page read, after the header")
            #expect(rows.allSatisfy { $0 <= CaseExport.pageSize })
        }
    }
}
