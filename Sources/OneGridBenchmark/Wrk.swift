import Foundation

enum WrkScripts {
    struct Request {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String?
    }

    /// Reports the run as one JSON line. Latencies are wrk's, in microseconds; every error
    /// class is reported (status counts answers of 400 and above).
    static let done = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            'BENCH_JSON {"requests":%d,"duration":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
            '"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}\\n',
            summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
            latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
            latency.max, latency.mean))
        end
        """

    /// wrk's own fixed request: the URL given on its command line.
    static func plain() -> String { done }

    /// Requests prepared once per thread (in `init`, after wrk set the Host header) and sent in
    /// rotation; each connection waits about `thinkMilliseconds` after an answer before its next
    /// request, as a person reads a page before opening the next (wrk leaves the wait out of
    /// the latency). The wait is drawn between half and one and a half times it: with one fixed
    /// wait, connections that start together stay in step, and every second all of them would
    /// ask at the same instant, as no office of people does.
    static func requests(_ requests: [Request], thinkMilliseconds: Int = 0) -> String {
        // Each thread seeds its own generator (wrk gives each a Lua state of its own, seeded alike).
        var lua = "local threads = 0\nsetup = function(thread)\n  threads = threads + 1\n  thread:set(\"seed\", threads)\nend\n"
        lua += "local prepared = {}\nlocal counter = 0\ninit = function(args)\n  math.randomseed(seed * 7919)\n"
        for request in requests {
            let headers = request.headers.sorted { $0.key < $1.key }.map { "[\(luaString($0.key))] = \(luaString($0.value))" }
                .joined(separator: ", ")
            lua += "  prepared[#prepared + 1] = wrk.format(\(luaString(request.method)), \(luaString(request.path)), {\(headers)}, "
            lua += (request.body.map(luaString) ?? "nil") + ")\n"
        }
        lua += "end\nrequest = function()\n  counter = counter + 1\n  return prepared[(counter % #prepared) + 1]\nend\n"
        if thinkMilliseconds > 0 {
            lua += "delay = function()\n  return math.random(\(thinkMilliseconds / 2), \(thinkMilliseconds * 3 / 2))\nend\n"
        }
        return lua + done
    }

    static func luaString(_ text: String) -> String {
        var out = "\""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20...0x7e: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\\(byte)"
            }
        }
        return out + "\""
    }
}

struct WrkRun: Decodable, Sendable {
    var label: String = ""
    var connections: Int = 0
    var threads: Int = 0
    var requests: Int
    /// Microseconds.
    var duration: Int
    var bytes: Int
    var connect: Int
    var read: Int
    var write: Int
    var status: Int
    var timeout: Int
    /// Microseconds.
    var p50: Double
    var p90: Double
    var p95: Double
    var p99: Double
    var max: Double
    var mean: Double
    /// Where the CPU went during the run.
    var cpu: CPU.Use?

    enum CodingKeys: String, CodingKey {
        case requests, duration, bytes, connect, read, write, status, timeout, p50, p90, p95, p99, max, mean
    }

    var errors: Int { connect + read + write + status + timeout }
    var isValid: Bool { errors == 0 && requests > 0 }
    var seconds: Double { Double(duration) / 1_000_000 }
    /// Successful answers per second.
    var perSecond: Double { Double(requests - status) / Swift.max(seconds, 0.001) }
    var line: String {
        "\(label): \(f(perSecond, 0))/s, p50 \(f(p50 / 1000)) ms, p95 \(f(p95 / 1000)) ms, p99 \(f(p99 / 1000)) ms, "
            + "\(requests) requests, \(errors) errors" + (cpu.map { ", \($0.text(per: requests - status, unit: "request"))" } ?? "")
    }
    var errorText: String {
        guard errors > 0 else { return "0" }
        return "**\(errors)** (status \(status), connect \(connect), read \(read), write \(write), timeout \(timeout))"
    }
}

enum Wrk {
    /// How long wrk waits for an answer before it counts the request as timed out, unless told.
    static let timeout: Duration = .seconds(5)

    static func run(
        url: String, script: String, seconds: Int, connections: Int, threads: Int, label: String, timeout: Duration = Wrk.timeout
    ) async throws -> WrkRun {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-bench-\(UUID().uuidString.prefix(8)).lua").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await Shell.run(
            "wrk", ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "\(timeout.components.seconds)s", "-s", path, url])
        guard let line = result.output.split(separator: "\n").first(where: { $0.hasPrefix("BENCH_JSON ") }) else {
            throw BenchError("wrk gave no summary (status \(result.status)): \(result.output.suffix(500)) \(result.error.suffix(500))")
        }
        var run = try JSONDecoder().decode(WrkRun.self, from: Data(line.dropFirst("BENCH_JSON ".count).utf8))
        run.label = label
        run.connections = connections
        run.threads = threads
        return run
    }
}
