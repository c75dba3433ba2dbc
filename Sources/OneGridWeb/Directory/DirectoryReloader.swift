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
        // A failed reload is tried again: the server keeps working on what it holds until good
        // data reads.
        await BackgroundLoop(interval: interval, failure: "reloading the directory failed", logger: services.logger).run {
            _ = try await services.reloadDirectoryIfChanged()
        }
    }
}
