"""The health routes answer a load balancer truthfully and never look at a bearer token: a token
nobody holds must not turn a healthy server's answer into an error."""
from conftest import request


def test_health_routes_ignore_bearer_tokens(sqlite_db, servers):
    server = servers(sqlite_db.location)
    for token in (None, "not-a-token-anyone-holds"):
        live = request(server.port, "GET", "/health/live", token=token)
        assert live.status == 200, f"/health/live with token {token!r}: {live}"
        ready = request(server.port, "GET", "/health/ready", token=token)
        assert ready.status == 200 and ready.json.get("status") == "ready", f"/health/ready with token {token!r}: {ready}"
    server.stop()
