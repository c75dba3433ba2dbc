"""`onegrid export` beside a serving city, as the README's Exports section runs it: the file is
byte for byte the API's download for the same post and filters, a post's file holds only its
area, and a refused filter leaves no file behind."""
import csv
import io
import json

from conftest import report_case, request, run_command, sign_in

BOM = b"\xef\xbb\xbf"


def test_the_command_lines_export_is_the_apis_download(sqlite_db, servers, tmp_path):
    server = servers(sqlite_db.location)
    worker = sign_in(server.port)
    numbers = []
    for index in range(30):
        answer = report_case(server.port, worker, f"export-{index}", title=f"导出测试 {index}, \"引号\"")
        assert answer.status == 201, answer
        numbers.append(answer.json["number"])
    village = sign_in(server.port, "village1")

    def exported(*arguments, name):
        path = tmp_path / name
        run_command("export", *arguments, "--database", sqlite_db.location, "--output", str(path), cwd=tmp_path)
        return path.read_bytes()

    api = request(server.port, "GET", "/api/v1/cases/export?format=csv&q=%E5%AF%BC%E5%87%BA", token=village)
    assert api.status == 200 and api.body.startswith(BOM), api
    written = exported("cases", "--as", "village1", "--q", "导出", "--format", "csv", name="cases.csv")
    assert written == api.body
    rows = list(csv.reader(io.StringIO(written[3:].decode(), newline="")))
    assert sorted(row[0] for row in rows[1:]) == sorted(numbers), "every case, each once"

    # The last town's centre: the walkthrough's grid lies in the first town.
    [[far_town]] = sqlite_db.rows(
        "SELECT u.username FROM posts p JOIN users u ON u.id = p.user_id "
        "WHERE p.role = 'dispatcher' AND p.area_level = 'town' ORDER BY p.area_id DESC LIMIT 1")
    other = run_command("export", "cases", "--database", sqlite_db.location, "--as", far_town, "--q", "导出", cwd=tmp_path)
    assert other.stdout.splitlines()[1:] == [] and not any(number in other.stdout for number in numbers), \
        "another town's post exports its own area only"

    api = request(server.port, "GET", "/api/v1/figures/deadlines?format=ndjson&groupBy=department", token=village)
    assert api.status == 200, api
    written = exported("figures", "deadlines", "--as", "village1", "--group-by", "department", "--format", "ndjson", name="f.ndjson")
    # The same objects a line each (JSON leaves the order of an object's keys open).
    assert [json.loads(line) for line in written.splitlines()] == [json.loads(line) for line in api.body.splitlines()]

    refused = run_command("export", "cases", "--database", sqlite_db.location, "--status", "lost", "--output", str(tmp_path / "bad.csv"),
                          cwd=tmp_path, check=False)
    assert refused.returncode == 1 and "status" in refused.stderr and "Usage" not in refused.output, refused.output
    assert not (tmp_path / "bad.csv").exists() and not (tmp_path / "bad.csv.partial").exists()
