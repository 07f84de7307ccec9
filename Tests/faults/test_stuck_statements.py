"""6. A write stuck behind a lock is answered within PG_STATEMENT_TIMEOUT_MS (and not written), while other workspaces
are served as usual. 7. SIGTERM with requests stuck behind a lock: the process exits within SHUTDOWN_TIMEOUT_SECONDS
+ 2 s."""
import threading
import time

import faultlib
from faultlib import Client, Load, STATEMENT_MS, counts, examples, figure, latency_summary

#: A stuck write is answered within the statement timeout plus this.
SLACK = 3.0
STUCK_WRITES = 3


class TableLock:
    """An open transaction holding ACCESS EXCLUSIVE on a workspace's company table (a hung client, a long migration)."""

    def __init__(self, services, workspace):
        self.connection = services.connect(autocommit=False)
        self.connection.execute(f"LOCK TABLE {workspace.table()} IN ACCESS EXCLUSIVE MODE")
        self.taken_at = time.monotonic()

    def release(self):
        if self.connection is not None:
            self.connection.rollback()
            self.connection.close()
            self.connection = None


def stuck_requests(server, workspace, tag, count):
    """`count` writes and one read of the locked table, each in its own thread; returns (threads, results)."""
    results = []
    lock = threading.Lock()

    def one(index):
        client = Client(server.url, workspace.token)
        if index < count:
            result = client.call("POST", "/rest/companies", {"name": f"{tag}-{index}"}, op="REST create (locked)")
            result.tag = f"{tag}-{index}"
        else:
            result = client.call("GET", "/rest/companies?limit=5", op="REST list (locked)")
        with lock:
            results.append(result)

    threads = [threading.Thread(target=one, args=(index,), daemon=True) for index in range(count + 1)]
    for thread in threads:
        thread.start()
    return threads, results


def other_step(worker):
    worker.state["n"] = worker.state.get("n", 0) + 1
    if worker.state["n"] % 2:
        return [worker.client.call("GET", "/rest/companies?limit=5", op="REST list (other)")]
    result = worker.client.call("POST", "/rest/companies", {"name": f"other-{worker.index}-{worker.state['n']}"},
                                op="REST create (other)")
    return [result]


def test_hung_connection_bound(services, servers, workspace, other_workspace):
    server = servers.start("hung")
    for ws in (workspace, other_workspace):  # metadata and API keys cached, connections open
        warm = Client(server.url, ws.token).call("GET", "/rest/companies?limit=1")
        assert warm.status == 200, warm.describe()

    other = Load(2, other_step, lambda index: Client(server.url, other_workspace.token), 1406, pause=0.05)
    table_lock = TableLock(services, workspace)
    health = []
    try:
        other.start()
        threads, stuck = stuck_requests(server, workspace, "hung", STUCK_WRITES)
        deadline = time.monotonic() + STATEMENT_MS / 1000 + SLACK + faultlib.CLIENT_TIMEOUT
        while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
            health.append(Client(server.url).call("GET", "/healthz", op="healthz"))
            time.sleep(0.5)
        for thread in threads:
            thread.join(1)
        other_results = other.stop()
    finally:
        table_lock.release()

    # Answered writes must not land once the lock is gone (the server cancelled them, not just stopped waiting).
    time.sleep(2.0)
    with services.connect() as connection:
        landed = connection.execute(f"SELECT name FROM {workspace.table()} WHERE name LIKE %s", ("hung-%",)).fetchall()
    after = Client(server.url, workspace.token).call("POST", "/rest/companies", {"name": "after-the-lock"})

    server.assert_alive()
    bound = STATEMENT_MS / 1000 + SLACK
    figure(f"hung connection: {len(stuck)} requests behind a table lock -> {counts(stuck)} "
           f"({latency_summary(stuck)}, bound {bound:.0f} s); {len(landed)} stuck writes landed after the lock was "
           f"released; other workspace meanwhile {counts(other_results)} ({latency_summary(other_results)}); "
           f"/healthz {counts(health)}; a write after the lock {after.outcome()}")

    unanswered = [r for r in stuck if r.error]
    slow = [r for r in stuck if not r.error and r.latency > bound]
    wrong = [r for r in stuck if not r.error and not (r.unavailable() or r.status == 504)]
    assert len(stuck) == STUCK_WRITES + 1, f"{STUCK_WRITES + 1 - len(stuck)} stuck requests got no answer at all"
    assert not unanswered, f"requests behind the lock got no answer:\n  {examples(unanswered)}"
    assert not slow, f"requests behind the lock answered after more than {bound:.0f} s:\n  {examples(slow)}"
    assert not wrong, f"requests behind the lock answered other than 503 with Retry-After or 504:\n  {examples(wrong)}"
    assert not landed, (f"{len(landed)} writes answered as failed were written once the lock was released "
                        f"({[row[0] for row in landed]}): a client retrying them duplicates records")
    other_failed = [r for r in other_results if not r.ok or r.latency > 1.0]
    assert not other_failed, (f"{len(other_failed)} requests of another workspace failed or took over 1 s meanwhile:\n  "
                              f"{examples(other_failed)}")
    unhealthy = [h for h in health if h.status != 200]
    assert not unhealthy, f"/healthz while one table was locked:\n  {examples(unhealthy)}"
    assert after.status == 201, f"a write after the lock was released: {after.describe()}"


def test_sigterm_with_stuck_requests(services, servers, workspace):
    # A long statement timeout, so only the shutdown bound can end the stuck requests.
    server = servers.start("sigterm", SHUTDOWN_TIMEOUT_SECONDS=3, PG_STATEMENT_TIMEOUT_MS=60000)
    warm = Client(server.url, workspace.token).call("GET", "/rest/companies?limit=1")
    assert warm.status == 200, warm.describe()
    table_lock = TableLock(services, workspace)
    try:
        threads, stuck = stuck_requests(server, workspace, "sigterm", STUCK_WRITES)
        time.sleep(1.5)
        pending = sum(thread.is_alive() for thread in threads)
        seconds, status = server.terminate()
        for thread in threads:
            thread.join(5)
        still_waiting = sum(thread.is_alive() for thread in threads)
    finally:
        table_lock.release()

    bound = server.shutdown_seconds + 2
    figure(f"SIGTERM with {pending} requests stuck behind a lock: exit "
           f"{'NOT within ' + str(bound + 10) + ' s (killed)' if seconds is None else f'after {seconds:.2f} s'} "
           f"({faultlib._describe_exit(status)}; bound {bound:.0f} s); the stuck clients saw {counts(stuck)}"
           f"{f', {still_waiting} still waiting' if still_waiting else ''}")
    assert pending == STUCK_WRITES + 1, f"only {pending} requests were stuck when SIGTERM was sent: {counts(stuck)}"
    assert seconds is not None and seconds <= bound, (
        f"the server exited {'never (killed)' if seconds is None else f'after {seconds:.2f} s'}, bound {bound:.0f} s\n"
        + server.tail())
    assert status == 0, f"the server ended with {faultlib._describe_exit(status)}\n{server.tail()}"
    assert not still_waiting, f"{still_waiting} clients still had no answer nor closed connection after the exit"
