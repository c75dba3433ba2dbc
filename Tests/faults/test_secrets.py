"""No secret in any output: the database password, the bearer tokens and the audit signing key
appear nowhere in what any onegrid process of the session wrote (start-up lines, logs at every
level, errors, commands). Runs last (conftest orders it), so it reads the output of every run
before it too."""
import pytest

from conftest import OUTPUTS, SECRETS, masked, report_case, request, run_command, sign_in


def test_no_secret_in_any_output(postgres_db, servers, tmp_path):
    # A run of its own at the chattiest level, so the check means something when run alone.
    server = servers(postgres_db.location, ["--log-level", "trace"])
    token = sign_in(server.port)
    assert report_case(server.port, token, "secrets-case").status == 201
    request(server.port, "GET", "/api/v1/me", token="not-a-token-anyone-holds")
    server.stop()
    # The server made its audit signing key where it started (by default): that is a secret too.
    key = tmp_path / "onegrid-audit.key"
    if key.exists():
        text = key.read_bytes().decode("ascii", "ignore").strip()
        if len(text) >= 16:
            SECRETS.add(text)
    run_command("migrate", "--database", postgres_db.location, cwd=tmp_path)
    run_command("audit", "verify", "--database", postgres_db.location, cwd=tmp_path)

    assert len(SECRETS) >= 2, "the password and at least one token to look for"
    leaks = sorted({masked(run) for run, text in OUTPUTS for secret in SECRETS if secret in text})
    if leaks:
        # Not an assert: its report would show the secret it found.
        pytest.fail("secrets in the output of: " + "; ".join(leaks), pytrace=False)
