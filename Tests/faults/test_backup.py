"""A county's backup, as the README tells an operator to take and restore it: `onegrid backup`
while the server takes reports, then `onegrid restore` in place of a city, refused while a server
has the city open and for a damaged file, and the restored city passing `onegrid audit verify`."""
import threading

from conftest import report_case, run_command, sign_in


def test_a_backup_taken_under_reports_restores_and_passes_the_audit(sqlite_db, servers, tmp_path):
    server = servers(sqlite_db.location)
    token = sign_in(server.port)
    reported = []
    stop = threading.Event()

    def keep_reporting():
        while not stop.is_set():
            answer = report_case(server.port, token, f"backup-{len(reported)}")
            assert answer.status == 201, answer
            reported.append(answer.json["id"])

    writer = threading.Thread(target=keep_reporting)
    writer.start()
    try:
        backup = tmp_path / "backup.sqlite"
        taken = run_command("backup", "--database", sqlite_db.location, "--to", str(backup), cwd=tmp_path)
        assert backup.exists(), taken.output
        again = run_command("backup", "--database", sqlite_db.location, "--to", str(backup), cwd=tmp_path, check=False)
        assert again.returncode != 0 and "never overwrites" in again.output, again.output
    finally:
        stop.set()
        writer.join()
    assert reported, "reports went on while the backup ran"

    refused = run_command("restore", "--from", str(backup), "--database", sqlite_db.location, cwd=tmp_path, check=False)
    assert refused.returncode == 1 and "Stop it first" in refused.output, refused.output
    assert "Usage" not in refused.output

    server.stop()
    restored = run_command("restore", "--from", str(backup), "--database", sqlite_db.location, cwd=tmp_path)
    assert "the record is intact" in restored.output, restored.output
    verified = run_command("audit", "verify", "--database", sqlite_db.location, cwd=tmp_path)
    assert "the record is intact" in verified.output, verified.output
    # The city is the backup's moment: it opens and serves again.
    servers(sqlite_db.location)


def test_a_damaged_backup_is_refused_and_the_city_left_alone(sqlite_db, tmp_path):
    backup = tmp_path / "backup.sqlite"
    run_command("backup", "--database", sqlite_db.location, "--to", str(backup), cwd=tmp_path)
    data = bytearray(backup.read_bytes())
    # Scribble over pages in the middle of the file, past the header.
    middle = len(data) // 2
    data[middle:middle + 65536] = b"\xa5" * 65536
    backup.write_bytes(bytes(data))
    before = open(sqlite_db.location, "rb").read()
    # --force: the damage must be what stops it, not a log file left beside the copied city.
    refused = run_command("restore", "--from", str(backup), "--database", sqlite_db.location, "--force", cwd=tmp_path, check=False)
    assert refused.returncode == 1, refused.output
    assert "damaged" in refused.output or "does not pass the audit" in refused.output, refused.output
    assert open(sqlite_db.location, "rb").read() == before, "the city was not touched"
