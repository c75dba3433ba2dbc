"""A round trip through a maintained Open311 client library, `georeport` (PyPI), against a real
`onegrid serve --demo`: an administrator issues a key over the JSON API, a report is posted
form-encoded as GeoReport v2 has it, and the client reads the services, a definition and the
request back in JSON and in XML.

georeport reads but does not create requests, so the report is posted with `requests`; and it
sends `api_key` only when creating, while OneGrid asks for it on every read of requests (a key's
jurisdiction decides what it reads), so the test hands it a `requests` that adds the key.
`.ci/run` runs this after a build; by hand:
    swift build --product onegrid && python3 -m pytest -q Tests/open311
"""
import os
import pathlib
import socket
import subprocess
import time

import pytest
import requests

georeport = pytest.importorskip("georeport")
from georeport import GeoReport  # noqa: E402

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
ONEGRID = os.environ.get("ONEGRID_BIN") or str(REPO_ROOT / ".build" / "debug" / "onegrid")
PASSWORD = "onegrid-demo"
# The centre of the demo city's first grid (the README's walkthrough).
LAT, LONG = 34.862, 117.552


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("open311")
    port = free_port()
    log = open(workdir / "serve.log", "wb")
    process = subprocess.Popen(
        [ONEGRID, "serve", "--demo", "--cases", "0", "--database", str(workdir / "onegrid.sqlite"), "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        assert process.poll() is None, (workdir / "serve.log").read_text(errors="replace")
        try:
            if requests.get(base + "/health/live", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, "onegrid serve did not answer within 300 s"
        time.sleep(0.5)
    yield base
    process.terminate()
    process.wait(30)
    log.close()


def sign_in(base, username):
    answer = requests.post(base + "/api/v1/session", json={"username": username, "password": PASSWORD}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def api_key(server):
    hotline = sign_in(server, "hotline")["post"]["id"]
    admin = sign_in(server, "admin")["token"]
    issued = requests.post(
        server + "/api/v1/admin/open311-keys", json={"name": "georeport round trip", "postID": hotline},
        headers={"Authorization": f"Bearer {admin}"}, timeout=10)
    assert issued.status_code == 201, issued.text
    return issued.json()


class KeyedRequests:
    """`requests` as georeport calls it, with the key added to every read."""

    def __init__(self, key):
        self.key = key

    def get(self, url, params=None, **options):
        return requests.get(url, params={**(params or {}), "api_key": self.key}, timeout=10, **options)


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_a_report_round_trips_through_georeport(server, api_key, output_format, monkeypatch):
    endpoint = server + "/open311/v2"
    posted = requests.post(
        f"{endpoint}/requests.{output_format}",
        data={
            "api_key": api_key["apiKey"], "jurisdiction_id": api_key["jurisdictionID"], "service_code": "service.streetlight",
            "lat": LAT, "long": LONG, "description": "村口路灯不亮", "first_name": "三", "last_name": "张",
            "phone": "13812345678", "media_url": "https://example.org/light.jpg",
        },
        timeout=10)
    assert posted.status_code == 201, posted.text

    monkeypatch.setattr(georeport.georeport, "requests", KeyedRequests(api_key["apiKey"]))
    client = GeoReport(endpoint, jurisdiction=api_key["jurisdictionID"], output_format=output_format)
    if output_format == "json":
        request_id = posted.json()[0]["service_request_id"]
    else:
        request_id = posted.text.split("<service_request_id>")[1].split("<")[0]

    services = client.get_service_list()
    light = next(service for service in services if service["service_code"] == "service.streetlight")
    assert light["service_name"] == "路灯维修"
    assert str(light["metadata"]).lower() == "true"

    definition = client.get_service_definition("service.streetlight")
    assert definition["service_code"] == "service.streetlight"

    found = client.get_service_requests(service_request_id=request_id)
    found = found if isinstance(found, list) else [found]
    assert [request["service_request_id"] for request in found] == [request_id]

    one = client.get_service_request(request_id)
    assert one["service_request_id"] == request_id
    assert one["status"] == "open"
    assert one["service_code"] == "service.streetlight"
    assert one["media_url"] == "https://example.org/light.jpg"
    assert "13812345678" not in str(one) and "张" not in str(one), "no personal data leaves"

    recent = client.get_service_requests(status="open", service_code="service.streetlight")
    recent = recent if isinstance(recent, list) else [recent]
    assert request_id in [request["service_request_id"] for request in recent]
