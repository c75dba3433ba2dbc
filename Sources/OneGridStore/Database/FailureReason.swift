import Foundation
import NIOCore
import NIOPosix
@preconcurrency import PostgresKit
@preconcurrency import AsyncKit
import SQLiteKit

/// Why opening or using the database (or listening) failed, in a few words an operator can act
/// on, for the one line `onegrid serve` prints when it cannot start. Never the URL or anything
/// else that may hold a password.
public func failureReason(_ error: any Error) -> String {
    switch error {
    case let error as OneGridDatabase.InvalidDatabaseURL:
        return error.description
    case let error as IOError:
        return String(cString: strerror(error.errnoCode)).lowercased()
    case let error as NIOConnectionError:
        if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
        return error.connectionErrors.first.map { failureReason($0.error) } ?? "cannot connect to \(error.host):\(error.port)"
    case let error as ChannelError:
        switch error {
        case .connectTimeout: return "connection timed out"
        default: return "connection failed (\(error))"
        }
    case let error as SocketAddressError:
        return "not an address this machine can use (\(error))"
    case let error as PSQLError:
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = error.underlying { return failureReason(underlying) }
        return "PostgreSQL: \(error.code)"
    case let error as PostgresError:
        return error.description
    case is ConnectionPoolTimeoutError:
        return "no database connection could be had in time"
    case let error as SQLiteError:
        return error.message
    case let error as Migrator.MigrationFailed:
        return "migration \(error.name) failed: \(failureReason(error.underlying))"
    default:
        return String(String(describing: error).prefix(300))
    }
}
