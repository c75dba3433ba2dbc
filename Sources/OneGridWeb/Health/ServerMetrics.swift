import Foundation
import Hummingbird
import Metrics
import Prometheus

/// What the process records through swift-metrics, kept in one Prometheus registry and served at
/// `/metrics` in Prometheus's text format: requests by route and status with their latency
/// (Hummingbird's `MetricsMiddleware`), open cases by status, the webhook backlog, the deadline
/// sweeper's rounds and the database readers in use.
enum ServerMetrics {
    /// swift-metrics has one backend per process, set once: the first server built in a process
    /// sets it, and every later one (the tests build many) records into the same registry.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From a cached figure (under a millisecond) to a read given up at its time limit.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// `/metrics`, beside the health checks: outside every audience's authentication, as a
    /// Prometheus server scrapes it. It names routes and counts, never a case or a person.
    static func register(on router: Router<OneGridRequestContext>) {
        let registry = registry
        router.on("/metrics", method: .get) { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16_384)
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
