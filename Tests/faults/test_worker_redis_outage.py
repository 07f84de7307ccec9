"""Events with Redis stopped under a running worker: writes keep committing (their events wait in PostgreSQL's outbox),
and once Redis is back the worker relays and handles every one — each company created gets exactly one timeline row
and at least one delivery to a webhook's receiver. Nothing is lost."""
import time

import faultlib
from faultlib import Client, figure, ms

BEFORE_SECONDS = 2
OUTAGE_SECONDS = 6
AFTER_SECONDS = 2
#: How long the worker may take, after Redis is back, to finish every event.
CATCH_UP_BOUND = 30.0


def test_redis_stopped_under_a_running_worker(services, servers, workspace):
    receiver = faultlib.WebhookReceiver()
    try:
        server = servers.start("events", WEBHOOK_ALLOWED_PRIVATE_TARGETS="true")
        worker = servers.start("worker", command="worker", WEBHOOK_ALLOWED_PRIVATE_TARGETS="true",
                               WORKER_ABANDONED_AFTER_MS="2000")
        client = Client(server.url, workspace.token)
        hook = client.call("POST", "/rest/webhooks", {"targetUrl": receiver.url, "operations": ["company.created"]})
        assert hook.status == 201, hook.describe()

        created, failed = [], []

        def write_for(seconds, phase):
            until = time.monotonic() + seconds
            while time.monotonic() < until:
                answer = client.call("POST", "/rest/companies", {"name": f"{phase} {len(created)}"}, op="create")
                (created if answer.status == 201 else failed).append(answer)
                time.sleep(0.01)

        write_for(BEFORE_SECONDS, "before")
        services.redis_stop()
        during_from = len(created)
        write_for(OUTAGE_SECONDS, "during")
        during = len(created) - during_from
        services.redis_start()
        up_at = time.monotonic()
        write_for(AFTER_SECONDS, "after")

        def timeline_rows():
            answer = client.call("GET", "/rest/timelineActivities?filter=name[eq]:company.created&limit=1")
            return answer.body.get("totalCount") if answer.status == 200 else None

        deadline = time.monotonic() + CATCH_UP_BOUND
        rows = timeline_rows()
        while time.monotonic() < deadline and (rows != len(created) or len(receiver.distinct_events()) < len(created)):
            time.sleep(0.2)
            rows = timeline_rows()
        caught_up = time.monotonic() - up_at
        delivered = len(receiver.distinct_events())
        # Whatever arrives late would show as more than one row per company.
        time.sleep(1.0)
        rows = timeline_rows()
        health = Client(server.url).call("GET", "/healthz")
        worker.assert_alive()

        figure(f"redis stopped {OUTAGE_SECONDS} s under a running worker: {len(created)} companies created "
               f"({during} during the outage, {len(failed)} writes failed); after Redis' start the worker had written "
               f"{rows} timeline rows and the receiver had {delivered} distinct events ({receiver.requests()} requests) "
               f"within {ms(caught_up)} (bound {ms(CATCH_UP_BOUND)})")
        assert not failed, f"{len(failed)} writes failed (Redis down must not matter):\n  {faultlib.examples(failed)}"
        assert during > 0, "no write ran during the outage"
        assert rows == len(created), f"{rows} company.created timeline rows for {len(created)} companies"
        assert delivered == len(created), f"the receiver got {delivered} of {len(created)} events"
        assert (health.body or {}).get("worker", {}).get("status") == "up", f"/healthz: {health.body}"
    finally:
        receiver.close()
