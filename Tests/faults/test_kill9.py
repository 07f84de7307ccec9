"""4. `kill -9` of the server while clients write batches of 20 companies: each batch is all or nothing, and every
batch answered 2xx is complete after a restart."""
import time

from faultlib import Client, Load, counts, examples, figure

SEED = 1404
ROUNDS = 3
THREADS = 4
BATCH = 20


def batch_step(round_index):
    def step(worker):
        worker.state["n"] = worker.state.get("n", 0) + 1
        tag = f"k{round_index}w{worker.index}b{worker.state['n']}"
        body = [{"name": f"{tag}-{index:02d}", "employees": index} for index in range(BATCH)]
        result = worker.client.call("POST", "/rest/batch/companies", body, op="REST batch create")
        result.tag = tag
        if result.error:  # the server is gone: stop this worker rather than spin on refused connections
            worker.load._stop.set()
        return [result]
    return step


def test_kill9_under_batch_writes(services, servers, workspace):
    results = []
    for round_index in range(ROUNDS):
        server = servers.start(f"kill9-{round_index}")
        load = Load(THREADS, batch_step(round_index), lambda index: Client(server.url, workspace.token),
                    SEED + round_index).start()
        time.sleep(1.5 + 0.37 * round_index)
        server.kill9()
        results += load.stop()

    # A server on the same data after the kills; batches are counted in PostgreSQL.
    after = servers.start("kill9-after")
    check = Client(after.url, workspace.token)
    read = check.call("GET", "/rest/companies?limit=1")
    assert read.status == 200, f"the server started after the kills cannot read: {read.describe()}"
    with services.connect() as connection:
        rows = dict(connection.execute(
            f"SELECT split_part(name, '-', 1), count(*) FROM {workspace.table()} WHERE name ~ '^k[0-9]+w' GROUP BY 1"
        ).fetchall())

    acknowledged = [r for r in results if r.ok]
    unanswered = [r for r in results if not r.ok]
    partial = {r.tag: rows.get(r.tag, 0) for r in results if rows.get(r.tag, 0) not in (0, BATCH)}
    incomplete = [f"{r.tag}: {rows.get(r.tag, 0)} of {BATCH}" for r in acknowledged if rows.get(r.tag, 0) != BATCH]
    landed = sum(1 for r in unanswered if rows.get(r.tag, 0) == BATCH)
    bad_status = [r for r in results if not r.ok and not r.error and not r.unavailable()]
    figure(f"kill -9 under batch writes: {ROUNDS} kills, {len(results)} batches of {BATCH} ({counts(results)}); "
           f"{len(acknowledged)} acknowledged, all complete: {not incomplete}; {len(unanswered)} cut by the kill "
           f"({landed} of them landed whole); partial batches: {len(partial)}")

    assert not partial, f"batches written in part: {partial}"
    assert not incomplete, f"batches answered 2xx but incomplete: {incomplete[:10]}"
    assert not bad_status, f"answers other than 2xx or 503 with Retry-After before the kills:\n  {examples(bad_status)}"
    assert len(acknowledged) >= ROUNDS, "too few batches were written to mean anything"
