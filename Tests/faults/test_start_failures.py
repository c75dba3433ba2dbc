"""A server that cannot start says why in one line and exits non-zero within seconds, instead of
looping, filling the disk with log or waiting for ever."""
import socket
import subprocess
import time

import pytest

from conftest import ONEGRID, OUTPUTS, SECRETS, free_port, masked


def start_and_wait(tmp_path, arguments, limit=5):
    """Runs `onegrid serve …`; gives its exit status, its output lines and how long it ran."""
    __tracebackhide__ = True  # its arguments may hold the database password
    log_path = tmp_path / "serve.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        # In the test's folder: a server makes its audit key and checkpoint folder where it starts.
        process = subprocess.Popen(
            [ONEGRID, "serve", *arguments], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
        try:
            status = process.wait(limit)
        except subprocess.TimeoutExpired:
            status = None
        elapsed = time.monotonic() - started
        if status is None:
            process.kill()
            process.wait()
    output = log_path.read_text(errors="replace")
    OUTPUTS.append(("serve " + " ".join(arguments), output))
    return status, output.splitlines(), elapsed


def assert_failed_start(status, lines, elapsed, reason):
    shown = masked("\n".join(lines[:40]))
    assert status is not None, f"still running after {elapsed:.1f} s, {len(lines)} lines so far:\n{shown}"
    assert status != 0, f"exited 0:\n{shown}"
    assert len(lines) < 20, f"{len(lines)} lines of output:\n{shown}"
    assert any(reason(line.lower()) for line in lines), f"no line says why:\n{shown}"


def test_second_start_on_a_busy_port_exits_within_5_seconds(sqlite_db, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, lines, elapsed = start_and_wait(tmp_path, ["--database", sqlite_db.location, "--port", str(port)])
    assert_failed_start(status, lines, elapsed, lambda line: "in use" in line)


@pytest.mark.parametrize("fault", ["nothing listening", "wrong password", "bad URL"])
def test_start_without_the_database_exits_within_5_seconds(postgres, postgres_demo, tmp_path, fault):
    password = postgres.password
    if fault == "nothing listening":
        url = postgres.url(postgres_demo).replace(f":{postgres.port}/", f":{free_port()}/")
    elif fault == "wrong password":
        password = "wrong" + postgres.password
        url = postgres.url(postgres_demo, password=password)
    else:
        url = postgres.url(postgres_demo).replace(f":{postgres.port}/", ":port/")
    SECRETS.add(password)
    status, lines, elapsed = start_and_wait(tmp_path, ["--database", url, "--port", str(free_port())])
    assert_failed_start(status, lines, elapsed, lambda line: "database" in line or "postgres" in line)
    assert not any(password in line for line in lines), "the database password is in the output"
