import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Progress on stdout, written at once (print's buffer would hold it when piped into a log).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A few plain requests for setup and checks (the load itself is wrk's).
enum HTTP {
    static func send(
        _ method: String, _ url: String, token: String? = nil, json: Any? = nil, rawJSON: String? = nil
    ) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        if let rawJSON {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(rawJSON.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

/// Subprocesses, waited for on a thread of their own so the cooperative pool (which the
/// in-process server runs on) is never blocked.
enum Shell {
    final class Box: @unchecked Sendable {
        var data = Data()
    }

    static func run(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [program] + arguments
                let output = Pipe()
                let error = Pipe()
                process.standardOutput = output
                process.standardError = error
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                // stderr is drained beside stdout, so neither pipe can fill and stall the child.
                let errorBox = Box()
                let readerDone = DispatchSemaphore(value: 0)
                Thread {
                    errorBox.data = error.fileHandleForReading.readDataToEndOfFile()
                    readerDone.signal()
                }.start()
                let out = output.fileHandleForReading.readDataToEndOfFile()
                readerDone.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errorBox.data, as: UTF8.self)))
            }
            thread.start()
        }
    }

    static func which(_ program: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
