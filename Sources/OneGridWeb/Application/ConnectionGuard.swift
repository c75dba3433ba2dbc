public import Hummingbird
import HummingbirdCore
public import Logging
public import NIOCore
import NIOHTTPTypes
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How many connections the server holds and for how long, so that sockets which send half a
/// request, or connect and say nothing, cannot take every file descriptor from real clients.
public struct ConnectionLimits: Sendable {
    /// From a connection's opening (or the first byte of its next request) to the end of its
    /// request head.
    public var headTimeout: Duration = .seconds(10)
    /// A kept-alive connection waiting for its next request, or a request body that stalls.
    public var idleTimeout: Duration = .seconds(60)
    /// Open connections at once; the next is refused with a 503 and closed.
    public var maxConnections = 4000
    /// Open connections at once from one address: one client cannot take them all.
    public var maxConnectionsPerAddress = 200

    public init() {}
}

/// Counts the open connections, in all and per address. An address's entry goes when its last
/// connection closes, so nothing of a connection is kept after it.
final class ConnectionCounter: Sendable {
    let limits: ConnectionLimits
    private let open = Mutex<(total: Int, byAddress: [String: Int], peak: Int)>((0, [:], 0))

    /// A surge of at least this many connections that drains to an eighth of it gives its memory
    /// back (see `release`).
    static let surge = 1000

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// Counts a new connection from `address` in, unless a cap is reached.
    func admit(_ address: String) -> Bool {
        open.withLock { open in
            let fromAddress = open.byAddress[address, default: 0]
            guard open.total < limits.maxConnections, fromAddress < limits.maxConnectionsPerAddress else { return false }
            open.total += 1
            open.peak = max(open.peak, open.total)
            open.byAddress[address] = fromAddress + 1
            return true
        }
    }

    func release(_ address: String) {
        let drained = open.withLock { open in
            open.total -= 1
            let left = open.byAddress[address, default: 1] - 1
            open.byAddress[address] = left > 0 ? left : nil
            guard open.peak >= Self.surge, open.total <= open.peak / 8 else { return false }
            open.peak = open.total
            return true
        }
        // glibc keeps what each thread freed for its own reuse, so a server that once held
        // thousands of connections would stay that size for good; after a surge drains, the
        // memory goes back to the system (off the event loop: trimming takes a few milliseconds).
        // A second later, when the rest of the surge has closed too.
        if drained {
            Task.detached(priority: .background) {
                try? await Task.sleep(for: .seconds(1))
                Self.trimMemory()
            }
        }
    }

    /// glibc's `malloc_trim`, which Swift's Glibc module does not declare; nothing elsewhere.
    private static func trimMemory() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }

    /// Connections open now: in all, and the number of addresses they come from.
    var counts: (total: Int, addresses: Int) {
        open.withLock { ($0.total, $0.byAddress.count) }
    }
}

/// Hummingbird's HTTP/1 child channel, behind the caps of `ConnectionCounter` and a time limit
/// for each request head. Hummingbird's own idle timeout closes kept-alive connections and
/// stalled bodies.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let counter: ConnectionCounter

    /// What a connection over a cap is told before it is closed, short enough to write at once.
    static let refusal = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\nRetry-After: 1\r\n\r\n"

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let admitted = counter.admit(address)
        let watch = HeadWatch(timeout: TimeAmount(counter.limits.headTimeout), channel: channel)
        let requests = NIOLoopBound(HeadWatch.RequestSide(watch), eventLoop: channel.eventLoop)
        let http = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [requests.value], idleTimeout: TimeAmount(counter.limits.idleTimeout)))
        do {
            // The channel is not active yet, so a refusal cannot be written here: the refusing
            // handler writes it as the connection becomes active, before anything reads from it.
            let first: any ChannelHandler = admitted ? HeadWatch.ByteSide(watch) : Refusal()
            try channel.pipeline.syncOperations.addHandler(first, position: .first)
        } catch {
            if admitted { counter.release(address) }
            return channel.eventLoop.makeFailedFuture(error)
        }
        if admitted { channel.closeFuture.whenComplete { _ in counter.release(address) } }
        return http.setup(channel: channel, logger: logger)
    }

    /// Answers a connection over a cap with `refusal` and closes it; what it sends goes unread.
    final class Refusal: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelActive(context: ChannelHandlerContext) {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: refusal))).whenComplete { _ in channel.close(promise: nil) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder).handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 behind `counter`'s caps and time limits.
    static func guardedHTTP1(_ counter: ConnectionCounter) -> HTTPServerBuilder {
        .init { responder in GuardedHTTP1Channel(responder: responder, counter: counter) }
    }
}

/// The time limit for a request head: armed when a connection opens and when the first byte of a
/// next request arrives (seen before the HTTP decoder, `ByteSide`), disarmed when the decoded
/// head arrives (after it, `RequestSide`). Between a response and the next request's first byte
/// the idle timeout applies instead. Lives on the channel's event loop only.
final class HeadWatch {
    private let timeout: TimeAmount
    private let channel: any Channel
    private var timer: Scheduled<Void>?
    /// A request has begun (or the connection opened) and its head is not complete yet.
    private var awaitingHead = true
    /// A head arrived and its response has not ended.
    private var inRequest = false

    init(timeout: TimeAmount, channel: any Channel) {
        self.timeout = timeout
        self.channel = channel
    }

    private func arm() {
        timer?.cancel()
        let channel = channel
        timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    /// Before the HTTP decoder: raw bytes.
    final class ByteSide: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        let watch: HeadWatch

        init(_ watch: HeadWatch) { self.watch = watch }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { watch.arm() }
        }

        func channelActive(context: ChannelHandlerContext) {
            watch.arm()
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if !watch.awaitingHead && !watch.inRequest {
                watch.awaitingHead = true
                watch.arm()
            }
            context.fireChannelRead(data)
        }

        func channelInactive(context: ChannelHandlerContext) {
            watch.disarm()
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            watch.disarm()
        }
    }

    /// After the HTTP decoder: request heads in, response ends out.
    final class RequestSide: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart
        let watch: HeadWatch

        init(_ watch: HeadWatch) { self.watch = watch }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) {
                watch.awaitingHead = false
                watch.inRequest = true
                watch.disarm()
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data) { watch.inRequest = false }
            context.write(data, promise: promise)
        }
    }
}
