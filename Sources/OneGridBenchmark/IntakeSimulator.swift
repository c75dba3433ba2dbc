import Foundation
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore

/// Realistic intake content: what a hotline agent types for a street-light report.
enum IntakeSamples {
    static let texts: [(title: String, description: String, address: String)] = [
        ("村口路灯不亮", "晚上村口一排路灯都不亮，行人和电动车经过很不安全，请尽快派人维修。", "村口东侧主路"),
        ("小区路灯闪烁", "小区3号楼前的路灯一直闪烁，已经持续一周，影响居民夜间出行。", "3号楼前"),
        ("路灯杆倾斜", "学校门口的路灯杆被车撞后明显倾斜，担心倒下伤人，请派人查看加固。", "学校门口"),
        ("路灯白天常亮", "集市路段的路灯白天也一直亮着，浪费电，请检查控制开关。", "集市路段"),
    ]
    static let reporters: [(name: String, phone: String)] = [
        ("张三", "13812345678"), ("李四", "13987654321"), ("王芳", "15011112222"), ("赵强", "18633334444"),
    ]
    static let categoryCode = "service.streetlight"
}

/// What a hotline agent reports — street-light reports at a point inside each grid of the tiny
/// demo city — as intake forms. Drafts come from intake itself (`CaseIntake.draft`, the server's
/// rules and clock), and the HTTP bodies are the same forms in JSON.
struct IntakeSimulator: Sendable {
    let services: OneGridServices
    /// The signed-in agent: its principal drafts, its token posts.
    let session: Sessions.Opened
    /// A point inside each grid, grids in code order.
    let points: [GeoPoint]

    /// Signs `username` in on `services` (the token stays valid for a server on the same database).
    static func signIn(_ username: String, on services: OneGridServices) async throws -> IntakeSimulator {
        let session = try await services.sessions.signIn(username: username, password: DemoCity.password, postID: nil)
        let directory = services.directory
        let grids = directory.areas.values.filter { $0.level == .grid }.sorted { $0.code < $1.code }
        let points = grids.compactMap { pointInside($0.id, directory) }
        guard !points.isEmpty else { throw BenchError("no grid of the demo city has a point the locator finds") }
        return IntakeSimulator(services: services, session: session, points: points)
    }

    /// A point inside a grid, by the locator's own rule (as the web tests pick theirs).
    static func pointInside(_ gridID: Int64, _ directory: Directory) -> GeoPoint? {
        guard let box = directory.boundaries[gridID] else { return nil }
        for i in 1..<10 {
            for j in 1..<10 {
                let candidate = GeoPoint(
                    lat: box.minLat + (box.maxLat - box.minLat) * Double(i) / 10,
                    lng: box.minLng + (box.maxLng - box.minLng) * Double(j) / 10)
                if directory.locator.grid(containing: candidate) == gridID { return candidate }
            }
        }
        return nil
    }

    /// Report `i`, rotating over grids, texts and reporters.
    func form(_ i: Int) -> IntakeForm {
        let text = IntakeSamples.texts[i % IntakeSamples.texts.count]
        let reporter = IntakeSamples.reporters[i % IntakeSamples.reporters.count]
        return IntakeForm(
            title: text.title, description: text.description, categoryCode: IntakeSamples.categoryCode, location: points[i % points.count],
            address: text.address, reporter: IntakeForm.ReporterInput(name: reporter.name, phone: reporter.phone))
    }

    /// Report `i` validated, located, routed and under its acceptance clock, as the server drafts it.
    func draft(_ i: Int) throws -> CaseDraft {
        try services.intake.draft(form(i), by: session.principal, idempotencyKey: nil, at: services.clock.now)
    }

    /// The reports as JSON request bodies, enough to visit every grid with every reporter.
    func requestBodies() throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let count = max(points.count, IntakeSamples.texts.count) * IntakeSamples.reporters.count
        return try (0..<count).map { String(decoding: try encoder.encode(form($0)), as: UTF8.self) }
    }
}
