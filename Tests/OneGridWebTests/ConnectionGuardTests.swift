import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
@testable import OneGridWeb
import Testing

/// Connections are bounded: a request head must arrive within its time limit, and connections
/// over a cap (in all, or from one address) are told 503 and closed; nothing of a connection is
/// counted after it closes. Each connection is set up and served as the server does, on a
/// test channel whose clock the test moves.
@Suite struct ConnectionGuardTests {
    static func limits(perAddress: Int = 200, total: Int = 4000) -> ConnectionLimits {
        var limits = ConnectionLimits()
        limits.maxConnectionsPerAddress = perAddress
        limits.maxConnections = total
        return limits
    }

    /// A connection from `address`, set up as the server sets up each one it accepts, active and
    /// served until it closes.
    struct Connection {
        let channel: NIOAsyncTestingChannel
        let served: Task<Void, Never>

        init(_ counter: ConnectionCounter, from address: String) async throws {
            channel = NIOAsyncTestingChannel()
            let remote = try SocketAddress(ipAddress: address, port: 40000)
            channel.remoteAddress = remote
            // Answers every request with an empty 204, as a route would.
            let guarded = GuardedHTTP1Channel(
                responder: { _, writer, _ in try await writer.writeResponse(HTTPResponse(status: .noContent)) }, counter: counter)
            let channel = channel
            let value = try await channel.eventLoop.flatSubmit { guarded.setup(channel: channel, logger: Logger(label: "test")) }.get()
            try await channel.connect(to: remote).get()
            served = Task { await guarded.handle(value: value, logger: Logger(label: "test")) }
        }

        func advance(by seconds: Int64) async {
            await channel.testingEventLoop.advanceTime(by: .seconds(seconds))
        }

        func close() async throws {
            try await channel.close()
            await served.value
        }
    }

    @Test func halfASentHeadIsClosedAfterTheHeadTimeout() async throws {
        let counter = ConnectionCounter(limits: Self.limits())
        let connection = try await Connection(counter, from: "192.0.2.1")
        try await connection.channel.writeInbound(ByteBuffer(string: "GET /health/live HTTP/1.1\r\nHost: onegrid\r\nX-Half: "))
        await connection.advance(by: 9)
        #expect(connection.channel.isActive, "open within the limit")
        await connection.advance(by: 2)
        #expect(!connection.channel.isActive, "closed after 10 s without the rest of the head")
        await connection.served.value
        #expect(counter.counts == (0, 0), "nothing of it is kept")
    }

    @Test func aConnectionThatSaysNothingIsClosedAfterTheHeadTimeout() async throws {
        let counter = ConnectionCounter(limits: Self.limits())
        let connection = try await Connection(counter, from: "192.0.2.1")
        await connection.advance(by: 11)
        #expect(!connection.channel.isActive)
        await connection.served.value
    }

    /// (Hummingbird's idle timeout, which closes the kept-alive connection later, reads the real
    /// clock, so it is tried by hand, not here.)
    @Test func aWholeHeadStopsTheTimer() async throws {
        let counter = ConnectionCounter(limits: Self.limits())
        let connection = try await Connection(counter, from: "192.0.2.1")
        try await connection.channel.writeInbound(ByteBuffer(string: "GET /health/live HTTP/1.1\r\nHost: onegrid\r\n\r\n"))
        // The answer is out before the clock moves.
        var answer = ""
        for _ in 0..<500 where !answer.contains("\r\n\r\n") {
            if let part = try await connection.channel.readOutbound(as: ByteBuffer.self) {
                answer += String(buffer: part)
            } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(answer.hasPrefix("HTTP/1.1 204"))
        await connection.advance(by: 30)
        #expect(connection.channel.isActive, "a kept-alive connection is the idle timeout's to close")
        #expect(counter.counts == (1, 1))
        // The next request's first bytes start the clock again.
        try await connection.channel.writeInbound(ByteBuffer(string: "GET /health/live HT"))
        await connection.advance(by: 11)
        #expect(!connection.channel.isActive)
        await connection.served.value
        #expect(counter.counts == (0, 0))
    }

    @Test func connectionsOverTheCapsAreRefusedWith503() async throws {
        let counter = ConnectionCounter(limits: Self.limits(perAddress: 2, total: 3))
        let first = try await Connection(counter, from: "192.0.2.1")
        let second = try await Connection(counter, from: "192.0.2.1")
        let third = try await Connection(counter, from: "192.0.2.1")
        let refusal = try #require(try await third.channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: refusal).hasPrefix("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"))
        await third.served.value
        #expect(!third.channel.isActive, "the third from one address is closed")
        #expect(first.channel.isActive && second.channel.isActive)

        let other = try await Connection(counter, from: "198.51.100.7")
        #expect(other.channel.isActive, "another address is let in")
        let fourth = try await Connection(counter, from: "198.51.100.8")
        #expect(try await fourth.channel.readOutbound(as: ByteBuffer.self) != nil)
        await fourth.served.value
        #expect(!fourth.channel.isActive, "over the cap of 3 in all")

        try await first.close()
        let again = try await Connection(counter, from: "192.0.2.1")
        #expect(again.channel.isActive, "a closed connection frees its place")
        for connection in [second, other, again] { try await connection.close() }
        #expect(counter.counts == (0, 0), "no address is remembered once its connections close")
    }
}
