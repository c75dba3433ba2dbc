import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `onegrid serve` — the product's binary, built beside this one — on a free port, in a child
/// process: the server exactly as deployed, stopped with SIGTERM so it shuts down gracefully and
/// closes its database.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let process: Process
    let logPath: String

    private init(port: Int, process: Process, logPath: String) {
        self.port = port
        self.process = process
        self.logPath = logPath
    }

    static func start(_ executable: String, database: String) async throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchError("no onegrid executable at \(executable): build it (swift build -c release --product onegrid) or pass --server")
        }
        let port = try freePort()
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-bench-server-\(port).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw BenchError("cannot write \(logPath)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--database", database, "--host", "127.0.0.1", "--port", String(port), "--log-level", "error"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let server = ServerProcess(port: port, process: process, logPath: logPath)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            if let reply = try? await HTTP.send("GET", server.url("/health")), reply.status == 200 { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        let tail = server.logTail()
        try? await server.stop()
        throw BenchError("the server did not answer GET /health on port \(port): \(tail)")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// SIGTERM, then waits (on a thread of its own) for the graceful shutdown; SIGKILL after 30 s.
    func stop() async throws {
        guard process.isRunning else { return }
        process.terminate()
        let process = self.process
        let exited: Bool = await withCheckedContinuation { continuation in
            Thread {
                let deadline = Date().addingTimeInterval(30)
                while process.isRunning, Date() < deadline { usleep(20_000) }
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    continuation.resume(returning: false)
                } else {
                    continuation.resume(returning: true)
                }
            }.start()
        }
        let tail = logTail()
        try? FileManager.default.removeItem(atPath: logPath)
        if !exited { throw BenchError("the server did not stop within 30 s of SIGTERM; killed. \(tail)") }
        if process.terminationStatus != 0 { say("note: the server exited with status \(process.terminationStatus): \(tail)") }
    }

    struct Settle {
        var seconds: Double
        var settled: Bool
    }

    /// Waits until the server idles (under 0.05 cores over 3 s), at most `limit` seconds.
    func settle(limit: Double = 600) async -> Settle {
        let started = Date()
        var window: [CPU.Sample] = [CPU.sample(server: process.processIdentifier)]
        while Date().timeIntervalSince(started) < limit {
            try? await Task.sleep(for: .seconds(1))
            window.append(CPU.sample(server: process.processIdentifier))
            if window.count > 4 { window.removeFirst() }
            if window.count == 4, let use = window.last?.since(window[0]).server, use < 0.05 {
                return Settle(seconds: Date().timeIntervalSince(started), settled: true)
            }
        }
        return Settle(seconds: Date().timeIntervalSince(started), settled: false)
    }

    func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(800))
    }

    /// A port the kernel hands out now; bound and released at once.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BenchError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw BenchError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
