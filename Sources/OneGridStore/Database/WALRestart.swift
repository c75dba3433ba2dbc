import Foundation
import Logging
import Synchronization

/// Keeps SQLite's write-ahead log from growing without end beside reads that never pause.
///
/// The log is reused from its start only once a checkpoint has copied every frame into the
/// database and no reader still reads an older frame. The automatic checkpoint after a commit
/// copies what no reader holds and never waits; while the reports' lane reads without pause
/// beside a busy writer, some reader always holds an older frame and the log only grows: past
/// 27 GB in the first 20 minutes of the mixed load's soak, with every read searching it and the
/// server's memory rising with it. Past `limit`, `restart` waits for the lane's read in hand,
/// holds the lane, then the writer, and truncates the log; the requests' readers are short, and
/// SQLite waits for them.
final class WALRestart: Sendable {
    static let limit: Int64 = 128 << 20
    /// The log's size is looked at every this many commits.
    static let checkEvery = 256

    private let logPath: String
    private let limit: Int64
    private let checkEvery: Int
    private let commits = Atomic<Int>(0)
    private let underWay = Atomic<Bool>(false)
    private let logger: Logger
    private let restart: @Sendable () async throws -> Void

    init(
        databasePath: String, limit: Int64 = WALRestart.limit, checkEvery: Int = WALRestart.checkEvery, logger: Logger,
        restart: @escaping @Sendable () async throws -> Void
    ) {
        self.logPath = databasePath + "-wal"
        self.limit = limit
        self.checkEvery = checkEvery
        self.logger = logger
        self.restart = restart
    }

    /// Called after each commit: past the limit, one restart at a time, off the committer's way.
    func committed() {
        guard commits.add(1, ordering: .relaxed).newValue.isMultiple(of: checkEvery) else { return }
        var status = stat()
        guard stat(logPath, &status) == 0, Int64(status.st_size) > limit,
            underWay.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return }
        Task {
            do {
                try await restart()
            } catch {
                logger.warning("the write-ahead log was not truncated; trying again after later commits", metadata: ["error": "\(error)"])
            }
            underWay.store(false, ordering: .releasing)
        }
    }
}
