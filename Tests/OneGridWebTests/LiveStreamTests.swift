import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDemo
import OneGridDomain
import OneGridStore
@testable import OneGridWeb
import Testing

/// The event stream a live page listens to tells it of its own area's changes only.
@Suite struct LiveStreamTests {
    /// The event stream of a village's page carries its own cases' changes and not another
    /// village's.
    @Test func theStreamCarriesTheAreasChangesOnly() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-sse-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await OneGridDatabase.using(path) { database in
            _ = try await DemoCity.build(into: database, size: .tiny, cases: 0)
            let services = try await OneGridServices(database: database)
            let directory = services.directory
            let villages = directory.areas.values.filter { $0.level == .village }.sorted { $0.code < $1.code }
            let own = try #require(villages.first)
            let otherGrid = try #require(directory.children(of: villages[1].id).first)
            let ownGrid = try #require(directory.children(of: own.id).first)
            let response = LiveStream.response(for: own, services: services)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let (chunks, sink) = AsyncStream.makeStream(of: String.self)
            let writing = Task {
                try await response.body.write(CollectingWriter(sink: sink))
            }
            var received = chunks.makeAsyncIterator()
            #expect(await received.next()?.hasPrefix("retry: 2000") == true)
            // Let the stream subscribe before publishing.
            try await Task.sleep(for: .milliseconds(100))
            services.changes.publish([CaseChange(caseID: 1, gridID: otherGrid.id)])
            services.changes.publish([CaseChange(caseID: 2, gridID: ownGrid.id)])
            #expect(await received.next() == "event: cases\ndata: {\"cases\":[2]}\n\n", "case 1 lies in another village")
            services.changes.publish([.anywhere])
            #expect(await received.next() == "event: cases\ndata: {\"cases\":[]}\n\n", "a sweep may concern any area")
            writing.cancel()
        }
    }

    /// Hands each buffer written to the test.
    struct CollectingWriter: ResponseBodyWriter {
        let sink: AsyncStream<String>.Continuation

        mutating func write(_ buffer: ByteBuffer) async throws {
            sink.yield(String(buffer: buffer))
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            sink.finish()
        }
    }
}
