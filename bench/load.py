"""The load generator: HTTP/1.1 clients on asyncio (standard library only), in processes of their own.

    python -m bench.load MANIFEST RESULT [--base http://127.0.0.1:8765] [--clients 50] [--procs 2]
                         [--scale 1.0] [--only PHASES]

Against a running server (gunicorn) it measures, one phase after another:

  * latency of each page with one client (requests one after another: p50/p95 of an unloaded server);
  * requests per second with CLIENTS concurrent clients (and the latencies they saw);
  * declaration submissions per second with CLIENTS concurrent clients: each client opens the member's
    form (GET, for the CSRF token and form_key, as a browser does), then posts it; a submission counts
    when the answer is 303 (提交成功). Submissions/s = successful POSTs per second of the whole flow;
  * the same with the forms already open (POSTs only: the session's CSRF token, a fresh form_key).

Every request opens a connection and sends `Connection: close` (gunicorn's sync workers close after
each response anyway). Logged-in requests carry a session cookie signed with the server's SECRET_KEY
(bench/sessions.py), so the process needs the same environment as the server. Every phase is bounded
in requests and in seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench import cpu, forms
from bench.sessions import USER_AGENT, cookie_name, csrf_token, session_cookie

TIMEOUT = 60.0  # seconds for one request; a slower one is an error
DISTURBED = 0.15  # share of the machine taken by other processes above which a phase is run again


class Target:
    """Where to send requests, and the cookies of everyone who sends them."""

    def __init__(self, base: str, manifest: dict, app, rng: random.Random, member_pool: int):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.today = manifest["today"]
        self.school_id = manifest["school_id"]
        name = cookie_name(app)
        self.cookies = {}
        self.collectors = [o["collector_id"] for o in manifest["organisations"]]
        members = [(o["id"], pid) for o in manifest["organisations"] for pid in o["members"]]
        self.members = rng.sample(members, min(member_pool, len(members)))  # (organisation id, person id)
        for pid in [manifest["admin_id"], *self.collectors, *(p for _, p in self.members)]:
            self.cookies[pid] = f"{name}={session_cookie(app, pid)}"
        self.csrf = {pid: csrf_token(app, pid) for _, pid in self.members}
        self.admin = manifest["admin_id"]

    def page(self, name: str, rng: random.Random) -> tuple[str, int | None]:
        if name == "healthz":
            return "/healthz", None
        if name == "workbench_home":
            return "/workbench/", rng.choice(self.collectors)
        if name == "day_detail":
            return f"/workbench/day/{self.today}", rng.choice(self.collectors)
        if name == "school_dashboard":
            return f"/school/{self.school_id}", self.admin
        raise ValueError(name)


async def fetch(target: Target, method: str, path: str, person: int | None, body: bytes = b""):
    """One request on a fresh connection: (status, response body or redirect location, seconds)."""
    started = time.perf_counter()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {target.host}:{target.port}", f"User-Agent: {USER_AGENT}",
             "Connection: close", "Accept: text/html"]
    if person is not None:
        lines.append(f"Cookie: {target.cookies[person]}")
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    reader, writer = await asyncio.open_connection(target.host, target.port)
    try:
        writer.write(request)
        data = await reader.read()
    finally:
        writer.close()
    head, _, payload = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    if status in (301, 302, 303, 307, 308):  # a redirect's body is where it points
        payload = next((line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                        if line.lower().startswith(b"location:")), b"")
    return status, payload, time.perf_counter() - started


async def guarded(coro):
    try:
        return await asyncio.wait_for(coro, TIMEOUT)
    except Exception as exc:  # a refused or reset connection, or a timeout: counted, not fatal
        return type(exc).__name__, b"", TIMEOUT


async def page_client(target, name, expected, deadline, limit, rng, records):
    while time.time() < deadline and (limit is None or len(records) < limit):
        path, person = target.page(name, rng)
        status, _, seconds = await guarded(fetch(target, "GET", path, person))
        records.append(("get", status == expected, str(status), seconds, time.time()))


def submitted(status, location: bytes) -> tuple[bool, str]:
    """A declaration was recorded: 303 to 提交成功 (a 303 elsewhere is the duplicate handler's, not a success)."""
    if status == 303 and b"/declare/done/" not in location:
        return False, "303 elsewhere"
    return status == 303, str(status)


async def submit_client(target, deadline, limit, rng, records, post_only=False, floor=False):
    """Open a member's form, then post it: one declaration per loop.

    post_only: the form is already open (its CSRF token is the session's, its form_key a fresh one):
    only the POSTs load the server. floor: the same POSTs to the benchmark's reference endpoint
    (bench/serve.py: one INSERT, nothing checked).
    """
    while time.time() < deadline and (limit is None or len(records) < limit):
        org_id, person = rng.choice(target.members)
        path = f"/bench/floor/{org_id}/{person}" if floor else f"/declare/org/{org_id}/person/{person}"
        if post_only:
            fields = forms.answers(temperature=f"36.{rng.randint(1, 9)}") | {
                "csrf_token": target.csrf[person], "form_key": uuid.uuid4().hex}
            status, where, seconds = await guarded(fetch(target, "POST", path, person, urlencode(fields).encode()))
            records.append(("submit", *submitted(status, where), seconds, time.time()))
            continue
        status, page, seconds = await guarded(fetch(target, "GET", path, person))
        records.append(("form", status == 200, str(status), seconds, time.time()))
        if status != 200:
            continue
        fields = forms.answers(temperature=f"36.{rng.randint(1, 9)}") | forms.hidden_inputs(page.decode())
        body = urlencode(fields).encode()
        status, where, seconds = await guarded(fetch(target, "POST", path, person, body))
        records.append(("submit", *submitted(status, where), seconds, time.time()))


def _run_part(args):
    """One process's share of a phase: its clients on one event loop."""
    target, phase, clients, start, deadline, limit, seed = args
    rng = random.Random(seed)
    while time.time() < start:
        time.sleep(0.001)
    records_per_client = [[] for _ in range(clients)]

    async def main():
        if phase["kind"] == "submit":
            post_only, floor = phase.get("post_only", False), phase.get("floor", False)
            jobs = [submit_client(target, deadline, limit, rng, r, post_only, floor) for r in records_per_client]
        else:
            jobs = [page_client(target, phase["page"], phase.get("status", 200), deadline, limit, rng, r)
                    for r in records_per_client]
        await asyncio.gather(*jobs)

    before = os.times()
    asyncio.run(main())
    after = os.times()
    return [rec for r in records_per_client for rec in r], (after.user - before.user) + (after.system - before.system)


def summarise(records: list, started: float) -> dict:
    """Per kind of request: count, successes, errors by status, rate and latency percentiles (ms)."""
    out = {}
    for kind in sorted({r[0] for r in records}):
        rows = [r for r in records if r[0] == kind]
        ok = [r for r in rows if r[1]]
        errors: dict[str, int] = {}
        for r in rows:
            if not r[1]:
                errors[r[2]] = errors.get(r[2], 0) + 1
        elapsed = max(r[4] for r in rows) - started if rows else 0.0
        ms = sorted(r[3] * 1000 for r in ok)
        out[kind] = {
            "requests": len(rows), "ok": len(ok), "errors": errors, "seconds": round(elapsed, 2),
            "ok_per_s": round(len(ok) / elapsed, 1) if elapsed > 0 else 0.0,
            "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
            "max_ms": round(ms[-1], 1) if ms else None, "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        }
    return out


def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    rank = (len(sorted_values) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return round(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low), 1)


class Quiet:
    """Before each phase, wait for other people's processes to calm down, within a budget for the whole run."""

    def __init__(self, server_pid: int | None, budget: float, threshold: float = 0.15, per_phase: float = 20.0):
        self.server_pid, self.budget, self.threshold, self.per_phase = server_pid, budget, threshold, per_phase

    def wait(self) -> float:
        waited = cpu.wait_for_quiet(self.server_pid, self.threshold, min(self.per_phase, max(self.budget, 0.0)))
        self.budget -= waited
        return waited


def run_phase(target: Target, phase: dict, procs: int, seed: int, quiet: Quiet | None = None) -> dict:
    waited = quiet.wait() if quiet else 0.0
    speed = cpu.probe()
    before = cpu.Snapshot.take(quiet.server_pid if quiet else None)
    clients = phase["clients"]
    procs = max(1, min(procs, clients))
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    start = time.time() + 0.3
    deadline = start + phase["seconds"]
    limit = phase.get("limit")  # requests per client
    parts = [(target, phase, n, start, deadline, limit, seed * 100 + i) for i, n in enumerate(shares)]
    if procs == 1:
        results = [_run_part(parts[0])]
    else:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            results = pool.map(_run_part, parts)
    after = cpu.Snapshot.take(quiet.server_pid if quiet else None)
    records = [rec for recs, _ in results for rec in recs]
    summary = summarise(records, start)
    summary["cpu"] = cpu.usage(before, after, sum(seconds for _, seconds in results))
    summary["waited_for_quiet_s"] = waited
    summary["probe_ms"] = speed
    return summary


PAGES = ["healthz", "workbench_home", "day_detail", "school_dashboard"]


def phases(clients: int, scale: float) -> list[dict]:
    out = []
    for page in PAGES:
        out.append({"name": f"{page}:latency", "kind": "page", "page": page, "clients": 1,
                    "seconds": 12 * scale, "limit": 300 if page != "healthz" else 1000})
        out.append({"name": f"{page}:throughput", "kind": "page", "page": page, "clients": clients,
                    "seconds": 12 * scale})
    out.append({"name": "submissions:throughput", "kind": "submit", "clients": clients, "seconds": 30 * scale})
    out.append({"name": "submissions:post-only", "kind": "submit", "clients": clients, "seconds": 15 * scale,
                "post_only": True})
    out.append({"name": "submissions:floor", "kind": "submit", "clients": clients, "seconds": 15 * scale,
                "post_only": True, "floor": True})
    return out


def warm_up(target: Target, procs: int) -> None:
    """Every worker renders every page a few times (templates compiled, connections open)."""
    for page in PAGES:
        run_phase(target, {"kind": "page", "page": page, "clients": 8, "seconds": 1.5, "limit": 5}, procs, 1)
    run_phase(target, {"kind": "submit", "clients": 8, "seconds": 1.5, "limit": 6}, procs, 2)
    run_phase(target, {"kind": "submit", "clients": 8, "seconds": 1.5, "limit": 3, "post_only": True, "floor": True},
              procs, 2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes sharing the clients")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every phase's time (0.25: a quick try)")
    parser.add_argument("--only", help="comma-separated phase names to run (default: all)")
    parser.add_argument("--server-pid", type=int, help="gunicorn's master: its CPU is told apart from others'")
    parser.add_argument("--retries", type=int, default=2,
                        help="phases run again when other processes took over 15 %% of the machine")
    parser.add_argument("--quiet-budget", type=float, default=60.0,
                        help="seconds in all to wait for other processes to quieten before phases")
    args = parser.parse_args(argv)

    from yks_web import create_app

    manifest = json.loads(args.manifest.read_text())
    rng = random.Random(11)
    target = Target(args.base, manifest, create_app(), rng, member_pool=5000)
    warm_up(target, args.procs)
    quiet = Quiet(args.server_pid, args.quiet_budget)
    retries = args.retries
    results = {"clients": args.clients, "procs": args.procs, "phases": {}}
    for n, phase in enumerate(phases(args.clients, args.scale), start=3):
        if args.only and phase["name"] not in args.only.split(","):
            continue
        procs = args.procs if phase["clients"] > 1 else 1
        summary = run_phase(target, phase, procs, n, quiet)
        if summary["cpu"]["other_share"] > DISTURBED and retries > 0:  # others took the machine: once more
            retries -= 1
            again = run_phase(target, phase, procs, n, quiet)
            kept = min((summary, again), key=lambda s: s["cpu"]["other_share"])
            kept["disturbed_attempt_other_share"] = summary["cpu"]["other_share"]
            summary = kept
        results["phases"][phase["name"]] = summary
        print(phase["name"], json.dumps(summary), flush=True)
    args.result.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
