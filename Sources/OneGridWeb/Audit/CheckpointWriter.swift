import Foundation
import Logging
import OneGridApplication
import ServiceLifecycle

/// Signs a checkpoint of every hash chain's head at intervals (`AuditCheckpoints`), for as long
/// as the server runs; with several servers on one database each checkpoint is written once.
struct CheckpointWriter: Service {
    let checkpoints: AuditCheckpoints
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let file = try await checkpoints.checkpoint(at: Date()) {
                    logger.info("audit checkpoint signed", metadata: ["file": "\(file.path)"])
                }
                failures = 0
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                // Once per doubling of a failure streak: an outage writes a few lines, not thousands.
                if failures.nonzeroBitCount == 1 {
                    logger.error("audit checkpoint failed; retrying with back-off", metadata: ["error": "\(error)", "failures": "\(failures)"])
                }
            }
            let wait = interval * (1 << min(failures, 4))
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                return
            }
        }
    }
}
