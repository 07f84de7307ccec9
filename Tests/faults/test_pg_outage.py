"""2. PostgreSQL stopped for 10 s under light load: 503 with Retry-After, fast; /healthz says so; back within 2 s."""
import threading
import time

import pytest

import faultlib
from faultlib import Client, HEALTH_SECONDS, Load, counts, examples, figure, latency_summary, ms

OUTAGE_SECONDS = 10
#: Each answer during the outage comes within the health check bound plus 1 s of slack.
OUTAGE_ANSWER_BOUND = HEALTH_SECONDS + 1.0
#: After PostgreSQL accepts connections again, a read must succeed within this.
RECOVERY_BOUND = 2.0
SEED = 1402


def light_step(worker):
    client = worker.client
    if worker.index == 0:
        worker.state["n"] = worker.state.get("n", 0) + 1
        result = client.call("POST", "/rest/companies", {"name": f"po-{worker.state['n']}"}, op="REST create")
        result.tag = f"po-{worker.state['n']}"
        return [result]
    if worker.index == 1:
        return [client.call("POST", "/graphql", {"query": faultlib.GRAPHQL_COMPANIES}, op="GraphQL query")]
    return [client.call("GET", "/rest/companies?limit=5", op="REST list")]


def test_pg_stopped_for_10_seconds(services, servers, workspace):
    server = servers.start("pg-stopped")
    probe = Client(server.url, workspace.token)
    warm = probe.call("GET", "/rest/companies?limit=1")
    assert warm.status == 200, warm.describe()

    load = Load(3, light_step, lambda index: Client(server.url, workspace.token), SEED, pause=0.05).start()
    time.sleep(1.0)

    stopped_at = time.monotonic()
    services.pg_stop()
    down_at = time.monotonic()

    # During the outage: /healthz, and a poller of GET /rest/companies.
    health = []
    during = []
    while time.monotonic() < down_at + OUTAGE_SECONDS:
        health.append(Client(server.url).call("GET", "/healthz", op="healthz"))
        during.append(probe.call("GET", "/rest/companies?limit=1", op="REST list (probe)"))
        time.sleep(0.25)

    # Back: start PostgreSQL, note when it accepts connections, and poll the API until a read succeeds.
    first_success = {}

    def poll_api():
        client = Client(server.url, workspace.token)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            result = client.call("GET", "/rest/companies?limit=1", op="REST list (recovery)")
            if result.ok:
                first_success["at"] = result.ended
                return
            first_success.setdefault("failures", []).append(result)
            time.sleep(0.05)

    start = services.pg_start_async()
    ready_at = None
    poller = None
    deadline = time.monotonic() + 60
    while ready_at is None and time.monotonic() < deadline:
        if services.pg_ready(timeout=0.5):
            ready_at = time.monotonic()
            poller = threading.Thread(target=poll_api, daemon=True)
            poller.start()
        else:
            time.sleep(0.02)
    start.wait(timeout=60)
    assert ready_at is not None, "PostgreSQL did not come back\n" + services.pg_log_tail()
    poller.join(35)
    time.sleep(RECOVERY_BOUND + 1.0)
    results = load.stop()

    server.assert_alive()
    window = [r for r in results + during if r.started >= down_at and r.ended <= ready_at]
    recovery = first_success.get("at")
    recovery_seconds = None if recovery is None else max(0.0, recovery - ready_at)
    after = [r for r in results if r.started >= ready_at + RECOVERY_BOUND]
    health_down = [h for h in health if h.status == 503 and isinstance(h.body, dict) and h.body.get("postgres") == "down"]
    write_problems, write_text = faultlib.check_writes(probe, workspace, services, results)

    figure(f"pg stopped {OUTAGE_SECONDS} s: stop took {ms(down_at - stopped_at)}; during the outage {counts(window)} "
           f"({latency_summary(window)}, bound {OUTAGE_ANSWER_BOUND:.0f} s); /healthz {counts(health)} "
           f"(max {ms(max((h.latency for h in health), default=0))}, body {health[-1].body if health else None}); "
           f"first successful read {'NEVER' if recovery_seconds is None else ms(recovery_seconds)} after PostgreSQL "
           f"was ready (bound {ms(RECOVERY_BOUND)}); after that +{RECOVERY_BOUND:.0f} s: {counts(after)}; {write_text}")

    # Every criterion is checked, so one run tells everything that is wrong.
    problems = []
    not_unavailable = [r for r in window if not r.unavailable()]
    slow = [r for r in window if r.latency > OUTAGE_ANSWER_BOUND]
    if not window:
        problems.append("no request ran during the outage")
    if not_unavailable:
        problems.append(f"{len(not_unavailable)} answers during the outage were not 503 with Retry-After:\n  "
                        f"{examples(not_unavailable)}")
    if slow:
        problems.append(f"{len(slow)} answers during the outage took longer than {OUTAGE_ANSWER_BOUND:.0f} s:\n  "
                        f"{examples(slow)}")
    slow_health = [h for h in health if h.latency > OUTAGE_ANSWER_BOUND]
    if len(health_down) != len(health) or slow_health:
        problems.append(f"/healthz during the outage must be 503 with postgres down within {OUTAGE_ANSWER_BOUND:.0f} s:"
                        f"\n  {examples([h for h in health if h not in health_down] + slow_health)}")
    if recovery_seconds is None:
        problems.append(f"no read succeeded within 30 s of PostgreSQL accepting connections:\n  "
                        f"{examples(first_success.get('failures', [])[-5:])}")
    elif recovery_seconds > RECOVERY_BOUND:
        problems.append(f"the first successful read came {recovery_seconds:.2f} s after PostgreSQL was ready "
                        f"(bound {RECOVERY_BOUND:.0f} s)")
    failed_after = [r for r in after if not r.ok]
    if failed_after:
        problems.append(f"{len(failed_after)} requests failed more than {RECOVERY_BOUND:.0f} s after PostgreSQL came "
                        f"back:\n  {examples(failed_after)}")
    problems += write_problems
    healthy = Client(server.url).call("GET", "/healthz")
    if healthy.status != 200:
        problems.append(f"/healthz after the outage: {healthy.describe()}")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
