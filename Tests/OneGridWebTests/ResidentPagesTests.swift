import Foundation
import HTTPTypes
import OneGridDomain
@testable import OneGridWeb
import Testing

/// The residents' pages on the demo's tiny city: a village imports a register (refused whole
/// when a row is wrong, each wrong row listed), finds a person masked, reveals a field with its
/// purpose, exports the list; a department of the area sees them, and overdue visits show per grid.
@Suite struct ResidentPagesTests {
    static func register(grid: String, rows: [[String]]) -> [UInt8] {
        let header = ["网格编码", "户号", "住址", "姓名", "身份证号", "联系电话", "与户主关系", "人员类别", "户籍类型"]
        return CSV.byteOrderMark + ([header] + rows).flatMap(CSV.line)
    }

    @Test func aVillageImportsARegisterFindsAPersonRevealsWithAPurposeAndExports() async throws {
        try await TestApp.pages { browser, _, city in
            try await browser.signIn("village1")
            let grid = city.directory.areas.values.filter { $0.level == .grid }.min { $0.code < $1.code }!
            let idNumber = PersonalData.idNumber(body: "37990019660606123")
            let good = [grid.code, "Z1", "和平村9组1号", "欧阳明", idNumber, "13812340000", "户主", "困难群众", "户籍"]
            let bad = [grid.code, "Z2", "和平村9组2号", "欧阳亮", "123", "", "户主", "普通人员", "户籍"]

            let form = try await browser.get("/residents/import")
            #expect(form.status == .ok && form.html.contains("网格编码"))
            let refused = try await browser.post(
                "/residents/import", [], files: [("file", "register.csv", Self.register(grid: grid.code, rows: [good, bad]))], token: form.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains("<td class=\"num\">3</td><td class=\"mono\">idNumber</td>"), "the bad row is named by line and column")
            #expect(try await browser.get("/residents?q=欧阳").html.contains("欧阳明") == false, "nothing was written")

            let done = try await browser.post(
                "/residents/import", [], files: [("file", "register.csv", Self.register(grid: grid.code, rows: [good]))], token: form.formToken)
            #expect(done.status == .ok && done.html.contains("已导入 1 户、1 人"))

            let found = try await browser.get("/residents?q=欧阳")
            #expect(found.html.contains("欧阳明") && found.html.contains(PersonalData.maskIDNumber(idNumber)) && !found.html.contains(idNumber))
            let href = try #require(found.html.firstMatch(of: /href="(\/residents\/\d+)"/)).1
            let page = try await browser.get(String(href))
            #expect(page.status == .ok && page.html.contains("138****0000") && page.html.contains("导入"))
            let revealed = try await browser.post("\(href)/reveal", [("field", "idNumber"), ("purpose", "核实困难补助申请")], token: page.formToken)
            #expect(try await browser.get(try #require(revealed.location)).html.contains(idNumber))

            let export = try await browser.get("/residents/export?grid=\(grid.id)")
            #expect(export.status == .ok && export.html.hasPrefix("\u{FEFF}") && export.html.contains("欧阳明") && !export.html.contains(idNumber))

            let overdue = try await browser.get("/visits/overdue")
            #expect(overdue.status == .ok && overdue.html.contains(grid.name))

            let committee = Browser(client: browser.client)
            try await committee.signIn("handler.village1")
            #expect(try await committee.get("/residents?q=欧阳").html.contains("欧阳明"), "a department reads its area's people")
            #expect(try await committee.get("/residents/import").status == .forbidden)
        }
    }
}

/// The grid worker's phone: who is due this week, a visit logged, and one turned into a case.
@Suite struct FieldVisitPagesTests {
    @Test func aGridWorkerLogsAVisitAndTurnsWhatWasFoundIntoACase() async throws {
        try await TestApp.pages { browser, api, _ in
            try await browser.signIn("gridworker1")
            let due = try await browser.get("/field/visits")
            #expect(due.status == .ok)
            let path = String(try #require(due.html.firstMatch(of: /href="(\/field\/visits\/household\/\d+)"/)).1)
            let form = try await browser.get(path)
            #expect(form.status == .ok && form.html.contains("turnIntoCase"))
            let refused = try await browser.post(path, [("whom", ""), ("findings", "x")], token: form.formToken)
            #expect(refused.status == .unprocessableContent && refused.html.contains("whom"))
            let logged = try await browser.post(path, [("whom", "户主"), ("findings", "家中情况稳定")], token: form.formToken)
            #expect(logged.status == .seeOther && logged.location?.hasPrefix("/field/visits") == true)
            let untitled = try await browser.post(
                path, [("whom", "户主"), ("findings", "门口路灯坏了"), ("turnIntoCase", "on"), ("title", "")], token: form.formToken)
            #expect(untitled.status == .unprocessableContent && untitled.html.contains("title"))
            let category = try #require(form.html.firstMatch(of: /<option value="(\d+)">路灯/)).1
            let turned = try await browser.post(
                path, [("whom", "户主"), ("findings", "门口路灯坏了"), ("turnIntoCase", "on"), ("title", "门口路灯不亮"), ("category", String(category))],
                token: form.formToken)
            // Back to the due list, told the new case's number, which opens the case.
            let listPath = try #require(turned.location)
            #expect(listPath.hasPrefix("/field/visits"))
            let told = try await browser.get(listPath).html
            let number = try #require(told.firstMatch(of: /已上报为案件 (\d{8}-\d{8})/)).1
            let worker = try await api.signIn("gridworker1")
            // 门口路灯不亮, the case's title.
            let found = try await api.send(.get, "/api/v1/cases?q=%E9%97%A8%E5%8F%A3%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE", token: worker)
            let cases = try #require(found["cases"] as? [[String: Any]])
            #expect(cases.count == 1 && cases.first?["number"] as? String == String(number))
            // From the phone's outbox, with the key the phone made: answered in JSON, and sent
            // again after a lost answer, the same visit and the same case.
            let outboxed = [("whom", "户主"), ("findings", "楼道灯坏了"), ("turnIntoCase", "on"), ("title", "楼道灯不亮"), ("category", String(category)), ("key", "visit-test-1")]
            let first = try await browser.post(path, outboxed, files: [], token: form.formToken)
            let again = try await browser.post(path, outboxed, files: [], token: form.formToken)
            #expect(first.status == .created && again.status == .created, "\(again.status) \(again.html.prefix(300))")
            let answers = try [first, again].map { try #require(try JSONSerialization.jsonObject(with: Data($0.html.utf8)) as? [String: Any]) }
            #expect(answers[0]["visit"] as? Int == answers[1]["visit"] as? Int && answers[0]["id"] as? Int == answers[1]["id"] as? Int)
            #expect((answers[0]["number"] as? String)?.isEmpty == false)
            let unsaid = try await browser.post(path, [("whom", ""), ("findings", "x"), ("key", "visit-test-2")], files: [], token: form.formToken)
            #expect(unsaid.status == .unprocessableContent && unsaid.headers[.contentType]?.hasPrefix("application/json") == true && unsaid.html.contains("whom"))
        }
    }
}
