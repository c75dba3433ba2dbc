"""The health routes answer a load balancer truthfully and never look at a bearer token: a token
nobody holds must not turn a healthy server's answer into an error. Readiness names the check
that failed (the database's outage is in test_database_outage)."""
from conftest import request


def test_health_routes_ignore_bearer_tokens(sqlite_db, servers):
    server = servers(sqlite_db.location)
    for token in (None, "not-a-token-anyone-holds"):
        live = request(server.port, "GET", "/health/live", token=token)
        assert live.status == 200, f"/health/live with token {token!r}: {live}"
        ready = request(server.port, "GET", "/health/ready", token=token)
        assert ready.status == 200 and ready.json.get("status") == "ready", f"/health/ready with token {token!r}: {ready}"
    server.stop()


def test_readiness_names_migrations_not_applied(sqlite_db, servers):
    server = servers(sqlite_db.location)
    # The schema's record one migration short, as after a restore from an older backup.
    newest = sqlite_db.rows("SELECT name FROM onegrid_migrations ORDER BY name DESC LIMIT 1")[0][0]
    sqlite_db.execute(f"DELETE FROM onegrid_migrations WHERE name = '{newest}'")
    ready = request(server.port, "GET", "/health/ready")
    assert ready.status == 503 and ready.json.get("status") == "unready" and ready.json.get("failed") == "migrations", \
        f"/health/ready with {newest} not applied: {ready}"
    assert request(server.port, "GET", "/health/live").status == 200
    server.stop()
