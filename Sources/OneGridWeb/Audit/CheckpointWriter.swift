import Foundation
import Logging
import OneGridApplication
import ServiceLifecycle

/// Signs a checkpoint of every hash chain's head every `interval` (`AuditCheckpoints`), for as
/// long as the server runs; with several servers on one database each checkpoint is written once.
struct CheckpointWriter: Service {
    let checkpoints: AuditCheckpoints
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await BackgroundLoop(interval: interval, failure: "signing an audit checkpoint failed", logger: logger).run {
            for file in try await checkpoints.checkpoint(at: Date()) {
                logger.info("audit checkpoint signed", metadata: ["file": "\(file.path)"])
            }
        }
    }
}
