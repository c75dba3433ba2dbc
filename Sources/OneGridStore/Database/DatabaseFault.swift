import NIOCore
import NIOPosix
@preconcurrency import PostgresKit
@preconcurrency import AsyncKit
import SQLiteKit

/// What a failed database call says about the database itself rather than about the request:
/// the API and the pages answer these with their own status (503, 507) instead of a 500, so
/// clients and load balancers know to try again rather than that the server is broken.
public enum DatabaseFault: Sendable, Equatable {
    /// The database cannot be reached: PostgreSQL stopped, restarting, refusing or dropping
    /// connections, or no pooled connection to be had. It is worth trying again shortly; the
    /// server reconnects by itself when the database is back.
    case unavailable
    /// The disk or the database is full (SQLITE_FULL, PostgreSQL's disk_full): nothing was
    /// written; reads go on.
    case full

    /// The fault `error` reports, or nil when it is no fault of the database's.
    public init?(_ error: any Error) {
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                self = .unavailable
            case .server:
                guard let fault = error.serverInfo?[.sqlState].flatMap(Self.init(sqlState:)) else { return nil }
                self = fault
            default:
                return nil
            }
        case let error as PostgresError:
            switch error {
            case .connectionClosed: self = .unavailable
            case .server(let message):
                guard let fault = message.fields[.sqlState].flatMap(Self.init(sqlState:)) else { return nil }
                self = fault
            case .protocol: return nil
            }
        case is StatementAbandoned:
            self = .unavailable
        case let error as SQLiteError where error.reason == .full:
            self = .full
        // Below PostgresNIO: a connection refused, reset or timed out while the pool opened one.
        case is ConnectionPoolTimeoutError, is ConnectionPoolError, is NIOConnectionError, is ChannelError, is IOError:
            self = .unavailable
        default:
            return nil
        }
    }

    /// PostgreSQL's SQLSTATE classes that mean the server, not the statement, is the trouble.
    private init?(sqlState: String) {
        switch sqlState {
        // disk_full
        case "53100": self = .full
        // too_many_connections, admin_shutdown, crash_shutdown, cannot_connect_now,
        // database_dropped; and class 08, connection exceptions.
        case "53300", "57P01", "57P02", "57P03", "57P04": self = .unavailable
        case _ where sqlState.hasPrefix("08"): self = .unavailable
        default: return nil
        }
    }
}
