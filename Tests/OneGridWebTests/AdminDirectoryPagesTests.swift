import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridScratch
import OneGridStore
@testable import OneGridWeb
import Testing

/// The administrator's pages of areas, grids, departments and categories, through the router as
/// a browser uses them: refusals next to their field with the input kept, changes redirected to a
/// page that says what happened.
@Suite struct AdminDirectoryPagesTests {
    @Test func onlyTheAdministratorOpensTheDirectoryPages() async throws {
        try await TestApp.pages { browser, _, _ in
            try await browser.signIn("village1")
            for path in ["/administration/areas", "/administration/categories", "/administration/departments"] {
                #expect(try await browser.get(path).status == .forbidden, "\(path)")
            }
        }
    }

    @Test func theHierarchyIsListedWithCodesAndAVillageIsAddedAfterABadCodeIsRefused() async throws {
        try await TestApp.pages { browser, _, city in
            try await browser.signIn("admin")
            let top = try await browser.get("/administration/areas")
            let cityArea = try #require(city.directory.areas.values.first { $0.level == .city })
            #expect(top.location == "/administration/areas/\(cityArea.id)")
            let cityPage = try await browser.get(try #require(top.location))
            for county in city.directory.children(of: cityArea.id) {
                #expect(cityPage.html.contains(county.name) && cityPage.html.contains(county.code))
            }

            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let path = "/administration/areas/\(town.id)"
            let page = try await browser.get(path)
            let refused = try await browser.post(path, [("action", "create"), ("code", "990000000001"), ("newName", "新村")], token: page.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="new-code-error">区划代码须以上级区域的代码开头"#))
            #expect(refused.html.contains(#"value="新村""#), "the input is kept")

            let code = String(town.code.prefix(9)) + "777"
            let created = try await browser.post(path, [("action", "create"), ("code", code), ("newName", "新村")], token: page.formToken)
            #expect(created.status == .seeOther)
            let after = try await browser.get(try #require(created.location))
            #expect(after.html.contains("已新增：新村"))
            #expect(after.html.contains(code))
        }
    }

    @Test func anUploadedGridFileIsReportedFeatureByFeatureAndABrokenFileIsRefusedWhole() async throws {
        try await TestApp.pages { browser, _, city in
            try await browser.signIn("admin")
            let village = try #require(city.directory.areas.values.filter { $0.level == .village }.min { $0.code < $1.code })
            let page = try await browser.get("/administration/areas/\(village.id)")
            let north = city.directory.boundaries.values.map(\.maxLat).max()! + 0.05
            let east = city.directory.boundaries.values.map(\.maxLng).max()! + 0.05
            func square(_ lng: Double, closed: Bool = true) -> String {
                let ring = [[lng, north], [lng + 0.005, north], [lng + 0.005, north + 0.005], [lng, north + 0.005]] + (closed ? [[lng, north]] : [])
                return "[[" + ring.map { "[\($0[0]), \($0[1])]" }.joined(separator: ",") + "]]"
            }
            let file = """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "properties": {"villageCode": "\(village.code)", "code": "\(village.code)901", "name": "新一网格"},
                   "geometry": {"type": "Polygon", "coordinates": \(square(east))}},
                  {"type": "Feature", "properties": {"villageCode": "\(village.code)", "code": "\(village.code)902", "name": "新二网格"},
                   "geometry": {"type": "Polygon", "coordinates": \(square(east + 0.01, closed: false))}}
                ]}
                """
            let uploaded = try await browser.post(
                "/administration/grids", [("from", String(village.id))], files: [("file", "grids.geojson", Array(file.utf8))], token: page.formToken)
            #expect(uploaded.status == .seeOther)
            let report = try await browser.get(try #require(uploaded.location))
            #expect(report.html.contains("网格文件已处理：写入 1 个，退回 1 个。"))
            #expect(report.html.contains("\(village.code)901") && report.html.contains("新一网格"))
            #expect(report.html.contains("边界环未闭合"))
            #expect(report.html.contains(#"<a href="/administration/areas/"#) && report.html.contains(">新一网格</a>"), "the grid is listed under its village")

            let broken = try await browser.post(
                "/administration/grids", [("from", String(village.id))], files: [("file", "grids.geojson", Array("{\"type\":".utf8))],
                token: page.formToken)
            #expect(broken.status == .unprocessableContent)
            #expect(broken.html.contains(#"<p class="field-error" id="grid-file-error">文件不是有效的 JSON"#))
        }
    }

    @Test func aCategorysKeywordsAreSavedABadLimitIsRefusedNextToItsFieldAndTheModelIsRetrained() async throws {
        try await TestApp.pages { browser, _, city in
            try await browser.signIn("admin")
            let category = try #require(city.directory.category(code: "service.streetlight"))
            let list = try await browser.get("/administration/categories")
            #expect(list.html.contains(#"href="/administration/categories/\#(category.id)""#))
            let path = "/administration/categories/\(category.id)"
            let page = try await browser.get(path)

            let saved = try await browser.post(path, [("action", "keywords"), ("keywords", "路灯、黑灯瞎火\n啥也看不见")], token: page.formToken)
            #expect(saved.status == .seeOther)
            let after = try await browser.get(try #require(saved.location))
            #expect(after.html.contains("已保存 3 个关键词"))
            #expect(after.html.contains("路灯、黑灯瞎火、啥也看不见</textarea>"))

            let refused = try await browser.post(
                path,
                [("action", "settings"), ("handlingLevel", "village"), ("acceptanceLimit", "4h"), ("signingLimit", "1wd"), ("handlingLimit", "五天")],
                token: page.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="handlingLimit-error">时限写法如"#))
            #expect(refused.html.contains(#"value="五天""#))

            let retrained = try await browser.post("/administration/classifier", [("category", String(category.id))], token: page.formToken)
            #expect(retrained.location?.hasPrefix(path) == true)
            #expect(try await browser.get(try #require(retrained.location)).html.contains("分类模型已重新训练"))
        }
    }

    @Test func aDepartmentIsAddedAfterAMissingKindIsRefused() async throws {
        try await TestApp.pages { browser, _, city in
            try await browser.signIn("admin")
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let list = try await browser.get("/administration/departments?area=\(town.id)")
            #expect(list.status == .ok)
            let refused = try await browser.post("/administration/departments", [("name", "水务站"), ("area", String(town.id))], token: list.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="new-kind-error">请选择职能类别"#))
            let created = try await browser.post(
                "/administration/departments", [("name", "水务站"), ("kind", "water"), ("area", String(town.id))], token: list.formToken)
            #expect(created.status == .seeOther)
            #expect(try await browser.get(try #require(created.location)).html.contains("已新增部门：水务站"))
        }
    }

    /// Two servers on one database file: a change through one is in force on the other once its
    /// reloader polls, without a restart.
    @Test func aChangeMadeThroughOneServerIsInForceOnAnotherWithoutARestart() async throws {
        try await ScratchDatabase.with(.sqlite, prefix: "onegrid-reload") { path in
            try await OneGridDatabase.using(path) { database in
                _ = try await DemoCity.build(into: database, size: .tiny, cases: 0)
            }
            let first = try await OneGridDatabase.open(path)
            let second = try await OneGridDatabase.open(path)
            let here = try await OneGridServices(database: first, logger: Logger(label: "here"))
            let there = try await OneGridServices(database: second, logger: Logger(label: "there"))
            let reloader = Task { try await DirectoryReloader(services: there, interval: .milliseconds(20)).run() }

            let admin = try await here.sessions.signIn(username: "admin", password: DemoCity.password, postID: nil).principal
            let grid = try #require(here.directory.areas.values.first { $0.level == .grid })
            try await here.administrationAreas.rename(areaID: grid.id, to: "改名网格", by: admin)
            for _ in 0..<250 where there.directory.areas[grid.id]?.name != "改名网格" {
                try await Task.sleep(for: .milliseconds(20))
            }
            reloader.cancel()
            try await reloader.value
            #expect(there.directory.areas[grid.id]?.name == "改名网格")
            try await first.shutdown()
            try await second.shutdown()
        }
    }
}

@Suite struct AdminSettingsPagesTests {
    @Test func theYellowShareAndTheCalendarAreChangedFromTheirPageAndABadLineIsNamed() async throws {
        try await TestApp.pages { browser, _, _ in
            try await browser.signIn("admin")
            let page = try await browser.get("/administration/deadlines")
            #expect(page.html.contains(#"id="yellowShare" name="yellowShare" value="80""#))
            let refused = try await browser.post("/administration/deadlines", [("action", "yellowShare"), ("yellowShare", "120")], token: page.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="yellowShare-error">请填写 5～95 之间的整数。"#))
            let saved = try await browser.post("/administration/deadlines", [("action", "yellowShare"), ("yellowShare", "70")], token: page.formToken)
            #expect(try await browser.get(try #require(saved.location)).html.contains(#"value="70""#))

            let badCalendar = try await browser.post(
                "/administration/deadlines", [("action", "calendar"), ("calendar", "timezone Asia/Shanghai\nholiday 2026-13-01")], token: page.formToken)
            #expect(badCalendar.status == .unprocessableContent)
            #expect(badCalendar.html.contains(#"<p class="field-error" id="calendar-error">日历文件有误（line 2"#))
            let calendar = try await browser.post(
                "/administration/deadlines", [("action", "calendar"), ("calendar", "timezone Asia/Shanghai\nholiday 2026-10-01 2026-10-07 国庆节")],
                token: page.formToken)
            #expect(try await browser.get(try #require(calendar.location)).html.contains("工作日历已保存：节假日 7 天"))
        }
    }

    @Test func aWebhookIsRegisteredAfterAShortSecretIsRefusedAndItsDeliveriesAreShown() async throws {
        try await TestApp.pages { browser, _, _ in
            try await browser.signIn("admin")
            let page = try await browser.get("/administration/webhooks")
            let refused = try await browser.post(
                "/administration/webhooks", [("url", "https://example.org/hook"), ("secret", "short"), ("events", "*")], token: page.formToken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<p class="field-error" id="webhook-secret-error">密钥至少 16 个字符。"#))
            #expect(refused.html.contains(#"value="https://example.org/hook""#))
            let created = try await browser.post(
                "/administration/webhooks", [("url", "https://example.org/hook"), ("secret", "a-long-enough-secret"), ("events", "dispatch")],
                token: page.formToken)
            let webhook = try await browser.get(try #require(created.location))
            #expect(webhook.html.contains("Webhook 已登记。") && webhook.html.contains("还没有推送。"))
            #expect(!webhook.html.contains("a-long-enough-secret"))
            #expect(try await browser.get("/administration/webhooks").html.contains("https://example.org/hook"))
        }
    }
}
