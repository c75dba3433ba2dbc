import Logging
import NIOPosix
import SQLiteKit

/// An SQLite file opened on a connection and a thread of its own, outside the server's pools and
/// their read time limit: for work that lasts as long as the file is large (a copy, a backup),
/// which must neither time out nor hold a reader the requests need.
enum SQLiteFile {
    static func withConnection<T>(
        path: String, logger: Logger, _ body: (SQLiteConnection) async throws -> T
    ) async throws -> T {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: thread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            ).get()
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(connection))
        } catch {
            outcome = .failure(error)
        }
        try? await connection.close()
        try? await thread.shutdownGracefully()
        return try outcome.get()
    }
}
