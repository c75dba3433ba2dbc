"""What a Prometheus server reads at /metrics: the exposition parsed by Prometheus's own Python
client, with the requests just made counted under their route and status."""
from prometheus_client.parser import text_string_to_metric_families

from conftest import request, sign_in


def test_metrics_parse_as_prometheus_reads_them(sqlite_db, servers):
    server = servers(sqlite_db.location)
    for _ in range(3):
        assert request(server.port, "GET", "/health/live").status == 200
    token = sign_in(server.port)
    assert request(server.port, "GET", "/api/v1/cases?limit=5", token=token).status == 200
    answer = request(server.port, "GET", "/metrics")
    assert answer.status == 200
    assert answer.headers.get("content-type", "").startswith("text/plain; version=0.0.4"), answer.headers
    families = {family.name: family for family in text_string_to_metric_families(answer.body.decode())}
    assert "onegrid_open_cases" in families and "http_server_request_duration" in families, sorted(families)
    requests = [sample for sample in families["hb_requests"].samples]
    live = [s for s in requests if "/health/live" in s.labels.values() and "200" in s.labels.values()]
    assert sum(s.value for s in live) >= 3, requests
    # A route pattern, never an id or a query.
    assert any("/api/v1/cases" in s.labels.values() for s in requests), requests
    assert not any("limit=5" in value for s in requests for value in s.labels.values())
    buckets = [s for s in families["http_server_request_duration"].samples if s.name.endswith("_bucket")]
    assert buckets and all("le" in s.labels for s in buckets)
