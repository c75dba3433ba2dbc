"""The audit trail holds against someone who can write to the database: `onegrid audit verify`
reports a case row changed behind OneGrid's back, and, against a checkpoint saved before, a
timeline rewritten and hashed again from the changed event on."""
import hashlib
import json
import re

from conftest import report_case, request, run_command, sign_in


def case_with_two_steps(database, servers):
    """A street light reported by the grid worker and accepted by the village's centre."""
    server = servers(database.location)
    reported = report_case(server.port, sign_in(server.port), "audit-case")
    assert reported.status == 201, reported
    case_id = reported.json["id"]
    accepted = request(server.port, "POST", f"/api/v1/cases/{case_id}/actions", {"action": "accept"},
                       token=sign_in(server.port, "village1"))
    assert accepted.status == 200, accepted
    server.stop()
    return case_id


def findings(output, case_id):
    """The lines of `audit verify` that name the case (its id as a word), not the summary."""
    return [line for line in output.splitlines() if re.search(rf"\b{case_id}\b", line) and not line.startswith("Checked")]


def verify(database, workdir, *options):
    return run_command("audit", "verify", "--database", database.location, *options, cwd=workdir, check=False)


def event_hash(row, previous_hash):
    """TimelineEvent.canonicalBytes hashed as TimelineHasher does: sorted keys, no whitespace,
    absent members left out."""
    case_id, sequence, action, from_status, to_status, user, post, role, at, note, details = row
    members = {
        "caseID": int(case_id), "sequence": int(sequence), "action": action, "fromStatus": from_status or None,
        "toStatus": to_status, "actorUserID": int(user) if user else None, "actorPostID": int(post) if post else None,
        "actorRole": role or None, "atMillis": int(at), "note": note or None, "details": json.loads(details),
        "previousHash": previous_hash}
    canonical = json.dumps({k: v for k, v in members.items() if v is not None}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


EVENT_COLUMNS = "case_id, sequence, action, from_status, to_status, actor_user_id, actor_post_id, actor_role, at, note, details"


def events(database, case_id):
    rows = database.rows(f"SELECT {EVENT_COLUMNS}, previous_hash, hash FROM case_events WHERE case_id = {case_id} ORDER BY sequence")
    return [(row[:11], row[11], row[12]) for row in rows]


def test_a_case_row_edited_behind_onegrids_back_is_reported(any_db, servers, tmp_path):
    case_id = case_with_two_steps(any_db, servers)
    intact = verify(any_db, tmp_path)
    assert intact.returncode == 0, intact.output

    any_db.execute(f"UPDATE cases SET status = 'closed' WHERE id = {case_id}")
    tampered = verify(any_db, tmp_path)
    output = tampered.output
    assert tampered.returncode != 0, f"a case closed by SQL passed the audit:\n{output}"
    assert any("closed" in line for line in findings(output, case_id)), \
        f"no finding names the case and the status it was given:\n{output}"


def test_a_rehashed_timeline_is_reported_against_a_saved_checkpoint(any_db, servers, tmp_path):
    case_id = case_with_two_steps(any_db, servers)
    # As an auditor would: sign the chains' heads now and keep the file outside the database.
    checkpoints = tmp_path / "saved-checkpoints"
    run_command("audit", "checkpoint", "--database", any_db.location, "--audit-key", str(tmp_path / "audit.key"),
                "--checkpoints", str(checkpoints), cwd=tmp_path)
    assert list(checkpoints.glob("*.json")), "onegrid audit checkpoint wrote no checkpoint file"

    # Backdate the acceptance by an hour, in the event and the case row, and seal the chain again
    # from there: without a checkpoint nothing inside the database tells.
    chain = events(any_db, case_id)
    previous = "0" * 64
    for row, previous_hash, stored in chain:
        assert previous_hash == previous and event_hash(row, previous) == stored, "the test's hash differs from OneGrid's"
        previous = stored
    previous = chain[0][2]
    for row, _, _ in chain[1:]:
        row = list(row)
        if row[2] == "accept":
            row[8] = str(int(row[8]) - 3_600_000)
            any_db.execute(f"UPDATE case_events SET at = {row[8]} WHERE case_id = {case_id} AND sequence = {row[1]}")
            any_db.execute(f"UPDATE cases SET accepted_at = accepted_at - 3600000 WHERE id = {case_id}")
        new_hash = event_hash(row, previous)
        any_db.execute(f"UPDATE case_events SET previous_hash = '{previous}', hash = '{new_hash}' "
                       f"WHERE case_id = {case_id} AND sequence = {row[1]}")
        previous = new_hash
    any_db.execute(f"UPDATE cases SET last_hash = '{previous}' WHERE id = {case_id}")

    rewritten = verify(any_db, tmp_path, "--checkpoint", str(checkpoints))
    output = rewritten.output
    assert rewritten.returncode != 0, f"a timeline rewritten after the checkpoint passed the audit:\n{output}"
    assert findings(output, case_id), f"no finding names the rewritten case:\n{output}"
