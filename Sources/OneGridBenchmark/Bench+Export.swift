import Foundation
import Logging
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridScratch
import OneGridStore
import SQLKit

/// Reading a big city out: every case as CSV through the running server, with the server's
/// resident memory watched while it streams, and Open311's `GET requests.json` under load, each
/// beside a baseline taken in the same run on the same server (one grid's export; a trivial
/// Open311 answer).
extension Bench {
    func export() async throws {
        let target = options.exportCases
        let path = options.exportDatabase ?? (workDir as NSString).appendingPathComponent("onegrid-bench-export-\(target).sqlite")
        var figures = ExportFigures()
        let built = try await demoCity(at: path, cases: target, keep: options.exportDatabase != nil)
        figures.cases = built.cases
        figures.buildSeconds = built.buildSeconds
        figures.earlierBuild = built.earlierBuild
        defer { if options.exportDatabase == nil { ScratchDatabase.removeSQLite(path) } }

        // Signed in and keyed before the server starts: sessions and keys are stored, so the
        // server accepts them. Open311 counts each key's requests a minute: enough keys in
        // rotation that the limit never answers in place of the query.
        let (dispatchers, keys, grid, serviceCode) = try await OneGridDatabase.using(path, logger: logger) { db in
            let dispatchers = try await Dispatchers.signIn(on: db, logger: self.logger)
            let services = try await OneGridServices(database: db, logger: self.logger)
            guard let admin = try await services.people.credentials(username: "admin")?.user,
                let adminPost = try await services.people.posts(ofUser: admin.id).first,
                let hotline = try await services.people.credentials(username: "hotline")?.user,
                let hotlinePost = try await services.people.posts(ofUser: hotline.id).first
            else { throw BenchError("the demo city has no admin or hotline account") }
            var keys: [String] = []
            for index in 0..<20 {
                keys.append(
                    try await services.open311Keys.issue(
                        name: "bench \(index)", postID: hotlinePost.id, areaID: nil, requestsPerMinute: Open311Keys.requestsPerMinuteRange.upperBound,
                        by: Principal(user: admin, post: adminPost)
                    ).secret)
            }
            let grid = try await db.reader.raw("SELECT grid_id AS g FROM cases ORDER BY id DESC LIMIT 1").first(decodingColumn: "g", as: Int64.self)
            // The most reported leaf service of the last 90 days: the filter a city's app uses most.
            let since = Date().addingTimeInterval(-90 * 86_400).millisecondsSince1970
            let category = try await db.reader.raw(
                "SELECT category_id AS c FROM cases WHERE created_at >= \(bind: since) GROUP BY category_id ORDER BY COUNT(*) DESC LIMIT 1"
            ).first(decodingColumn: "c", as: Int64.self)
            let code = category.flatMap { services.directory.categories[$0]?.code } ?? dispatchers.serviceCode
            return (dispatchers, keys, grid ?? 0, code)
        }

        let server = try await ServerProcess.start(options.server, database: path)
        say("waiting for the server's start-up work to finish …")
        figures.settle = await server.settle()
        do {
            figures.rssStart = server.residentMB() ?? 0
            // Open311 first: its load also warms the server's caches before the export is watched.
            let services = "/open311/v2/services.json"
            let requests = "/open311/v2/requests.json"
            let queries: [(label: String, query: String)] = [
                ("default filters (the last 90 days, 1,000 a page)", ""),
                ("service_code=\(serviceCode)", "&service_code=\(serviceCode)"),
                ("status=open", "&status=open"),
                ("service_code=\(serviceCode)&status=open", "&service_code=\(serviceCode)&status=open"),
                ("status=closed, page_size=50", "&status=closed&page_size=50"),
            ]
            say("Open311 baseline: GET \(services), 1 connection …")
            // Public, so outside every key's rate.
            figures.trivial = try await load(
                server.url(services), server: server, script: WrkScripts.plain(), label: "GET \(services)", connections: 1, threads: 1)
            for query in queries {
                let reply = try await HTTP.send("GET", server.url(requests + "?api_key=\(keys[0])" + query.query))
                guard reply.status == 200 else {
                    throw BenchError("GET \(requests) \(query.query) answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self).prefix(300))")
                }
                let returned = (try? JSONSerialization.jsonObject(with: reply.body) as? [Any])?.count ?? 0
                let lua = WrkScripts.requests(
                    keys.map { WrkScripts.Request(method: "GET", path: requests + "?api_key=\($0)" + query.query, headers: [:], body: nil) })
                say("Open311: \(query.label) (\(returned) requests, \(reply.body.count) bytes), 1 connection …")
                let run = try await load(server.url(requests), server: server, script: lua, label: query.label, connections: 1, threads: 1)
                figures.open311.append(.init(label: query.label, returned: returned, bytes: reply.body.count, run: run))
            }

            say("export baseline: one grid's cases as CSV …")
            figures.baseline = try await exportRun(server, path: "/api/v1/cases/export?format=csv&area=\(grid)", token: dispatchers.city, label: "one grid")
            say("export: every case as CSV …")
            figures.full = try await exportRun(server, path: "/api/v1/cases/export?format=csv", token: dispatchers.city, label: "every case")
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
        report.export = figures
    }

    /// One export read to its end by curl, the server's resident memory sampled every 50 ms.
    private func exportRun(_ server: ServerProcess, path: String, token: String, label: String) async throws -> ExportFigures.Run {
        let before = server.residentMB() ?? 0
        let sampler = Task {
            var peak = before
            while !Task.isCancelled {
                peak = max(peak, server.residentMB() ?? 0)
                try? await Task.sleep(for: .milliseconds(50))
            }
            return peak
        }
        let started = ContinuousClock.now
        // Lines and bytes counted as they arrive: the client holds nothing either.
        let result = try await Shell.run(
            "sh", ["-c", "curl -sS --fail -H 'Authorization: Bearer \(token)' '\(server.url(path))' | wc -lc"])
        let seconds = (ContinuousClock.now - started).seconds
        sampler.cancel()
        let peak = await sampler.value
        let counts = result.output.split(separator: " ", omittingEmptySubsequences: true).compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard result.status == 0, counts.count == 2, counts[0] > 1 else {
            throw BenchError("the export \(path) failed: \(result.output) \(result.error.prefix(300))")
        }
        let run = ExportFigures.Run(
            label: label, path: path, rows: counts[0] - 1, bytes: counts[1], seconds: seconds, rssBefore: before, rssPeak: peak,
            rssAfter: server.residentMB() ?? 0)
        say("  \(label): \(run.rows) cases, \(f(Double(run.bytes) / 1_000_000, 1)) MB in \(f(seconds, 1)) s; resident \(f(before, 0)) → peak \(f(peak, 0)) MB")
        return run
    }
}

struct ExportFigures {
    struct Run {
        var label: String
        var path: String
        var rows: Int
        var bytes: Int
        var seconds: Double
        var rssBefore: Double
        var rssPeak: Double
        var rssAfter: Double
        var growth: Double { rssPeak - rssBefore }
    }

    struct Open311Run {
        var label: String
        var returned: Int
        var bytes: Int
        var run: WrkRun
    }

    var cases = 0
    var buildSeconds: Double?
    var earlierBuild: ListFigures.Build?
    var settle: ServerProcess.Settle?
    var rssStart: Double = 0
    var trivial: WrkRun?
    var open311: [Open311Run] = []
    var baseline: Run?
    var full: Run?
}

extension Report {
    /// The sizes the targets are set at; a smaller run is reported, not judged.
    static let exportTargetCases = 1_000_000

    var exportVerdicts: [Verdict] {
        guard let export else { return [] }
        let small = export.cases < Self.exportTargetCases
        let note = small ? " (at \(n(Double(export.cases))) cases, not \(n(Double(Self.exportTargetCases))): not judged)" : ""
        var verdicts: [Verdict] = []
        if let full = export.full {
            verdicts.append(
                Verdict(
                    target: "Export of 1,000,000 cases as CSV through the server, its resident memory growing < 50 MB",
                    measured: "\(n(Double(full.rows))) cases in \(f(full.seconds, 1)) s, resident memory +\(f(full.growth, 1)) MB (\(f(full.rssBefore, 0)) → \(f(full.rssPeak, 0)) MB)" + note,
                    met: small ? nil : full.growth < 50 && full.rows >= Self.exportTargetCases))
        }
        for query in export.open311 {
            verdicts.append(
                Verdict(
                    target: "Open311 GET requests.json p95 < 20 ms at 1,000,000 cases (\(query.label))",
                    measured: query.run.isValid ? "p95 \(f(query.run.p95 / 1000)) ms" + note : "errors: \(query.run.errorText)",
                    met: small || !query.run.isValid ? nil : query.run.p95 / 1000 < 20))
        }
        return verdicts
    }

    var exportMarkdown: String {
        guard let export else { return "" }
        var md = "## Export and Open311 at \(n(Double(export.cases))) demo cases\n\n"
        md += "The full demo city "
        md += export.buildSeconds.map { "built for this run in \(f($0, 0)) s" }
            ?? export.earlierBuild.map { "built in an earlier run (\($0.date)) in \(f($0.seconds, 0)) s" } ?? "built in an earlier run"
        md += ", served by `onegrid serve` in a child process, left until idle"
        md += export.settle.map { " (\(f($0.seconds, 0)) s)" } ?? ""
        md += "; resident memory then \(f(export.rssStart, 0)) MB.\n\n"
        md += "**Open311** `GET /open311/v2/requests.json` with a hotline post's keys in rotation (each under Open311's per-key limit), "
        md += "one connection, wrk's latencies on loopback; the baseline is `GET /open311/v2/services.json` on the same server.\n\n"
        md += "| Query | Requests returned | Bytes | req/s | p50 | p95 | p99 | Errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        func row(_ label: String, _ returned: String, _ bytes: String, _ run: WrkRun) -> String {
            "| \(label) | \(returned) | \(bytes) | \(n(run.perSecond)) | \(ms(run.p50 / 1000)) | \(ms(run.p95 / 1000)) | \(ms(run.p99 / 1000)) | \(run.errorText) |\n"
        }
        if let trivial = export.trivial { md += row("baseline: services.json", "—", "—", trivial) }
        for query in export.open311 { md += row(query.label, n(Double(query.returned)), n(Double(query.bytes)), query.run) }
        md += "\n**Export** `GET /api/v1/cases/export?format=csv` as the city's dispatcher (sees every case), read to its end by curl; "
        md += "the server's resident memory (VmRSS) sampled every 50 ms. The baseline is one grid's cases on the same server.\n\n"
        md += "| Export | Cases | MB | Seconds | Cases/s | Resident before | Peak | Growth |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for run in [export.baseline, export.full].compactMap({ $0 }) {
            md += "| \(run.label) | \(n(Double(run.rows))) | \(f(Double(run.bytes) / 1_000_000, 1)) | \(f(run.seconds, 1)) | \(n(Double(run.rows) / max(run.seconds, 0.001))) | \(f(run.rssBefore, 0)) MB | \(f(run.rssPeak, 0)) MB | \(f(run.growth, 1)) MB |\n"
        }
        return md + "\n"
    }
}
