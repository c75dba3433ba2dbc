"""Fault injection against real `onegrid serve` processes: the database stopped under load, the
server killed, the disk filled, the port taken, hostile connections, guessed passwords and a
rewritten audit trail. See the README's "When things go wrong" for what each fault looks like.

The suite starts its own throwaway PostgreSQL cluster (so it may stop and restart it) and its own
servers. `.ci/run` runs it after a build; by hand:
    swift build --product onegrid && python3 -m pytest -q Tests/faults
ONEGRID_BIN names another binary.
"""
import http.client
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
ONEGRID = os.environ.get("ONEGRID_BIN") or str(REPO_ROOT / ".build" / "debug" / "onegrid")
DEMO_PASSWORD = "onegrid-demo"
# A walkthrough grid worker reports at the centre of the first grid (see the README's walkthrough).
REPORTER = "gridworker1"
CASE_LOCATION = {"lat": 34.862, "lng": 117.552}
IS_ROOT = os.geteuid() == 0

# Everything any onegrid process of this session wrote, and every secret it must not have
# written: test_secrets reads both at the end of the session.
OUTPUTS = []
SECRETS = set()


def pytest_collection_modifyitems(items):
    """The check of every output runs last, after the runs it reads."""
    items.sort(key=lambda item: item.path.name == "test_secrets.py")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def masked(text):
    """The text with every secret of the session blotted out, for the test's own messages: a
    failure report must not leak what the product is checked for keeping quiet."""
    for secret in SECRETS:
        text = text.replace(secret, "***")
    return text


class Finished:
    """What a command printed and how it ended (without its arguments, which may hold a password)."""

    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr

    @property
    def output(self):
        return self.stdout + self.stderr


def run_command(*arguments, cwd, timeout=300, check=True):
    """A one-off `onegrid` command in `cwd` (where it may leave files, such as the audit key);
    its output joins the session's outputs."""
    __tracebackhide__ = True  # its arguments may hold the database password
    result = subprocess.run(
        [ONEGRID, *arguments], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    OUTPUTS.append((" ".join(arguments[:2]), result.stdout + result.stderr))
    if check and result.returncode != 0:
        raise AssertionError(masked(f"onegrid {' '.join(arguments)} exited {result.returncode}:\n{result.stdout}{result.stderr}"))
    return Finished(result.returncode, result.stdout, result.stderr)


# MARK: HTTP


class Answer:
    """One HTTP answer, or the connection failing (status None)."""

    def __init__(self, status=None, headers=None, body=b"", error=None):
        self.status = status
        self.headers = {k.lower(): v for k, v in (headers or [])}
        self.body = body
        self.error = error

    @property
    def json(self):
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            return {}

    @property
    def error_code(self):
        error = self.json.get("error") if isinstance(self.json, dict) else None
        return error.get("code") if isinstance(error, dict) else None

    def __repr__(self):
        if self.status is None:
            return f"<no answer: {self.error}>"
        return f"<{self.status} {self.body[:200]!r}>"


def request(port, method, path, body=None, token=None, headers=None, timeout=10, source=None):
    """One request on a connection of its own, from `source` (another loopback address) if given."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None)
    sent = dict(headers or {})
    if body is not None:
        sent["Content-Type"] = "application/json"
    if token:
        sent["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    except (OSError, http.client.HTTPException) as error:
        return Answer(error=repr(error))
    finally:
        connection.close()


def sign_in(port, username=REPORTER, password=DEMO_PASSWORD):
    answer = request(port, "POST", "/api/v1/session", {"username": username, "password": password})
    assert answer.status == 201, f"sign-in as {username}: {answer}"
    token = answer.json["token"]
    SECRETS.add(token)
    return token


def report_case(port, token, key, title=None, timeout=10):
    """Reports a street light out at the walkthrough's grid, with `key` as its Idempotency-Key."""
    body = {
        "title": title or key, "description": "故障注入测试：路灯不亮", "categoryCode": "service.streetlight",
        "location": CASE_LOCATION, "reporter": {"name": "张三", "phone": "13812345678"}}
    return request(port, "POST", "/api/v1/cases", body, token=token, headers={"Idempotency-Key": key}, timeout=timeout)


def wait_for(predicate, timeout, interval=0.2, message="condition"):
    """`predicate()` once it is truthy; fails after `timeout` s with `message` (text, or a
    function giving the text then)."""
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message() if callable(message) else message} not met within {timeout} s")
        time.sleep(interval)


# MARK: Servers


class Server:
    """One `onegrid serve` process with its output in a file; restartable on the same port."""

    def __init__(self, database, workdir, extra=()):
        self.database = database
        self.workdir = pathlib.Path(workdir)
        self.extra = list(extra)
        self.port = free_port()
        self.process = None
        self.runs = 0

    @property
    def arguments(self):
        return ["serve", "--database", self.database, "--port", str(self.port), *self.extra]

    def start(self, timeout=60):
        self.runs += 1
        self.log_path = self.workdir / f"serve-{self.port}-{self.runs}.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [ONEGRID, *self.arguments], stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            cwd=self.workdir)
        self.wait_until_serving(timeout)
        return self

    def wait_until_serving(self, timeout=60):
        def serving():
            if self.process.poll() is not None:
                raise AssertionError(masked(f"onegrid serve exited {self.process.returncode}:\n{self.output}"))
            # `/health` before there was `/health/live`, so other faults can be told on an older server.
            return any(request(self.port, "GET", path, timeout=2).status == 200 for path in ("/health/live", "/health"))
        wait_for(serving, timeout, message=f"onegrid serve on port {self.port} answering /health/live")

    @property
    def output(self):
        return self.log_path.read_text(errors="replace")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._record()

    def stop(self, timeout=15):
        """SIGTERM, as a service manager stops it; the process must end within `timeout`, by
        itself (status 0), not by crashing on the way out."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self._record()
                raise AssertionError(f"onegrid serve did not end within {timeout} s of SIGTERM")
            self._record()
            assert self.process.returncode == 0, \
                masked(f"onegrid serve ended with status {self.process.returncode} on SIGTERM:\n{self.output[-3000:]}")
        self._record()

    def _record(self):
        if self.process and not getattr(self.process, "recorded", False):
            self.process.recorded = True
            self.log.close()
            OUTPUTS.append((" ".join(self.arguments[:1] + self.extra), self.log_path.read_text(errors="replace")))


@pytest.fixture
def servers(tmp_path):
    """Starts servers for one test and stops whichever are still running after it."""
    started = []

    def start(database, extra=()):
        server = Server(database, tmp_path, extra)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        if server.process and server.process.poll() is None:
            server.process.kill()
            server.process.wait()
        server._record()


# MARK: Databases


def postgres_bin():
    candidates = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()])
    for directory in reversed(candidates):
        if all((directory / tool).exists() for tool in ("initdb", "pg_ctl", "postgres", "psql")):
            return directory
    return None


class PostgresCluster:
    """A cluster of our own in a temporary folder, on a free port, that the tests may stop and
    start at will; never the CI's or a developer's."""

    user = "onegrid_faults"

    def __init__(self, binaries, root):
        self.bin = binaries
        self.root = pathlib.Path(root)
        self.data = self.root / "data"
        self.port = free_port()
        # Distinctive, so finding it in any output is a real finding.
        self.password = "pw" + secrets.token_hex(12)
        SECRETS.add(self.password)

    def _owner(self, arguments, **options):
        if IS_ROOT:
            arguments = ["runuser", "-u", "postgres", "--", *arguments]
        return subprocess.run(arguments, stdin=subprocess.DEVNULL, capture_output=True, text=True, **options)

    def _checked(self, arguments, **options):
        __tracebackhide__ = True
        result = self._owner(arguments, **options)
        if result.returncode != 0:
            log = (self.root / "server.log")
            raise AssertionError(masked(
                f"{' '.join(map(str, arguments))}: {result.stdout}{result.stderr}\n{log.read_text() if log.exists() else ''}"))
        return result

    def create(self):
        if IS_ROOT:
            shutil.chown(self.root, "postgres")
        self._checked([self.bin / "initdb", f"--pgdata={self.data}", "--username=postgres", "--encoding=UTF8", "--locale=C",
                       "--auth-local=trust", "--auth-host=scram-sha-256"])
        self.start()
        self.sql(f"CREATE ROLE {self.user} LOGIN CREATEDB PASSWORD '{self.password}'")

    def start(self):
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                   "-c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._checked([self.bin / "pg_ctl", f"--pgdata={self.data}", f"--log={self.root / 'server.log'}", f"--options={options}",
                       "--wait", "--timeout=60", "start"])

    def stop(self, mode="fast"):
        self._checked([self.bin / "pg_ctl", f"--pgdata={self.data}", f"--mode={mode}", "--wait", "stop"])

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            self._owner([self.bin / "pg_ctl", f"--pgdata={self.data}", "--mode=immediate", "--wait", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)

    def sql(self, statement, database="postgres"):
        """Runs SQL as the superuser over the cluster's socket; returns the rows, fields split by |."""
        result = self._checked([self.bin / "psql", "--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
                                f"--host={self.root}", f"--port={self.port}", "--username=postgres", f"--dbname={database}",
                                "--command", statement])
        return [line.split("|") for line in result.stdout.splitlines() if line]

    def url(self, database, password=None):
        return f"postgres://{self.user}:{password or self.password}@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def postgres():
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)")
    cluster = PostgresCluster(binaries, tempfile.mkdtemp(prefix="onegrid-faults-pg."))
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def session_dir():
    directory = pathlib.Path(tempfile.mkdtemp(prefix="onegrid-faults."))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_demo(session_dir):
    """A demo city without cases in an SQLite file, built once; tests take copies."""
    path = session_dir / "demo.sqlite"
    run_command("demo", "--database", str(path), "--cases", "0", cwd=session_dir)
    return path


@pytest.fixture(scope="session")
def postgres_demo(postgres, session_dir):
    """A demo city without cases in a PostgreSQL database, built once; tests take copies."""
    postgres.sql(f"CREATE DATABASE demo OWNER {postgres.user}")
    run_command("demo", "--database", postgres.url("demo"), "--cases", "0", cwd=session_dir)
    return "demo"


class Database:
    """A copy of the demo city for one test, on SQLite or PostgreSQL, that the test can query."""

    def __init__(self, kind, location, cluster=None, name=None):
        self.kind = kind
        self.location = location
        self.cluster = cluster
        self.name = name

    def rows(self, sql):
        """The rows as text, NULL as the empty string (as psql prints it)."""
        if self.kind == "sqlite":
            import sqlite3
            with sqlite3.connect(self.location, timeout=30) as connection:
                return [["" if v is None else str(v) for v in row] for row in connection.execute(sql).fetchall()]
        return self.cluster.sql(sql, database=self.name)

    def execute(self, sql):
        if self.kind == "sqlite":
            import sqlite3
            connection = sqlite3.connect(self.location, timeout=30)
            try:
                connection.execute(sql)
                connection.commit()
            finally:
                connection.close()
        else:
            self.cluster.sql(sql, database=self.name)


def copy_sqlite(source, directory):
    target = pathlib.Path(directory) / "onegrid.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if pathlib.Path(str(source) + suffix).exists():
            shutil.copyfile(str(source) + suffix, str(target) + suffix)
    return target


@pytest.fixture
def sqlite_db(sqlite_demo, tmp_path):
    path = copy_sqlite(sqlite_demo, tmp_path)
    return Database("sqlite", str(path))


@pytest.fixture
def postgres_db(postgres, postgres_demo):
    name = "t_" + secrets.token_hex(6)
    postgres.sql(f"CREATE DATABASE {name} TEMPLATE {postgres_demo} OWNER {postgres.user}")
    yield Database("postgres", postgres.url(name), postgres, name)
    postgres.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request):
    return request.getfixturevalue(f"{request.param}_db")


# MARK: Intake load


class IntakeLoad:
    """Clients reporting cases, each under its own Idempotency-Key, retrying what was not
    acknowledged with the same key, as a careful client does. Records every answer with the
    times its request was sent and answered."""

    def __init__(self, port, token, clients=3, prefix=None):
        self.port = port
        self.token = token
        self.clients = clients
        self.prefix = prefix or "fault-" + secrets.token_hex(4)
        self.acknowledged = {}  # key → case id
        self.conflicts = []  # a key acknowledged as two different cases
        self.answers = []  # (sent, answered, key, Answer)
        self.issued = []
        self.lock = threading.Lock()
        self.running = threading.Event()
        self.threads = []
        self.counter = 0

    def _next_key(self):
        with self.lock:
            self.counter += 1
            key = f"{self.prefix}-{self.counter}"
            self.issued.append(key)
            return key

    def _attempt(self, key):
        sent = time.monotonic()
        answer = report_case(self.port, self.token, key, timeout=5)
        with self.lock:
            self.answers.append((sent, time.monotonic(), key, answer))
            if answer.status in (200, 201):
                case_id = answer.json["id"]
                previous = self.acknowledged.setdefault(key, case_id)
                if previous != case_id:
                    self.conflicts.append(f"{key} acknowledged as case {previous} and then as {case_id}")
        return answer

    def _client(self):
        pending = None
        while self.running.is_set():
            key = pending or self._next_key()
            answer = self._attempt(key)
            pending = None if answer.status in (200, 201) else key
            if pending:
                # What the server asks for, but short: the test should see the recovery quickly.
                time.sleep(0.2)

    def start(self):
        self.running.set()
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.running.clear()
        for thread in self.threads:
            thread.join(30)

    def drain(self, timeout=30):
        """Retries every key not yet acknowledged until it is."""
        deadline = time.monotonic() + timeout
        for key in self.issued:
            while key not in self.acknowledged:
                answer = self._attempt(key)
                if answer.status not in (200, 201):
                    assert time.monotonic() < deadline, f"{key} still not acknowledged after {timeout} s: {answer}"
                    time.sleep(0.2)

    def statuses(self, since=None, until=None):
        return [a for s, r, k, a in self.answers if (since is None or s >= since) and (until is None or r <= until)]

    def summary(self, since=None):
        """How the answers went, for a failure's message: counts per status or error."""
        counts = {}
        for answer in self.statuses(since=since):
            kind = answer.status or (answer.error or "")[:60]
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def assert_exactly_once(self, database):
        """Every key was acknowledged, each as its own case, and the database holds each exactly once."""
        assert not self.conflicts, self.conflicts[:5]
        assert set(self.acknowledged) == set(self.issued)
        ids = list(self.acknowledged.values())
        assert len(set(ids)) == len(ids), "two keys were acknowledged as the same case"
        stored = database.rows(f"SELECT title, id FROM cases WHERE title LIKE '{self.prefix}-%'")
        titles = [title for title, _ in stored]
        doubled = sorted({t for t in titles if titles.count(t) > 1})
        assert not doubled, f"cases stored twice: {doubled[:10]}"
        assert {t: int(i) for t, i in stored} == {k: int(v) for k, v in self.acknowledged.items()}, "stored cases differ from those acknowledged"
