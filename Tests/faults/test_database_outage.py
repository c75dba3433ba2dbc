"""PostgreSQL stopped and started again under intake load: while it is down every answer says
"try again shortly" (503, Retry-After, databaseUnavailable), never 500; when it is back the same
process serves again by itself, and every case it acknowledged exists exactly once."""
import time

from conftest import IntakeLoad, request, sign_in, wait_for


def assert_unavailable(answer, what):
    assert answer.status == 503, f"{what} while the database is down: {answer}"
    assert answer.headers.get("retry-after", "").isdigit(), f"{what}: 503 without a Retry-After in seconds: {answer.headers}"
    assert answer.error_code == "databaseUnavailable", f"{what}: {answer}"


def test_postgres_stopped_and_restarted_under_intake_load(postgres, postgres_db, servers):
    server = servers(postgres_db.location)
    token = sign_in(server.port)
    load = IntakeLoad(server.port, token).start()
    outages = []
    # Twice: a writer left waiting by the first outage shows in the second at the latest.
    for _ in range(2):
        time.sleep(2)
        postgres.stop("fast")
        down_since = time.monotonic()
        lines_before = len(server.output.splitlines())
        try:
            time.sleep(4)
            # Asked while down: reads and health too, with a bearer token health must not look up.
            assert_unavailable(request(server.port, "GET", "/api/v1/cases", token=token), "GET /api/v1/cases")
            live = request(server.port, "GET", "/health/live", token="not-a-token-anyone-holds")
            assert live.status == 200, f"/health/live answers from the process alone: {live}"
            ready = request(server.port, "GET", "/health/ready", token="not-a-token-anyone-holds")
            assert ready.status == 503 and ready.json.get("status") == "unready" and ready.json.get("failed") == "database", \
                f"/health/ready while the database is down: {ready}"
        finally:
            down_until = time.monotonic()
            outages.append((down_since, down_until, server.output.splitlines()[lines_before:]))
            postgres.start()
        up_since = time.monotonic()
        # Back without restarting onegrid: a new case is acknowledged by the same process.
        wait_for(lambda: any(a.status == 201 for a in load.statuses(since=up_since)), 20,
                 message=lambda: f"a case acknowledged after PostgreSQL came back (answers since: {load.summary(since=up_since)})")
    time.sleep(1)
    load.stop()
    assert server.process.poll() is None, "onegrid exited while the database was down"
    load.drain()

    for down_since, down_until, lines_while_down in outages:
        while_down = load.statuses(since=down_since, until=down_until)
        assert while_down, "no request was answered while the database was down"
        for answer in while_down:
            assert_unavailable(answer, "POST /api/v1/cases")
        # The same error repeated is written once per interval with a count, not once per request.
        assert len(lines_while_down) < 20, \
            f"{len(lines_while_down)} log lines in 4 s down for {len(while_down)} refused requests:\n" + "\n".join(lines_while_down[:30])
    failures = [a for a in load.statuses() if a.status is None or a.status >= 500 and a.status != 503]
    assert not failures, f"answers other than 503 for the outage: {failures[:5]}"
    assert request(server.port, "GET", "/health/ready").json.get("status") == "ready"
    load.assert_exactly_once(postgres_db)
    server.stop()


def test_sigterm_ends_the_server_while_the_database_is_down(postgres, postgres_db, servers):
    server = servers(postgres_db.location)
    token = sign_in(server.port)
    postgres.stop("fast")
    try:
        # A request that fails on the missing database first, so the server knows it is gone.
        request(server.port, "GET", "/api/v1/cases", token=token)
        server.stop(timeout=10)
        assert server.process.returncode is not None
    finally:
        postgres.start()
