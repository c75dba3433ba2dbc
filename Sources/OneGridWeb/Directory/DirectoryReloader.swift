import OneGridApplication
import Logging
import ServiceLifecycle

/// Polls the directory's version every `interval` and reloads the directory held in memory when
/// an administrator's change moved it, so a change made through any server applies on every
/// server within one interval, without a restart. The server that made a change applies it at once.
struct DirectoryReloader: Service {
    let services: OneGridServices
    let interval: Duration

    func run() async throws {
        try await reloading(every: interval, logger: services.logger, failure: "reloading the directory failed") {
            _ = try await services.reloadDirectoryIfChanged()
        }
    }
}

/// Runs `reload` every `interval` until graceful shutdown. A failed reload is logged and tried
/// again next time: the server keeps working on what it holds until good data reads.
func reloading(every interval: Duration, logger: Logger, failure: Logger.Message, _ reload: @escaping @Sendable () async throws -> Void) async throws {
    // The wait is cancelled at graceful shutdown, so it never holds the server's exit up.
    do {
        try await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                do {
                    try await reload()
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    logger.error(failure, metadata: ["error": "\(error)"])
                }
            }
        }
    } catch is CancellationError {}
}
