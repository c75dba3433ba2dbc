import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import ServiceLifecycle

/// A stream of server-sent events (`text/event-stream`) that tells an open page which cases of
/// its area changed, as they change: the page then fetches what it shows again. Comments keep
/// the connection open through proxies that close idle ones.
enum LiveStream {
    /// How often a comment is sent when nothing changes.
    static let keepAlive: Duration = .seconds(15)

    private enum Item: Sendable {
        case changes([CaseChange])
        case keepAlive
    }

    /// The response: one `cases` event per batch of changes that concern `area`, its data the
    /// changed case ids (empty after a deadline sweep, which may have touched any case).
    static func response(for area: Area, services: OneGridServices) -> Response {
        let feed = services.changes
        let body = ResponseBody { writer in
            let changes = feed.subscribe()
            let (items, sink) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingNewest(64))
            // The browser retries after 2 s if the connection drops.
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            // A server shutting down ends the stream instead of waiting for the page to leave. A
            // handler rather than a task awaiting the shutdown: such a task may miss a
            // cancellation that comes early and keep the stream from ever finishing.
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await batch in changes { sink.yield(.changes(batch)) }
                        sink.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: keepAlive)
                            sink.yield(.keepAlive)
                        }
                    }
                    for await item in items {
                        switch item {
                        case .keepAlive:
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        case .changes(let batch):
                            let directory = services.directory
                            let relevant = batch.filter { $0.concerns(area, in: directory) }
                            guard !relevant.isEmpty else { continue }
                            let ids = relevant.compactMap(\.caseID).map(String.init).joined(separator: ",")
                            try await writer.write(ByteBuffer(string: "event: cases\ndata: {\"cases\":[\(ids)]}\n\n"))
                        }
                    }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                sink.finish()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"],
            body: body)
    }
}
