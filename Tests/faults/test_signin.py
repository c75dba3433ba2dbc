"""Sign-in resists guessing: an account hears at most 100 wrong passwords an hour, counted across
every server on the database, and an unknown username is refused no faster than a known one's
wrong password, so the timing does not tell which usernames exist."""
import statistics
import time

from conftest import request

# Demo accounts (see `onegrid demo`'s output), each given one wrong password by the timing test.
KNOWN = ["village1", "town1", "county1", "city", "window1", "hotline", "citizen1", "leader", "leader.town1", "mediator1",
         "handler.village1", "handler.town1.market", "handler.town1.police", "handler.county1.housing"]


def wrong_password(port, username, source=None):
    return request(port, "POST", "/api/v1/session", {"username": username, "password": "not-the-password"}, source=source)


def test_the_101st_failed_sign_in_in_an_hour_is_refused(postgres_db, servers):
    # Two servers on one database, taking turns: the count is the account's, not a process's.
    pair = [servers(postgres_db.location), servers(postgres_db.location)]
    answers = [wrong_password(pair[attempt % 2].port, "village1") for attempt in range(101)]
    for answer in answers:
        assert answer.status in (401, 429), f"a wrong password answered {answer}"
    heard = sum(answer.status == 401 for answer in answers)
    assert heard <= 100, f"{heard} wrong passwords heard for one account within the hour"
    last = answers[-1]
    assert last.status == 429 and last.error_code == "tooManyAttempts", f"the 101st wrong password: {last}"
    assert last.headers.get("retry-after", "").isdigit(), f"a refusal without the seconds to wait: {last.headers}"
    for server in pair:
        server.stop()


def test_an_unknown_username_is_refused_as_slowly_as_a_wrong_password(sqlite_db, servers):
    server = servers(sqlite_db.location)
    known, unknown = [], []
    for index, username in enumerate(KNOWN):
        # Each pair from an address of its own, so the per-address limit does not slow the later ones.
        source = f"127.0.0.{10 + index}"
        for name, times in ((username, known), (f"nobody{index}.{username}", unknown)):
            started = time.perf_counter()
            answer = wrong_password(server.port, name, source=source)
            times.append(time.perf_counter() - started)
            assert answer.status == 401 and answer.error_code == "unauthorized", f"{name}: {answer}"
    # The first of each warms the server up.
    known_median, unknown_median = statistics.median(known[1:]), statistics.median(unknown[1:])
    assert 0.5 <= unknown_median / known_median <= 2, \
        f"an unknown username is refused in {unknown_median * 1000:.1f} ms, a known one's wrong password in {known_median * 1000:.1f} ms"
    server.stop()
