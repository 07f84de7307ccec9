"""5. Schemathesis (`st run`, check not_a_server_error only) against the workspace's /open-api/core and the public
/open-api/metadata, time-bounded and seeded: no 5xx, and the server alive after."""
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

import pytest

from faultlib import Client, figure

SEED = 1405
#: Time budget of each document's run (`--max-time`: fuzzing repeats until it is spent).
BUDGETS = {"core": 80, "metadata": 40}
MAX_EXAMPLES = 10


def st_binary():
    folder = os.path.dirname(sys.executable)
    for name in ("st", "schemathesis"):
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    pytest.fail("schemathesis is not installed in the fault tests' venv (Tests/faults/requirements.txt)")


def base_url(document, server_url, fallback):
    """The document's first server, moved onto this server's origin (`--url`)."""
    for entry in document.get("servers") or []:
        url = entry.get("url", "")
        path = urllib.parse.urlparse(url).path if "://" in url else url
        if path is not None:
            return server_url + path.rstrip("/")
    return server_url + fallback


def destructive_operations(document):
    """Operations on the workspace resource itself (`/workspace`, `/workspaces`, `/workspaces/{id}`), which could
    remove or deactivate the workspace under the run; none exist in these documents today. Workspace members and
    everything else stay in."""
    found = []
    for path, item in (document.get("paths") or {}).items():
        if re.fullmatch(r"/workspaces?(/\{[^/}]+\})?(/(delete|deactivate|suspend))?", path):
            found += [f"{method.upper()} {path}" for method in item if method.lower() in ("delete", "patch", "put", "post")]
    return found


def tool_crashed(stdout):
    """Whether `st run` failed only through a runtime error of its own: its summary counts no failed test case and
    names no check failure, only "Runtime Error" under Errors."""
    summary = stdout[stdout.rfind("SUMMARY"):] if "SUMMARY" in stdout else ""
    cases = re.search(r"Test cases:\s*\n\s*(.*)", summary)
    return ("Runtime Error" in summary and cases is not None and "failed" not in cases.group(1)
            and "Failures:" not in summary)


def test_schemathesis_no_server_errors(servers, workspace, log_dir):
    server = servers.start("schemathesis")
    client = Client(server.url, workspace.token)
    figures = []
    failures = []
    for name, fallback in (("core", "/rest"), ("metadata", "/rest/metadata")):
        fetched = client.call("GET", f"/open-api/{name}")
        assert fetched.status == 200 and isinstance(fetched.body, dict), fetched.describe()
        document = fetched.body
        operations = sum(len([m for m in item if m.lower() in ("get", "post", "put", "patch", "delete")])
                         for item in (document.get("paths") or {}).values())
        assert operations > 0, f"/open-api/{name} lists no operation (is the token accepted?)"
        excluded = destructive_operations(document)
        for entry in excluded:
            method, path = entry.split(" ", 1)
            del document["paths"][path][method.lower()]
        schema_path = os.path.join(log_dir, f"openapi-{name}.json")
        with open(schema_path, "w") as handle:
            json.dump(document, handle)
        before = server.server_errors()
        command = [st_binary(), "run", schema_path, "--url", base_url(document, server.url, fallback),
                   "-H", f"Authorization: Bearer {workspace.token}",
                   "--checks", "not_a_server_error", "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
                   "--max-time", str(BUDGETS[name]), "--phases", "examples,coverage,fuzzing", "--workers", "2",
                   "--request-timeout", "15", "--no-shrink", "--generation-database", "none", "--no-color"]
        started = time.monotonic()
        run = subprocess.run(command, capture_output=True, text=True, cwd=log_dir, timeout=BUDGETS[name] + 120,
                             env=dict(os.environ, SCHEMATHESIS_HOOKS=""))
        crashes = 0
        while tool_crashed(run.stdout) and crashes < 4 and server.alive():
            # schemathesis itself failed (a CPython 3.11 `SystemError` in hypothesis' lambda descriptions, seen once
            # in ~10 runs, three times in a row once under load), not a check: run that document again with the next seed.
            crashes += 1
            command[command.index("--seed") + 1] = str(SEED + crashes)
            run = subprocess.run(command, capture_output=True, text=True, cwd=log_dir, timeout=BUDGETS[name] + 120,
                                 env=dict(os.environ, SCHEMATHESIS_HOOKS=""))
        seconds = time.monotonic() - started
        after = server.server_errors() if server.alive() else {}
        new_errors = {status: after.get(status, 0) - before.get(status, 0) for status in after
                      if after.get(status, 0) - before.get(status, 0) > 0}
        summary = [line for line in run.stdout.splitlines() if line.strip()][-12:]
        figures.append(f"{name}: {operations} operations{' (excluded: ' + ', '.join(excluded) + ')' if excluded else ''}, {seconds:.0f} s, st exit {run.returncode}, server 5xx "
                       f"{new_errors or 'none'}{f', schemathesis crashed {crashes}× and was run again' if crashes else ''}")
        print(f"--- st run /open-api/{name} ({seconds:.0f} s, exit {run.returncode}):\n" + "\n".join(summary))
        if run.returncode != 0 or new_errors or not server.alive():
            failures.append(f"/open-api/{name}: st exit {run.returncode}, 5xx by status {new_errors}\n"
                            + run.stdout[-6000:] + run.stderr[-2000:])
        if not server.alive():
            break
    figure("schemathesis: " + "; ".join(figures))
    server.assert_alive()
    assert not failures, "\n\n".join(failures)
