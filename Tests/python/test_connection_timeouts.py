"""Idle and slow HTTP connections are closed by the server (HTTP_IDLE_TIMEOUT_SECONDS, HTTP_HEADER_READ_TIMEOUT_SECONDS).

These start their own `atrium serve` with short bounds, then talk raw TCP to it.
"""
import os
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import _binary, _environment, _free_port

IDLE_SECONDS = 1.5
HEADER_SECONDS = 1.0


@pytest.fixture(scope="module")
def timed_server():
    port = _free_port()
    environment = _environment(port)
    environment["HTTP_IDLE_TIMEOUT_SECONDS"] = str(IDLE_SECONDS)
    environment["HTTP_HEADER_READ_TIMEOUT_SECONDS"] = str(HEADER_SECONDS)
    process = subprocess.Popen([_binary(), "serve"], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1):
                break
        except OSError:
            assert process.poll() is None, "atrium serve exited"
            assert time.time() < deadline, "atrium serve did not answer /livez"
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=30)


def closed_after(connection, limit):
    """Seconds until the server closes `connection` (reads EOF or a reset), or None if it is still open at `limit`."""
    started = time.monotonic()
    connection.settimeout(0.2)
    while time.monotonic() - started < limit:
        try:
            if connection.recv(4096) == b"":
                return time.monotonic() - started
        except socket.timeout:
            continue
        except ConnectionResetError:
            return time.monotonic() - started
    return None


def test_a_silent_connection_is_closed_after_the_idle_timeout(timed_server):
    with socket.create_connection(("127.0.0.1", timed_server)) as connection:
        closed = closed_after(connection, IDLE_SECONDS + 5)
    assert closed is not None, "a connection that sent nothing was still open"
    assert closed < IDLE_SECONDS + 2


def test_a_trickled_request_head_is_cut_off(timed_server):
    with socket.create_connection(("127.0.0.1", timed_server)) as connection:
        started = time.monotonic()
        head = b"GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
        closed_at = None
        for byte in head:
            try:
                connection.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed_at = time.monotonic() - started
                break
            time.sleep(0.05)  # 20 bytes a second: each byte keeps a naive idle timer alive
            if time.monotonic() - started > HEADER_SECONDS + 5:
                break
        if closed_at is None:
            closed_at = closed_after(connection, 3)
            closed_at = None if closed_at is None else time.monotonic() - started
    assert closed_at is not None, "a request head trickled for seconds was not cut off"
    assert closed_at < HEADER_SECONDS + 2.5


def test_a_keep_alive_connection_serves_requests_then_closes_when_idle(timed_server):
    with socket.create_connection(("127.0.0.1", timed_server)) as connection:
        for _ in range(3):
            connection.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer:
                answer += connection.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200")
            time.sleep(HEADER_SECONDS + 0.3)  # waiting between requests is the idle bound's business, not the header bound's
        closed = closed_after(connection, IDLE_SECONDS + 5)
    assert closed is not None


def test_a_slow_body_is_not_cut_by_the_header_bound(timed_server):
    """The header bound covers the head only: a body sent slowly within the idle bound is read in full."""
    with socket.create_connection(("127.0.0.1", timed_server)) as connection:
        body = b'{"query":"{ __typename }"}'
        connection.sendall(b"POST /livez HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                           + str(len(body)).encode() + b"\r\n\r\n")
        for chunk in (body[:10], body[10:]):
            time.sleep(HEADER_SECONDS + 0.2)
            connection.sendall(chunk)
        connection.settimeout(5)
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 "), answer[:100]
