"""1. PostgreSQL restarted 30 times (`pg_ctl -m fast restart`, one every 1–2 s) under mixed REST and GraphQL load."""
import random
import time

import pytest

import faultlib
from faultlib import Client, Load, REQUEST_BOUND, counts_by_op, examples, figure, latency_summary, ms

RESTARTS = 30
THREADS = 12
SEED = 1401
#: After the last restart (and 2 s of load), a read must succeed within this.
RECOVERY_BOUND = 5.0


def test_pg_restarts_under_mixed_load(services, servers, workspace):
    server = servers.start("restarts")
    setup = Client(server.url, workspace.token)
    seed_ids = faultlib.seed_companies(setup)

    load = Load(THREADS, faultlib.mixed_step("rs", seed_ids), lambda index: Client(server.url, workspace.token), SEED).start()
    rng = random.Random(SEED)
    restart_seconds = []
    started = time.monotonic()
    try:
        time.sleep(1.0)
        for _ in range(RESTARTS):
            if not server.alive():
                break
            began = time.monotonic()
            services.pg_restart()
            restart_seconds.append(time.monotonic() - began)
            time.sleep(rng.uniform(1.0, 2.0))
        time.sleep(2.0)
    finally:
        results = load.stop()
    duration = time.monotonic() - started

    server.assert_alive()
    # PostgreSQL has been up for 2 s: the server serves again (its pool recovered).
    checker = Client(server.url, workspace.token)
    recovered, recovery_failures = faultlib.wait_success(checker, "/rest/companies?limit=1", RECOVERY_BOUND)
    hangs = [r for r in results if r.error and r.error.startswith("timeout")]
    connection = [r for r in results if r.error and not r.error.startswith("timeout")]
    slow = [r for r in results if not r.error and r.latency > REQUEST_BOUND]
    server_errors = [r for r in results if not r.error and r.status >= 500 and not r.unavailable()]
    graphql_internal = [r for r in results if any((e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
                                                   for e in r.graphql_errors())]
    other = [r for r in results if not r.error and r.status < 500 and not r.ok]
    unavailable = [r for r in results if r.unavailable()]

    # In PostgreSQL in any case; read back through the server only when it serves again.
    write_problems, write_text = faultlib.check_writes(checker, workspace, services, results, read_back=recovered is not None)
    figure(f"pg restarts: {len(restart_seconds)} restarts (each {ms(min(restart_seconds, default=0))}–"
           f"{ms(max(restart_seconds, default=0))}) in {duration:.0f} s, {THREADS} clients, {len(results)} requests "
           f"({sum(r.ok for r in results)} ok, {len(unavailable)} 503+Retry-After); {latency_summary(results)}; "
           f"bound {REQUEST_BOUND:.0f} s; after the last restart a read succeeded "
           f"{'NEVER' if recovered is None else 'after ' + ms(recovered)} (bound {ms(RECOVERY_BOUND)}); {write_text}")
    print(counts_by_op(results))

    # Every criterion is checked, so one run tells everything that is wrong.
    problems = []
    if recovered is None:
        problems.append(f"the server still fails reads {RECOVERY_BOUND:.0f} s after the restarts ended, PostgreSQL up:"
                        f"\n  {examples(recovery_failures)}")
    if len(restart_seconds) != RESTARTS:
        problems.append(f"the server died after {len(restart_seconds)} restarts")
    if hangs:
        problems.append(f"{len(hangs)} requests got no answer within {faultlib.CLIENT_TIMEOUT:.0f} s:\n  {examples(hangs)}")
    if connection:
        problems.append(f"{len(connection)} requests failed to connect or lost their connection:\n  {examples(connection)}")
    if slow:
        problems.append(f"{len(slow)} requests took longer than {REQUEST_BOUND:.0f} s:\n  "
                        f"{examples(sorted(slow, key=lambda r: -r.latency))}")
    if server_errors:
        problems.append(f"{len(server_errors)} answers were 5xx other than 503 with Retry-After:\n  {examples(server_errors)}")
    if graphql_internal:
        problems.append(f"{len(graphql_internal)} GraphQL INTERNAL_SERVER_ERRORs:\n  {examples(graphql_internal)}")
    if other:
        problems.append(f"{len(other)} unexpected non-2xx answers:\n  {examples(other)}")
    problems += write_problems
    if sum(r.ok for r in results) <= len(results) // 3:
        problems.append("too few requests succeeded between the restarts")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
