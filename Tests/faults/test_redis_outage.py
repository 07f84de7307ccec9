"""3. Redis stopped for 10 s under load, two servers sharing PostgreSQL and Redis: no slowdown, no 5xx, nothing lost,
and a custom field created through one server during the outage is usable through the other within ~1 s."""
import time

import faultlib
from faultlib import Client, Load, counts, counts_by_op, examples, figure, latency_summary, ms, percentile

SEED = 1403
THREADS = 4
BASELINE_SECONDS = 6
OUTAGE_SECONDS = 10
#: Redis being down may add at most this to a request (over the baseline's p99, and to the max over the baseline's max).
REDIS_PENALTY = 0.100
#: No request during the outage may take this long (a wait for Redis' reconnect backoff would).
STALL_BOUND = 1.0
#: A metadata change made through server A is usable through server B within this, Redis down.
PROPAGATION_BOUND = 1.5
FIELD = "faultNote"


def test_redis_stopped_for_10_seconds(services, servers, workspace):
    server_a = servers.start("redis-a")
    server_b = servers.start("redis-b")
    client_a = Client(server_a.url, workspace.token)
    client_b = Client(server_b.url, workspace.token)
    seed_ids = faultlib.seed_companies(client_a)
    objects = client_a.call("GET", "/rest/metadata/objects?limit=100")
    assert objects.status == 200, objects.describe()
    company = next(o for o in objects.body["data"]["objects"] if o["nameSingular"] == "company")
    for client in (client_a, client_b):  # both servers hold the workspace's metadata snapshot
        warm = client.call("GET", f"/rest/companies?filter={FIELD}[eq]:x&limit=1")
        assert warm.status == 400, f"{FIELD} should not exist yet: {warm.describe()}"

    # Half the clients on each server.
    urls = [server_a.url, server_b.url]
    load = Load(THREADS, faultlib.mixed_step("ro", seed_ids), lambda index: Client(urls[index % 2], workspace.token),
                SEED, pause=0.01).start()
    time.sleep(1.0)
    baseline_from = time.monotonic()
    time.sleep(BASELINE_SECONDS)
    baseline_to = time.monotonic()

    services.redis_stop()
    down_at = time.monotonic()
    time.sleep(OUTAGE_SECONDS - 4)
    # A load balancer checking /healthz keeps both servers: they serve without Redis (200, "degraded").
    health_during = [Client(server.url).call("GET", "/healthz", op="healthz") for server in (server_a, server_b)]
    time.sleep(1.0)
    # The metadata change, late in the outage; latencies are judged before it (its DDL locks the company table).
    change_at = time.monotonic()
    created_field = client_a.call("POST", "/rest/metadata/fields",
                                  {"objectMetadataId": company["id"], "type": "TEXT", "name": FIELD, "label": "Fault note"})
    seen_at = None
    attempts = []
    if created_field.status in (200, 201):
        deadline = created_field.ended + 10
        while time.monotonic() < deadline:
            probe = client_b.call("GET", f"/rest/companies?filter={FIELD}[eq]:x&limit=1")
            attempts.append(probe)
            if probe.status == 200:
                seen_at = probe.ended
                break
            time.sleep(0.025)
    time.sleep(max(0.0, down_at + OUTAGE_SECONDS - time.monotonic()))
    services.redis_start()
    up_at = time.monotonic()

    # Both servers' /healthz see Redis again.
    health_back = {}
    while len(health_back) < 2 and time.monotonic() < up_at + 15:
        for name, server in (("A", server_a), ("B", server_b)):
            health = Client(server.url).call("GET", "/healthz")
            if name not in health_back and health.status == 200 and (health.body or {}).get("redis") == "up":
                health_back[name] = time.monotonic() - up_at
        time.sleep(0.1)
    time.sleep(1.0)
    results = load.stop()

    server_a.assert_alive()
    server_b.assert_alive()
    baseline = [r for r in results if r.started >= baseline_from and r.ended <= baseline_to]
    outage = [r for r in results if r.started >= down_at and r.ended <= change_at]
    base_lat = [r.latency for r in baseline]
    out_lat = [r.latency for r in outage]
    p99_bound = percentile(base_lat, 0.99) + REDIS_PENALTY
    max_bound = max(base_lat, default=0) + REDIS_PENALTY
    propagation = None if seen_at is None else seen_at - created_field.ended
    failures = [r for r in results if not r.ok]
    write_problems, write_text = faultlib.check_writes(client_a, workspace, services, results)

    figure(f"redis stopped {OUTAGE_SECONDS} s: baseline {latency_summary(baseline)}; outage {latency_summary(outage)} "
           f"(bounds p99 {ms(p99_bound)}, max {ms(max_bound)}); all requests {counts(results)}; custom field through A "
           f"{created_field.outcome()} in {ms(created_field.latency)}, usable through B "
           f"{'NEVER' if propagation is None else 'after ' + ms(propagation)} (bound {ms(PROPAGATION_BOUND)}); "
           f"/healthz redis up again after Redis start: {({k: ms(v) for k, v in health_back.items()})}; {write_text}")
    print(counts_by_op(results))

    assert outage, "no request ran during the outage"
    assert not failures, f"{len(failures)} requests failed (Redis down must not matter):\n  {examples(failures)}"
    out_p99 = percentile(out_lat, 0.99)
    slow = sorted((r for r in outage if r.latency > max_bound), key=lambda r: -r.latency)
    assert out_p99 <= p99_bound, (f"p99 during the outage {ms(out_p99)} > baseline p99 + {ms(REDIS_PENALTY)} = "
                                  f"{ms(p99_bound)}; slowest:\n  {examples(slow)}")
    # A single run of ~1,300 requests on a loaded 2-core machine has outliers that Redis has nothing to do with (one in
    # four runs saw 4 requests of 135-297 ms, p99 unchanged at 19 ms). What Redis waits looked like before the circuit
    # breaker: every in-flight request stalled 1.2-2.0 s every 1.5-2 s. So: at most 0.5% over the baseline's max +
    # 100 ms, and none over STALL_BOUND.
    stalled = [r for r in slow if r.latency > STALL_BOUND]
    assert not stalled, (f"{len(stalled)} requests during the outage took longer than {ms(STALL_BOUND)}:\n  "
                         f"{examples(stalled)}")
    assert len(slow) <= max(1, len(outage) // 200), (
        f"{len(slow)} of {len(outage)} requests during the outage (over 0.5%) took longer than the baseline's max + "
        f"{ms(REDIS_PENALTY)} = {ms(max_bound)}:\n  {examples(slow)}")
    assert created_field.status in (200, 201), f"creating a field with Redis down: {created_field.describe()}"
    assert propagation is not None, (f"server B never accepted the new field within 10 s:\n  "
                                     f"{examples(attempts[-3:])}")
    assert propagation <= PROPAGATION_BOUND, (f"server B accepted the new field {ms(propagation)} after its creation "
                                              f"(bound {ms(PROPAGATION_BOUND)})")
    assert not write_problems, "\n".join(write_problems)
    for health in health_during:
        assert health.status == 200 and (health.body or {}).get("status") == "degraded" \
            and (health.body or {}).get("redis") == "down", f"/healthz during the outage: {health.describe()} {health.body}"
    assert len(health_back) == 2, f"/healthz not 200 with redis up on both servers within 15 s of Redis' return: {health_back}"
