"""Hostile and forgotten connections are bounded: a request head sent in part is closed after the
head timeout, a kept-alive connection left idle after the idle timeout, and connections beyond
the cap for one address are refused, while every other client is served throughout."""
import socket
import time

from conftest import request, wait_for

PARTIAL_HEAD = b"GET /health/live HTTP/1.1\r\nHost: onegrid\r\nX-Slow: "
COMPLETE_HEAD = b"GET /health/live HTTP/1.1\r\nHost: onegrid\r\n\r\n"


def open_connection(port, sent, source="127.0.0.1"):
    connection = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    connection.sendall(sent)
    return connection


def seconds_until_closed(connection, since, limit):
    """How long after `since` the server closed the connection, or None if it had not by `limit`."""
    while True:
        left = since + limit - time.monotonic()
        if left <= 0:
            return None
        connection.settimeout(left)
        try:
            if connection.recv(65536) == b"":
                return time.monotonic() - since
        except socket.timeout:
            return None
        except ConnectionError:
            return time.monotonic() - since


def test_half_sent_headers_are_closed_after_the_head_timeout(sqlite_db, servers):
    server = servers(sqlite_db.location, ["--head-timeout", "2"])
    sent_at = time.monotonic()
    stalled = [open_connection(server.port, PARTIAL_HEAD) for _ in range(50)]
    try:
        answer = request(server.port, "GET", "/health/live", timeout=3)
        assert answer.status == 200, f"another client while 50 heads hang: {answer}"
        closed = [seconds_until_closed(connection, sent_at, 2 + 4) for connection in stalled]
    finally:
        for connection in stalled:
            connection.close()
    assert all(seconds is not None for seconds in closed), \
        f"{closed.count(None)} of 50 half-sent heads still open 6 s after sending, with --head-timeout 2"
    assert min(closed) >= 1.5, f"a half-sent head closed after {min(closed):.1f} s, before the 2 s limit"
    assert request(server.port, "GET", "/health/live").status == 200
    server.stop()


def test_idle_kept_alive_connections_are_closed_after_the_idle_timeout(sqlite_db, servers):
    server = servers(sqlite_db.location, ["--idle-timeout", "2"])
    connection = open_connection(server.port, COMPLETE_HEAD)
    try:
        connection.settimeout(5)
        assert connection.recv(65536).startswith(b"HTTP/1.1 200"), "the request before going idle"
        answered_at = time.monotonic()
        closed = seconds_until_closed(connection, answered_at, 2 + 4)
    finally:
        connection.close()
    assert closed is not None, "an idle kept-alive connection still open 6 s after its answer, with --idle-timeout 2"
    assert closed >= 1.5, f"an idle connection closed after {closed:.1f} s, before the 2 s limit"
    server.stop()


def test_connections_beyond_the_cap_for_one_address_are_refused(sqlite_db, servers):
    server = servers(sqlite_db.location, ["--max-connections-per-address", "5"])
    # From an address of its own: the fixture's readiness checks came from 127.0.0.1, and the
    # server counts a closed connection out only once it has seen the close. Each held connection
    # is answered once and kept alive, so the server has surely counted it before the sixth.
    capped = "127.0.0.3"
    held = [open_connection(server.port, COMPLETE_HEAD, source=capped) for _ in range(5)]
    try:
        for connection in held:
            connection.settimeout(5)
            assert connection.recv(65536).startswith(b"HTTP/1.1 200"), "a held connection's first request"
        started = time.monotonic()
        refused = request(server.port, "GET", "/health/live", source=capped, timeout=5)
        assert refused.status != 200, "a sixth connection from an address capped at 5 was served"
        # Told at once, by an answer or a closed connection, not left waiting.
        assert refused.status in (None, 429, 503) and time.monotonic() - started < 3, f"refused how? {refused}"
        other = request(server.port, "GET", "/health/live", source="127.0.0.2", timeout=5)
        assert other.status == 200, f"another address while the first is at its cap: {other}"
    finally:
        for connection in held:
            connection.close()
    # Its connections closed, the address is served again.
    wait_for(lambda: request(server.port, "GET", "/health/live", source=capped, timeout=2).status == 200, 5,
             message="the address served again after its connections closed")
    server.stop()
