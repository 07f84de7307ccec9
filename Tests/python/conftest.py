"""Runs the real `atrium` binary against the test PostgreSQL and Redis, with a fresh workspace and API key per test.

Environment (set by scripts/test): ATRIUM_BINARY, PG_DATABASE_URL, REDIS_URL, APP_SECRET.
"""
import json
import os
import socket
import subprocess
import time
import urllib.request

import pytest
import twentycrm_client


def _binary():
    binary = os.environ.get("ATRIUM_BINARY")
    if not binary or not os.path.exists(binary):
        pytest.fail("ATRIUM_BINARY is not set to the atrium binary: run ./scripts/test")
    return binary


def _cli(*args):
    """Runs `atrium ARGS…` and returns its stdout parsed as JSON."""
    result = subprocess.run([_binary(), *args], capture_output=True, text=True, timeout=120, env=_environment())
    if result.returncode != 0:
        raise RuntimeError(f"atrium {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout)


def _environment(port=None):
    environment = dict(os.environ)
    environment["WORKSPACE_SPARE_SCHEMAS"] = "0"
    environment["LOG_LEVEL"] = "warning"
    environment.setdefault("API_RATE_LIMITING_LONG_LIMIT", "0")
    environment.setdefault("API_RATE_LIMITING_WORKSPACE_LIMIT", "0")
    # Every browser test signs up or in from 127.0.0.1: the per-address sign-in throttle (50 per 15 minutes, counted
    # in Redis across runs) would refuse them; the per-email one still applies.
    environment.setdefault("LOGIN_ATTEMPTS_PER_IP", "1000000")
    if port is not None:
        environment["PORT"] = str(port)
        environment["HOST"] = "127.0.0.1"
    return environment


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerURL(str):
    """The base URL of the `atrium serve` process; `pid` is its process id (to read its memory in /proc)."""
    pid = None


@pytest.fixture(scope="session")
def server():
    """The base URL of one `atrium serve` process for the whole session (a `ServerURL`: a str with the `pid`)."""
    subprocess.run([_binary(), "upgrade", "--wait"], check=True, capture_output=True, timeout=300, env=_environment())
    port = _free_port()
    process = subprocess.Popen([_binary(), "serve"], env=_environment(port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = ServerURL(f"http://127.0.0.1:{port}")
    url.pid = process.pid
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/livez", timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("atrium serve exited: " + process.stderr.read().decode())
            if time.time() > deadline:
                process.kill()
                raise RuntimeError("atrium serve did not answer /livez within 60 s")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=30)


class Workspace:
    """A fresh workspace: its id, an API key token, and a Twenty API client configured for it."""

    def __init__(self, base_url):
        created = _cli("workspace", "create", "--name", "Python client", "--json")
        self.id = created["id"]
        key = _cli("api-key", "create", "--workspace", self.id, "--name", "python", "--json")
        self.token = key["token"]
        self.base_url = base_url
        configuration = twentycrm_client.Configuration(host=base_url + "/rest", access_token=self.token)
        self.client = twentycrm_client.ApiClient(configuration)

    def raw(self, method, path, body=None, text=None):
        """A request outside the generated client (custom objects, error cases): returns (status, parsed JSON), the
        JSON `None` when the body is not JSON. `text` sends a body as written (literals such as 1e309 kept raw)."""
        data = text.encode() if text is not None else None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, None

    def delete(self):
        subprocess.run([_binary(), "workspace", "delete", self.id, "--hard"], capture_output=True, timeout=120, env=_environment())


@pytest.fixture()
def workspace(server):
    created = Workspace(server)
    yield created
    created.delete()
