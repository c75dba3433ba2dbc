"""A full disk under an SQLite database: writes are refused with 507 storageFull (never 500),
reads go on, and writes resume once space is freed, without a restart."""
import os
import pathlib
import secrets
import subprocess

import pytest

from conftest import IS_ROOT, Database, copy_sqlite, report_case, request, sign_in, wait_for


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs: room for the demo city's file and a little more."""
    if not IS_ROOT:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(directory):
    """Writes a file until the disk refuses another byte."""
    filler = pathlib.Path(directory) / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 1 << 10, 1):
            try:
                while os.write(handle, b"\0" * size) > 0:
                    pass
            except OSError:
                pass
    finally:
        os.close(handle)
    return filler


def test_full_disk_refuses_writes_serves_reads_and_recovers(sqlite_demo, small_disk, servers):
    database = Database("sqlite", str(copy_sqlite(sqlite_demo, small_disk)))
    server = servers(database.location)
    token = sign_in(server.port)
    before = report_case(server.port, token, "disk-before-" + secrets.token_hex(4))
    assert before.status == 201, before

    filler = fill(small_disk)
    refusals, stored = [], [before.json["id"]]
    # SQLite may still find room in pages it already holds; a few writes use that up.
    for attempt in range(200):
        answer = report_case(server.port, token, f"disk-full-{attempt}-" + secrets.token_hex(4))
        assert answer.status in (201, 507), f"a write on a full disk: {answer}"
        if answer.status == 201:
            stored.append(answer.json["id"])
        else:
            refusals.append(answer)
            if len(refusals) == 3:
                break
    assert refusals, "200 cases were stored on a full disk: the disk never filled"
    for answer in refusals:
        assert answer.error_code == "storageFull", answer

    case = request(server.port, "GET", f"/api/v1/cases/{before.json['id']}", token=token)
    assert case.status == 200, f"reading a case on a full disk: {case}"
    listed = request(server.port, "GET", "/api/v1/cases", token=token)
    assert listed.status == 200, f"listing cases on a full disk: {listed}"

    os.remove(filler)

    def written():
        answer = report_case(server.port, token, "disk-after-" + secrets.token_hex(4))
        return answer if answer.status == 201 else None

    after = wait_for(written, 10, message="a case acknowledged after the space was freed")
    # Nothing acknowledged was lost, on the full disk or after.
    for case_id in stored + [after.json["id"]]:
        assert request(server.port, "GET", f"/api/v1/cases/{case_id}", token=token).status == 200, f"case {case_id} lost"
    assert server.process.poll() is None
    server.stop()
