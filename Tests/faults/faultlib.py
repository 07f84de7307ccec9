"""Helpers of the fault tests (issue 14, "Never down"): the PostgreSQL and Redis of scripts/faults and their faults,
`atrium serve` processes, workspaces, HTTP calls that never raise, load generators and their figures.

Environment (set by scripts/faults): ATRIUM_BINARY, PG_DATABASE_URL, REDIS_URL, APP_SECRET, FAULTS_DATA_DIR,
FAULTS_PG_PORT, FAULTS_REDIS_PORT.
"""
import errno
import glob
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

import psycopg
import requests

# ---------------------------------------------------------------- bounds
# Short bounds so the suite is fast; every assertion derives its limit from these.
POOL_ACQUIRE_MS = 2000
STATEMENT_MS = 5000
HEALTH_SECONDS = 2
SHUTDOWN_SECONDS = 5
#: Client timeout: a request that takes longer is counted as a hang.
CLIENT_TIMEOUT = 15.0
#: The longest any request may take while PostgreSQL misbehaves: waiting for a connection, then the statement.
REQUEST_BOUND = (POOL_ACQUIRE_MS + STATEMENT_MS) / 1000 + 3.0

SERVER_ENV = {
    "PG_POOL_ACQUIRE_TIMEOUT_MS": str(POOL_ACQUIRE_MS),
    "PG_STATEMENT_TIMEOUT_MS": str(STATEMENT_MS),
    "HEALTH_CHECK_TIMEOUT_SECONDS": str(HEALTH_SECONDS),
    "SHUTDOWN_TIMEOUT_SECONDS": str(SHUTDOWN_SECONDS),
    "API_RATE_LIMITING_LONG_LIMIT": "0",
    "API_RATE_LIMITING_WORKSPACE_LIMIT": "0",
    "WORKSPACE_SPARE_SCHEMAS": "0",
    "LOG_LEVEL": "warning",
}


def env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the fault tests through scripts/faults")
    return value


def binary():
    path = env("ATRIUM_BINARY")
    # The lead may be relinking the debug binary: wait a little for it to reappear.
    deadline = time.monotonic() + 120
    while not os.access(path, os.X_OK):
        if time.monotonic() > deadline:
            raise RuntimeError(f"ATRIUM_BINARY={path} is not an executable file")
        time.sleep(1)
    return path


def retry_busy(start):
    """Runs `start()`, again while the binary is being relinked (ETXTBSY) — the debug binary may be rebuilt during a
    local run."""
    deadline = time.monotonic() + 180
    while True:
        try:
            return start()
        except OSError as error:
            if error.errno != errno.ETXTBSY or time.monotonic() > deadline:
                raise
            time.sleep(1)


def base_environment():
    environment = dict(os.environ)
    environment.update(SERVER_ENV)
    return environment


def cli(*args, timeout=120):
    """Runs `atrium ARGS…` (not serve) and returns its stdout parsed as JSON."""
    result = retry_busy(lambda: subprocess.run([binary(), *args], capture_output=True, text=True, timeout=timeout,
                                               env=base_environment()))
    if result.returncode != 0:
        raise RuntimeError(f"atrium {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- figures
#: One line per test, printed again at the end of the run (conftest's terminal summary).
FIGURES = []


def figure(text):
    line = text.strip()
    FIGURES.append(line)
    print("FIGURES: " + line, flush=True)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


# ---------------------------------------------------------------- services
def _find_pgbin():
    candidates = ["/usr/lib/postgresql/15/bin"] + sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if os.access(os.path.join(folder, "pg_ctl"), os.X_OK):
            return folder
    found = shutil.which("pg_ctl")
    if found:
        return os.path.dirname(os.path.realpath(found))
    raise RuntimeError("pg_ctl not found (scripts/services start installs PostgreSQL)")


def _process_alive(pid):
    """Alive and not a zombie (PID 1 here may not reap)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        return False


class Services:
    """The PostgreSQL and Redis that scripts/services started under FAULTS_DATA_DIR, and the faults done to them:
    PostgreSQL through pg_ctl (as the postgres user when root, as scripts/services runs it), Redis through its pid file
    and the configuration scripts/services wrote."""

    def __init__(self):
        self.data = env("FAULTS_DATA_DIR")
        self.pgdata = os.path.join(self.data, "postgres")
        self.pg_log = os.path.join(self.data, "postgres.log")
        self.pg_port = int(env("FAULTS_PG_PORT"))
        self.redis_port = int(env("FAULTS_REDIS_PORT"))
        self.redis_conf = os.path.join(self.data, "redis.conf")
        self.redis_pidfile = os.path.join(self.data, "redis.pid")
        self.pg_ctl = os.path.join(_find_pgbin(), "pg_ctl")
        self.dsn = env("PG_DATABASE_URL")

    # PostgreSQL
    def _pg_ctl(self, *args, timeout=90):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # -l: the postmaster writes to the log file, never to our pipes (else run() would wait for it to exit).
        command = prefix + [self.pg_ctl, "-D", self.pgdata, "-l", self.pg_log, *args]
        result = subprocess.run(command, cwd="/", stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed ({result.returncode}): {result.stdout}{result.stderr}"
                               f"\n{self.pg_log_tail()}")
        return result

    def pg_restart(self):
        """`pg_ctl -m fast restart`, waiting until it accepts connections again."""
        self._pg_ctl("-m", "fast", "-w", "-t", "60", "restart")

    def pg_stop(self):
        self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")

    def pg_start(self):
        self._pg_ctl("-w", "-t", "60", "start")

    def pg_start_async(self):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.Popen(prefix + [self.pg_ctl, "-D", self.pgdata, "-l", self.pg_log, "-w", "-t", "60", "start"],
                                cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def pg_ready(self, timeout=1):
        try:
            with psycopg.connect(self.dsn, connect_timeout=timeout) as connection:
                connection.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def pg_running(self):
        try:
            with open(os.path.join(self.pgdata, "postmaster.pid")) as handle:
                return _process_alive(int(handle.readline()))
        except (OSError, ValueError):
            return False

    def pg_log_tail(self, lines=15):
        try:
            with open(self.pg_log, errors="replace") as handle:
                return "last lines of postgres.log:\n" + "".join(handle.readlines()[-lines:])
        except OSError:
            return ""

    def connect(self, **kwargs):
        return psycopg.connect(self.dsn, connect_timeout=5, **kwargs)

    # Redis
    def redis_ping(self, timeout=1.0):
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=timeout) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def _redis_pid(self):
        try:
            with open(self.redis_pidfile) as handle:
                pid = int(handle.read().strip())
        except (OSError, ValueError):
            return None
        return pid if _process_alive(pid) else None

    def redis_stop(self):
        """Stops Redis (SIGTERM to the pid of its pid file) and waits until its port refuses connections."""
        pid = self._redis_pid()
        if pid is None:
            raise RuntimeError(f"Redis is not running (no live pid in {self.redis_pidfile})")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while _process_alive(pid) or self.redis_ping(timeout=0.2):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                raise RuntimeError("Redis did not stop within 30 s")
            time.sleep(0.02)

    def redis_start(self):
        """Starts Redis again with the configuration scripts/services wrote (it daemonizes), and waits for PING."""
        subprocess.run(["redis-server", self.redis_conf], cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True, timeout=30)
        deadline = time.monotonic() + 30
        while not self.redis_ping():
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not answer PING within 30 s of its start")
            time.sleep(0.02)

    def ensure_up(self):
        """Brings back whatever an earlier (failed) test left stopped."""
        if not self.pg_ready(timeout=2):
            if not self.pg_running():
                self.pg_start()
            deadline = time.monotonic() + 60
            while not self.pg_ready(timeout=2):
                if time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL does not accept connections\n" + self.pg_log_tail())
                time.sleep(0.1)
        if not self.redis_ping():
            if self._redis_pid() is None:
                self.redis_start()


# ---------------------------------------------------------------- atrium serve
def _describe_exit(code):
    if code is None:
        return "running"
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


class Server:
    """One `atrium serve` on a free port, its stdout and stderr in a log file; or, with command "worker", one
    `atrium worker` serving /livez and /metrics on that port (WORKER_METRICS_PORT)."""

    def __init__(self, name, log_dir, extra_env=None, pid_file=None, command="serve"):
        self.name = name
        self.command = command
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = base_environment()
        self.environment.update(extra_env or {})
        self.environment.update({"PORT": str(self.port), "HOST": "127.0.0.1", "SERVER_URL": self.url})
        if command == "worker":
            self.environment["WORKER_METRICS_PORT"] = str(self.port)
        self.shutdown_seconds = float(self.environment["SHUTDOWN_TIMEOUT_SECONDS"])
        self.log_path = os.path.join(log_dir, f"{name}-{self.port}.log")
        self.expect_dead = False      # a test killed it on purpose
        self.stopped = False          # SIGTERM was sent (by a test or the teardown)
        self.stop_seconds = None
        self._log = open(self.log_path, "ab")
        self.process = retry_busy(lambda: subprocess.Popen(
            [binary(), command], env=self.environment, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True))
        if pid_file:
            with open(pid_file, "a") as handle:
                handle.write(f"{self.process.pid}\n")
        self._wait_live()

    def _wait_live(self, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(self.url + "/livez", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"atrium {self.command} ({self.name}) exited at start: {_describe_exit(self.process.returncode)}\n"
                                   + self.tail())
            if time.monotonic() > deadline:
                raise RuntimeError(f"atrium {self.command} ({self.name}) did not answer /livez within {timeout} s\n" + self.tail())
            time.sleep(0.05)

    def alive(self):
        return self.process.poll() is None

    def tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as handle:
                text = handle.read().decode(errors="replace").splitlines()
        except OSError:
            return ""
        return f"--- last {min(lines, len(text))} lines of {self.log_path}:\n" + "\n".join(text[-lines:])

    def crash_report(self):
        """None while the process runs; else how it ended and its last log lines."""
        if self.alive():
            return None
        return f"atrium {self.command} ({self.name}, port {self.port}) is dead: {_describe_exit(self.process.returncode)}\n{self.tail()}"

    def assert_alive(self):
        report = self.crash_report()
        assert report is None, report

    def kill9(self):
        self.expect_dead = True
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def terminate(self):
        """SIGTERM; returns (seconds to exit, exit status); a process still alive after the bound + 10 s is
        SIGKILLed and gets seconds None."""
        if not self.alive():
            self.stopped = True
            return 0.0, self.process.returncode
        self.stopped = True
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=self.shutdown_seconds + 12)
            self.stop_seconds = time.monotonic() - started
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
            self.stop_seconds = None
        return self.stop_seconds, self.process.returncode

    def close(self):
        if self.alive():
            self.process.kill()
            self.process.wait(timeout=30)
        self._log.close()

    def metrics(self):
        """`/metrics` as {(name, frozenset(labels)): value}."""
        text = requests.get(self.url + "/metrics", timeout=5).text
        values = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            try:
                head, value = line.rsplit(" ", 1)
                name, _, labels = head.partition("{")
                pairs = frozenset(tuple(part.split("=", 1)) for part in labels.rstrip("}").split(",") if "=" in part)
                values[(name, pairs)] = float(value)
            except ValueError:
                continue
        return values

    def server_errors(self):
        """Responses with a 5xx status counted by /metrics' atrium_http_requests_total, by status."""
        counts = {}
        for (name, labels), value in self.metrics().items():
            if name != "atrium_http_requests_total":
                continue
            status = dict(labels).get("status", "").strip('"')
            if status.startswith("5"):
                counts[status] = counts.get(status, 0) + int(value)
        return counts


# ---------------------------------------------------------------- workspaces and HTTP
class Workspace:
    """A fresh workspace (its id and schema) with an Admin API key."""

    def __init__(self, name):
        created = cli("workspace", "create", "--name", name, "--json")
        self.id = created["id"]
        self.schema = created["databaseSchema"]
        self.token = cli("api-key", "create", "--workspace", self.id, "--name", "faults", "--json")["token"]

    def delete(self):
        try:
            subprocess.run([binary(), "workspace", "delete", self.id, "--hard"], capture_output=True, timeout=120,
                           env=base_environment())
        except Exception:  # noqa: BLE001 - cleanup only
            pass

    def table(self, name="company"):
        return f'"{self.schema}"."{name}"'


class Result:
    __slots__ = ("op", "method", "path", "status", "retry_after", "body", "error", "started", "ended", "tag", "value")

    def __init__(self, op, method, path):
        self.op, self.method, self.path = op, method, path
        self.status = None
        self.retry_after = None
        self.body = None
        self.error = None
        self.started = self.ended = 0.0
        self.tag = None
        self.value = None

    @property
    def latency(self):
        return self.ended - self.started

    @property
    def ok(self):
        return self.error is None and self.status is not None and 200 <= self.status < 300 and not self.graphql_errors()

    def graphql_errors(self):
        if isinstance(self.body, dict) and self.body.get("errors"):
            return self.body["errors"]
        return []

    def unavailable(self):
        """503 with a Retry-After header: the answer a client may get while a dependency is down."""
        return self.error is None and self.status == 503 and bool(self.retry_after)

    def record_id(self):
        """The id of the record a create returned (`{"data":{"createCompany":{"id":…}}}`)."""
        data = self.body.get("data") if isinstance(self.body, dict) else None
        if isinstance(data, dict):
            for value in data.values():
                if isinstance(value, dict) and "id" in value:
                    return value["id"]
        return None

    def outcome(self):
        """A short label for counting: the status, `timeout`, `connection error`, or `<status>+errors` for GraphQL."""
        if self.error:
            return self.error.split(":")[0]
        label = str(self.status)
        if self.status == 503 and not self.retry_after and self.op != "healthz":
            label += "(no Retry-After)"
        codes = sorted({(e.get("extensions") or {}).get("code", "?") for e in self.graphql_errors()})
        if codes:
            label += "+" + "/".join(codes)
        return label

    def describe(self):
        text = f"{self.method} {self.path} -> {self.outcome()} in {ms(self.latency)}"
        if self.body is not None and not self.ok:
            text += f" {json.dumps(self.body)[:300]}"
        return text


class Client:
    """HTTP calls that never raise: each returns a Result with status, latency, Retry-After and parsed body."""

    def __init__(self, base_url, token=None, timeout=CLIENT_TIMEOUT):
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = "Bearer " + token

    def call(self, method, path, body=None, op=None, timeout=None):
        result = Result(op or f"{method} {path.split('?')[0]}", method, path)
        result.started = time.monotonic()
        try:
            response = self.session.request(method, self.base_url + path, json=body, timeout=timeout or self.timeout)
            result.status = response.status_code
            result.retry_after = response.headers.get("Retry-After")
            try:
                result.body = response.json()
            except ValueError:
                result.body = response.text[:500] if response.text else None
        except requests.Timeout as error:
            result.error = f"timeout: {error}"
        except requests.ConnectionError as error:
            result.error = f"connection error: {error}"
        except requests.RequestException as error:
            result.error = f"client error: {error}"
        result.ended = time.monotonic()
        return result

    def close(self):
        self.session.close()


def quote_filter(value):
    return urllib.parse.quote(value, safe="")


# ---------------------------------------------------------------- load
class Load:
    """`threads` clients, each running `step(worker)` in a loop until stopped; every Result is kept.

    A worker has `index`, `random` (seeded from `seed` and its index), `client`, `state` (a dict of its own) and
    `load` (this object)."""

    class Worker:
        def __init__(self, load, index, client):
            self.load, self.index, self.client = load, index, client
            self.random = random.Random(load.seed * 1000 + index)
            self.state = {}

    def __init__(self, threads, step, clients, seed, pause=0.0):
        self.seed = seed
        self.pause = pause
        self.results = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.errors = []
        self.workers = [Load.Worker(self, index, clients(index)) for index in range(threads)]
        self._threads = [threading.Thread(target=self._run, args=(worker, step), daemon=True) for worker in self.workers]

    def _run(self, worker, step):
        while not self._stop.is_set():
            try:
                for result in step(worker) or []:
                    with self._lock:
                        self.results.append(result)
            except Exception as error:  # noqa: BLE001 - a bug in a step must fail the test, not hang it
                with self._lock:
                    self.errors.append(repr(error))
                return
            if self.pause:
                self._stop.wait(self.pause)

    def start(self):
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout=CLIENT_TIMEOUT + 5):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        stuck = sum(thread.is_alive() for thread in self._threads)
        assert stuck == 0, f"{stuck} load threads still waiting {timeout} s after the stop"
        assert not self.errors, f"load steps raised: {self.errors[:3]}"
        return self.results

    def snapshot(self):
        with self._lock:
            return list(self.results)


def counts(results):
    """'201×40, 503×3' style counts of outcomes."""
    table = {}
    for result in results:
        table[result.outcome()] = table.get(result.outcome(), 0) + 1
    return ", ".join(f"{key}×{value}" for key, value in sorted(table.items())) or "none"


def counts_by_op(results):
    ops = {}
    for result in results:
        ops.setdefault(result.op, []).append(result)
    return "; ".join(f"{op}: {counts(items)}" for op, items in sorted(ops.items()))


def latency_summary(results):
    latencies = [result.latency for result in results]
    if not latencies:
        return "no requests"
    return (f"n={len(latencies)} p50 {ms(percentile(latencies, 0.5))}, p99 {ms(percentile(latencies, 0.99))}, "
            f"max {ms(max(latencies))}")


def examples(results, limit=5):
    return "\n  ".join(result.describe() for result in results[:limit])


# ---------------------------------------------------------------- mixed traffic
GRAPHQL_COMPANIES = "{ companies(first: 5) { edges { node { id name employees } } } }"


def seed_companies(client, count=10):
    """Creates `count` companies through REST and returns their ids (the records the mixed load reads and patches)."""
    ids = []
    for index in range(count):
        created = client.call("POST", "/rest/companies", {"name": f"seed-{index}"})
        assert created.status == 201, created.describe()
        ids.append(created.record_id())
    return ids


def mixed_step(tag, seed_ids):
    """One request of the mixed load (REST list, REST get by id, REST create, REST patch of an own record, GraphQL
    query). A worker's creates and patches are its own, so each record's last patch is known."""
    operations = ["list", "get", "create", "create", "patch", "graphql"]

    def step(worker):
        client, rng, state = worker.client, worker.random, worker.state
        own = state.setdefault("own", [])
        op = rng.choice(operations)
        if op == "patch" and not own:
            op = "create"
        if op == "list":
            return [client.call("GET", "/rest/companies?limit=5", op="REST list")]
        if op == "get":
            record = rng.choice(own + seed_ids) if (own or seed_ids) else None
            if record is None:
                return [client.call("GET", "/rest/companies?limit=1", op="REST list")]
            return [client.call("GET", f"/rest/companies/{record}", op="REST get")]
        if op == "create":
            state["n"] = state.get("n", 0) + 1
            name = f"{tag}-w{worker.index}-{state['n']}"
            result = client.call("POST", "/rest/companies", {"name": name}, op="REST create")
            result.tag = name
            if result.ok:
                own.append(result.record_id())
            return [result]
        if op == "patch":
            record = rng.choice(own)
            state["v"] = state.get("v", 0) + 1
            result = client.call("PATCH", f"/rest/companies/{record}", {"employees": state["v"]}, op="REST patch")
            result.tag, result.value = record, state["v"]
            return [result]
        return [client.call("POST", "/graphql", {"query": GRAPHQL_COMPANIES}, op="GraphQL query")]

    return step


def wait_success(client, path, within, since=None):
    """Polls GET `path` every 50 ms until a 2xx; returns (seconds since `since` or now, or None, the last failures)."""
    since = time.monotonic() if since is None else since
    failures = []
    while True:
        result = client.call("GET", path, timeout=min(CLIENT_TIMEOUT, max(1.0, within)))
        if result.ok:
            return result.ended - since, failures
        failures.append(result)
        if time.monotonic() > since + within:
            return None, failures[-5:]
        time.sleep(0.05)


def check_writes(client, workspace, services, results, read_back=True):
    """Every create that got a 2xx is in PostgreSQL (and, with read_back, reads back by id through REST), and every
    patched record holds the value of its last 2xx patch or of a later patch whose answer was not a 2xx.
    Returns (problems, figures text)."""
    problems = []
    created = [result for result in results if result.op == "REST create" and result.ok]
    ids = [result.record_id() for result in created]
    problems += [f"a 2xx create returned no id: {r.describe()}" for r, record in zip(created, ids) if record is None]
    with services.connect() as connection:
        present = {row[0] for row in connection.execute(
            f'SELECT id::text FROM {workspace.table()} WHERE id = ANY(%s::uuid[]) AND "deletedAt" IS NULL',
            ([record for record in ids if record],)).fetchall()}
    missing = [f"{record} ({result.tag})" for result, record in zip(created, ids) if record and record not in present]
    if missing:
        problems.append(f"{len(missing)} of {len(created)} records created with a 2xx are missing from PostgreSQL: "
                        + "; ".join(missing[:5]))
    # The same records through the API, PostgreSQL being up again: each read by id must answer 200.
    # Bounded: a server that cannot read any more would otherwise cost a timeout per record.
    unreadable = []
    deadline = time.monotonic() + 30
    records = sorted(present) if read_back else []
    read_back = 0
    for record in records:
        if len(unreadable) >= 5 or time.monotonic() > deadline:
            break
        read = client.call("GET", f"/rest/companies/{record}")
        read_back += 1
        if read.status != 200:
            unreadable.append(read.describe())
    if unreadable or read_back < len(records):
        problems.append(f"created records read back through REST: {read_back - len(unreadable)} of {len(present)} "
                        f"(gave up after {len(unreadable)} failures or 30 s); failures: " + "; ".join(unreadable[:3]))
    # Records whose create was not answered 2xx but landed anyway (allowed: the answer was lost, not the write).
    unanswered = [result.tag for result in results if result.op == "REST create" and not result.ok and result.tag]
    landed = 0
    if unanswered:
        with services.connect() as connection:
            landed = connection.execute(f"SELECT count(*) FROM {workspace.table()} WHERE name = ANY(%s)",
                                        (unanswered,)).fetchone()[0]

    patches = {}
    for result in sorted((r for r in results if r.op == "REST patch"), key=lambda r: r.value):
        patches.setdefault(result.tag, []).append(result)
    wrong = []
    if patches:
        with services.connect() as connection:
            rows = dict(connection.execute(f"SELECT id::text, employees FROM {workspace.table()} WHERE id = ANY(%s::uuid[])",
                                           (list(patches),)).fetchall())
        for record, items in patches.items():
            acknowledged = [index for index, item in enumerate(items) if item.ok]
            if acknowledged:
                # The last acknowledged value, or that of a later patch whose answer was lost.
                allowed = {item.value for item in items[acknowledged[-1]:]}
            else:
                allowed = {None} | {item.value for item in items}
            if rows.get(record) not in allowed:
                wrong.append(f"{record}: employees {rows.get(record)}, expected one of "
                             f"{sorted(value for value in allowed if value is not None)}")
        if wrong:
            problems.append(f"{len(wrong)} patched records lost their last acknowledged value: " + "; ".join(wrong[:5]))
    text = (f"{len(created)} acknowledged creates all in PostgreSQL" if not missing else
            f"{len(missing)} of {len(created)} acknowledged creates MISSING") + \
        f" ({read_back - len(unreadable)} read back through REST)" + \
        f", {landed} of {len(unanswered)} unacknowledged creates landed, {len(patches)} patched records checked"
    return problems, text


# ---------------------------------------------------------------- webhook receivers
class WebhookReceiver:
    """An HTTP server on a loopback port that answers 200 to every POST and keeps each request's
    X-Atrium-Event-Id, for tests of webhook deliveries."""

    def __init__(self):
        import http.server
        import threading
        events = self.events = []
        lock = self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - the handler's API
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    events.append(self.headers.get("X-Atrium-Event-Id"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def distinct_events(self):
        with self.lock:
            return set(self.events) - {None}

    def requests(self):
        with self.lock:
            return len(self.events)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
