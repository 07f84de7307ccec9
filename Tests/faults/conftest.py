"""Fixtures of the fault tests: the services under fault, `atrium serve` processes checked after every test (alive,
then out within SHUTDOWN_TIMEOUT_SECONDS + 2 s of a SIGTERM, with status 0), fresh workspaces, and the figures each
test prints, repeated at the end of the run.

Run through scripts/faults, which starts PostgreSQL and Redis of their own and sets the environment (see faultlib).
"""
import os
import time

import pytest

import faultlib


@pytest.fixture(scope="session")
def services():
    return faultlib.Services()


@pytest.fixture(autouse=True)
def services_up(services):
    """Each test starts with PostgreSQL and Redis up, even after a test that failed with one of them stopped."""
    services.ensure_up()
    yield
    services.ensure_up()


@pytest.fixture(scope="session")
def log_dir():
    folder = os.path.join(faultlib.env("FAULTS_DATA_DIR"), "logs")
    os.makedirs(folder, exist_ok=True)
    return folder


class Servers:
    """Starts `atrium serve` (and `atrium worker`) processes for one test and, at its end, checks them (see `finish`)."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.started = []
        self.pid_file = os.environ.get("FAULTS_PID_FILE")
        self.shutdowns = []

    def start(self, name="server", command="serve", **extra_env):
        server = faultlib.Server(name, self.log_dir, {key: str(value) for key, value in extra_env.items()}, self.pid_file,
                                 command=command)
        self.started.append(server)
        return server

    def finish(self):
        """Asserts every server the test did not kill on purpose is alive, then stops each with SIGTERM and asserts it
        exits with status 0 within its SHUTDOWN_TIMEOUT_SECONDS + 2 s. Called by the `servers` fixture after the test
        body, as part of the test (so a crash fails the test itself)."""
        problems = []
        for server in self.started:
            if server.stopped or server.expect_dead:
                continue
            report = server.crash_report()
            if report:
                problems.append("CRASH: " + report)
                server.stopped = True
                continue
            seconds, status = server.terminate()
            bound = server.shutdown_seconds + 2
            if seconds is None:
                problems.append(f"{server.name}: still running {bound + 10:.0f} s after SIGTERM (killed)\n{server.tail()}")
            elif seconds > bound or status != 0:
                problems.append(f"{server.name}: SIGTERM -> {faultlib._describe_exit(status)} after {seconds:.2f} s "
                                f"(bound {bound:.0f} s, status 0)\n{server.tail()}")
            else:
                self.shutdowns.append(f"{server.name} {seconds:.2f} s")
        return problems

    def close(self):
        for server in self.started:
            server.close()


@pytest.fixture()
def servers(log_dir, request):
    manager = Servers(log_dir)
    request.node._fault_servers = manager
    yield manager
    # finish() already ran in pytest_runtest_call when the body completed; run it for a body that raised.
    leftover = manager.finish()
    for problem in leftover:
        print("after the test: " + problem)
    if leftover or getattr(request.node, "_fault_failed", False):
        for server in manager.started:
            print(server.tail(60))
    manager.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    manager = getattr(item, "_fault_servers", None)
    if manager is None:
        return
    if outcome.excinfo is not None:
        item._fault_failed = True
        crashes = [server.crash_report() for server in manager.started if not server.expect_dead and server.crash_report()]
        if crashes:
            print("\n".join("CRASH: " + crash for crash in crashes))
        return
    problems = manager.finish()
    if manager.shutdowns:
        faultlib.FIGURES.append("  SIGTERM -> exit 0: " + ", ".join(manager.shutdowns))
    if problems:
        item._fault_failed = True
        outcome.force_exception(AssertionError("after the test:\n" + "\n".join(problems)))


@pytest.fixture()
def workspace():
    created = faultlib.Workspace("faults")
    yield created
    created.delete()


@pytest.fixture()
def other_workspace():
    created = faultlib.Workspace("faults-other")
    yield created
    created.delete()


def pytest_terminal_summary(terminalreporter):
    if faultlib.FIGURES:
        terminalreporter.section("fault test figures")
        for line in faultlib.FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def suite_clock():
    started = time.monotonic()
    yield
    faultlib.FIGURES.append(f"suite: {time.monotonic() - started:.0f} s")
