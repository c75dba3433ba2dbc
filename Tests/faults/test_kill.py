"""onegrid killed (SIGKILL) under intake load and started again, twice: clients retry what was not
acknowledged under the same Idempotency-Key, and nothing is lost or doubled."""
import time

from conftest import IntakeLoad, sign_in, wait_for


def test_killed_under_intake_load_loses_and_doubles_nothing(any_db, servers):
    server = servers(any_db.location)
    load = IntakeLoad(server.port, sign_in(server.port), clients=4).start()
    for _ in range(2):
        time.sleep(1.5)
        server.kill()
        killed_at = time.monotonic()
        time.sleep(0.5)
        server.start()
        # The sessions live in the database, so the clients go on with their tokens.
        wait_for(lambda: any(a.status == 201 for a in load.statuses(since=killed_at)), 20,
                 message="a case acknowledged after the restart")
    time.sleep(1)
    load.stop()
    load.drain()
    assert len(load.acknowledged) >= 10, f"too few cases under load to tell: {len(load.acknowledged)}"
    server_errors = [a for a in load.statuses() if a.status is not None and a.status >= 500 and a.status != 503]
    assert not server_errors, f"server errors around the kills: {server_errors[:5]}"
    load.assert_exactly_once(any_db)
    server.stop()
