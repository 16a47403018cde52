"""The load generator: HTTP/1.1 clients on asyncio (standard library only), in processes of their own.

    python -m bench.load MANIFEST RESULT [--base http://127.0.0.1:8765] [--clients 50] [--procs 2]
                         [--scale 1.0] [--only PHASES] [--ceiling-base http://127.0.0.1:8766]

Against a running server (gunicorn) it measures, one phase after another:

  * latency of each page with one client (requests one after another: p50/p95 of an unloaded server);
  * requests per second with CLIENTS concurrent clients (and the latencies they saw);
  * declaration submissions per second with CLIENTS concurrent clients: each client opens the member's
    form (GET, for the CSRF token and form_key, as a browser does), then posts it; a submission counts
    when the answer is 303 (提交成功). Submissions/s = successful POSTs per second of the whole flow;
  * the same with the forms already open (POSTs only: the session's CSRF token, a fresh form_key);
  * issue 14 item 1: the same POSTs (the same clients, members, body and cookies) to the benchmark's reference floor
    (bench/serve.py) and, with --ceiling-base, to the stack ceiling (bench/ceiling.py, its own gunicorn);
  * issue 14 item 4: a logged-in trivial GET, 填报方式 `GET /declare/` (a static menu behind login) as a member,
    1 client and CLIENTS clients like the pages;
  * issue 10 item 9 and issue 11 item 3, each with one client (p50/p95) and CLIENTS clients (per second):
    出示粤康码 refreshes (the card /code/card that the open page polls each minute, its QR inline: one request),
    the inspector's scan (POST /places/<gate>/check with the QR's URL holding a live 粤康码 token made with
    the server's key; success = 303 to the 登记 screen), the 体温检测 POST (POST /places/<gate>/check/<ticket>,
    正常 or 发热, a fresh ticket each time; success = 303 back to the scanner), the place's 数据统计 and the
    institution's 看板;
  * issue 13 item 7: 我管理的团体 (数据统计) and 成员管理 (filtered) of 500-person groups, 1 client and CLIENTS;
    then 【刷新数据】 of each of the load's groups once, one client (the 30-minute cap allows no more).

The scan is rate-limited per account (120 a minute) and per address (600 a minute, services/code_scans.py):
the gate has GATE_INSPECTORS inspector accounts, a client picks one at random for each scan and connects
from that inspector's own loopback address (127.0.x.y), as each inspector's phone has its own, so the load
stays far below both limits and the limits are not what is measured (their cost per scan is).

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
import re
import statistics
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench import cpu, forms
from bench.sessions import USER_AGENT, cookie_name, csrf_token, session_cookie
from yks_web import clock
from yks_web.services import code_tokens, scan_tickets

TIMEOUT = 60.0  # seconds for one request; a slower one is an error
# …except the 看板 of 5,000 members: over half a second of a worker each, so 50 clients at once queue for
# 20–40 s on 2 cores, more on a busy machine; a timeout would leave the slowest out of the p95.
SLOW_TIMEOUTS = {"institution_board": 180.0}
DISTURBED = 0.15  # share of the machine taken by other processes above which a phase is run again
SESSION_SET = re.compile(rb"(?im)^set-cookie: (session=[^;\r\n]*)")  # the renewed session cookie
CARD_QR = re.compile(rb'<img class="code-qr" src="data:image/png;base64,[A-Za-z0-9+/=]+"')  # the QR, inline


class Target:
    """Where to send requests, and the cookies of everyone who sends them."""

    def __init__(self, base: str, manifest: dict, app, rng: random.Random, member_pool: int):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.ceiling_port: int | None = None  # the stack ceiling's gunicorn (bench/ceiling.py), when it serves
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
        self.addresses: dict[int, str] = {}  # person → the loopback address their requests come from
        if "places" in manifest:
            self._places(manifest, app, name)
        if "groups" in manifest:
            self._groups(manifest, app, name)

    def _places(self, manifest: dict, app, name: str) -> None:
        """The places' and the institution's people: cookies, CSRF tokens, each gate inspector's own address."""
        self.secret = app.config["SECRET_KEY"]  # 粤康码 tokens and scan tickets are sealed with the server's key
        places = manifest["places"]
        self.gate, self.stats_place = places["gate"]["id"], places["stats"]["id"]
        self.stats_admin = places["stats"]["admin_id"]
        self.institution, self.institution_admin = manifest["institution"]["id"], manifest["institution"]["admin_id"]
        self.visitors = tuple(manifest["visitors"])
        self.inspectors = places["gate"]["inspectors"]
        for n, pid in enumerate(self.inspectors):
            self.addresses[pid] = f"127.0.{1 + n // 250}.{1 + n % 250}"
            self.cookies[pid] = f"{name}={session_cookie(app, pid, self.addresses[pid])}"
            self.csrf[pid] = csrf_token(app, pid)
        for pid in (self.stats_admin, self.institution_admin):
            self.cookies[pid] = f"{name}={session_cookie(app, pid)}"

    def _groups(self, manifest: dict, app, name: str) -> None:
        """团体码 (issue 13 item 7): the groups' creators. The first half of the groups is the load's (pages and one
        【刷新数据】 each); the second half is bench/queries.py's, so neither uses up the other's 30-minute cap."""
        groups = manifest["groups"]
        self.groups = [(g["id"], g["creator_id"]) for g in groups[: len(groups) // 2]]
        self.refresh_queue = list(self.groups)
        for _, pid in self.groups:
            self.cookies[pid] = f"{name}={session_cookie(app, pid)}"
            self.csrf[pid] = csrf_token(app, pid)

    def page(self, name: str, rng: random.Random) -> tuple[str, int | None]:
        if name == "healthz":
            return "/healthz", None
        if name == "declare_menu":  # 填报方式: a static menu behind login (issue 14 item 4)
            return "/declare/", rng.choice(self.members)[1]
        if name == "workbench_home":
            return "/workbench/", rng.choice(self.collectors)
        if name == "day_detail":
            return f"/workbench/day/{self.today}", rng.choice(self.collectors)
        if name == "school_dashboard":
            return f"/school/{self.school_id}", self.admin
        if name == "place_stats":
            return f"/places/{self.stats_place}/stats", self.stats_admin
        if name == "institution_board":
            return f"/institution/{self.institution}/board", self.institution_admin
        if name == "group_manage":
            group, creator = rng.choice(self.groups)
            return f"/group/{group}", creator
        if name == "group_members":
            group, creator = rng.choice(self.groups)
            return f"/group/{group}/members?{urlencode(rng.choice(GROUP_FILTERS))}", creator
        raise ValueError(name)


async def fetch(target: Target, method: str, path: str, person: int | None, body: bytes = b"",
                port: int | None = None):
    """One request on a fresh connection (to the app's server, or to `port`): (status, response body or redirect
    location, seconds)."""
    started = time.perf_counter()
    port = port or target.port
    lines = [f"{method} {path} HTTP/1.1", f"Host: {target.host}:{port}", f"User-Agent: {USER_AGENT}",
             "Connection: close", "Accept: text/html"]
    if person is not None:
        lines.append(f"Cookie: {target.cookies[person]}")
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    local = target.addresses.get(person)
    reader, writer = await asyncio.open_connection(target.host, port, local_addr=(local, 0) if local else None)
    try:
        writer.write(request)
        data = await reader.read()
    finally:
        writer.close()
    head, _, payload = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    if person is not None and (cookie := SESSION_SET.search(head)) is not None:
        # A browser keeps the cookie the server renews (the idle stamp, once a minute: auth_setup); a client
        # sending the first one forever would make every later request re-sign it.
        target.cookies[person] = cookie.group(1).decode()
    if status in (301, 302, 303, 307, 308):  # a redirect's body is where it points
        payload = next((line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                        if line.lower().startswith(b"location:")), b"")
    return status, payload, time.perf_counter() - started


async def guarded(coro, timeout: float = TIMEOUT):
    try:
        return await asyncio.wait_for(coro, timeout)
    except Exception as exc:  # a refused or reset connection, or a timeout: counted, not fatal
        return type(exc).__name__, b"", timeout


async def page_client(target, name, expected, deadline, limit, rng, records):
    action = ACTIONS.get(name)
    done = 0
    while time.time() < deadline and (limit is None or done < limit):
        done += 1
        if action is not None:
            await action(target, rng, records)
            continue
        path, person = target.page(name, rng)
        status, _, seconds = await guarded(fetch(target, "GET", path, person), SLOW_TIMEOUTS.get(name, TIMEOUT))
        records.append(("get", status == expected, str(status), seconds, time.time()))


async def code_refresh(target, rng, records):
    """出示粤康码 as the open page refreshes it each minute: the card alone, its QR inline (issue 14 item 3: one
    request; the view answers htmx's poll and a plain GET with the same card, so no HX-Request is sent)."""
    _, person = rng.choice(target.members)
    status, card, seconds = await guarded(fetch(target, "GET", "/code/card", person))
    ok = status == 200 and CARD_QR.search(card) is not None
    records.append(("refresh", ok, str(status) if status != 200 else "no inline QR", seconds, time.time()))


def _at_gate(target, rng) -> tuple[int, int]:
    """A gate inspector (at random: see the module's note on rate limits) and a visitor to check."""
    return rng.choice(target.inspectors), rng.randint(*target.visitors)


async def scan_resolve(target, rng, records):
    """The inspector's scan: the QR's URL with a live 粤康码 token → 303 to the 登记 screen."""
    inspector, visitor = _at_gate(target, rng)
    token = code_tokens.issue(visitor, clock.now(), target.secret)
    body = urlencode({"code": f"https://yks.example/code/scan/{token}", "csrf_token": target.csrf[inspector]})
    status, where, seconds = await guarded(
        fetch(target, "POST", f"/places/{target.gate}/check", inspector, body.encode()))
    ok = status == 303 and f"/places/{target.gate}/check/".encode() in where
    records.append(("scan", ok, "303 elsewhere" if status == 303 and not ok else str(status), seconds, time.time()))


async def check_post(target, rng, records):
    """体温检测 提交: 正常 or 发热 with a fresh ticket (its idempotency key) → 303 back to the scanner."""
    inspector, visitor = _at_gate(target, rng)
    ticket = scan_tickets.seal(place_id=target.gate, person_id=visitor, inspector_id=inspector, now=clock.now(),
                               secret=target.secret)
    body = urlencode({"result": "发热" if rng.random() < 0.05 else "正常", "csrf_token": target.csrf[inspector]})
    status, where, seconds = await guarded(
        fetch(target, "POST", f"/places/{target.gate}/check/{ticket}", inspector, body.encode()))
    ok = status == 303 and where.endswith(f"/places/{target.gate}/check".encode())
    records.append(("check", ok, "303 elsewhere" if status == 303 and not ok else str(status), seconds, time.time()))


# 成员管理's filters as an admin taps them from 数据统计 or combines them (issue 13 item 5).
GROUP_FILTERS = [{"code": "yellow"}, {"code": "red"}, {"test": "24"}, {"test": "other"}, {"vaccine": "0"},
                 {"code": "yellow", "test": "48"}, {"code": "green", "vaccine": "3"}, {"q": "备注"}]


async def group_refresh(target, rng, records):
    """【刷新数据】 of a 500-person group: every member's data from the provider, once per group (the 30-minute cap
    makes a second press of the same group a refusal, so each request takes the next group not yet refreshed)."""
    if not target.refresh_queue:
        records.append(("group_refresh", False, "no group left", 0.0, time.time()))
        return
    group, creator = target.refresh_queue.pop(0)
    body = urlencode({"csrf_token": target.csrf[creator]})
    status, where, seconds = await guarded(fetch(target, "POST", f"/group/{group}/refresh", creator, body.encode()))
    ok = status == 303 and where.endswith(f"/group/{group}".encode())
    records.append(("group_refresh", ok, "303 elsewhere" if status == 303 and not ok else str(status), seconds,
                    time.time()))


# Units of work that are not one GET: their records are kinds of their own (the report reads them).
ACTIONS = {"code_refresh": code_refresh, "scan_resolve": scan_resolve, "check_post": check_post,
           "group_refresh": group_refresh}


def submitted(status, location: bytes) -> tuple[bool, str]:
    """A declaration was recorded: 303 to 提交成功 (a 303 elsewhere is the duplicate handler's, not a success)."""
    if status == 303 and b"/declare/done/" not in location:
        return False, "303 elsewhere"
    return status == 303, str(status)


async def submit_client(target, deadline, limit, rng, records, post_only=False, floor=False, ceiling=False):
    """Open a member's form, then post it: one declaration per loop.

    post_only: the form is already open (its CSRF token is the session's, its form_key a fresh one):
    only the POSTs load the server. floor: the same POSTs to the benchmark's reference endpoint
    (bench/serve.py: one INSERT, nothing checked). ceiling: the same POSTs, to the same path, sent to the stack
    ceiling's own server (bench/ceiling.py, issue 14 item 1).
    """
    port = target.ceiling_port if ceiling else None
    while time.time() < deadline and (limit is None or len(records) < limit):
        org_id, person = rng.choice(target.members)
        path = f"/bench/floor/{org_id}/{person}" if floor else f"/declare/org/{org_id}/person/{person}"
        if post_only:
            fields = forms.answers(temperature=f"36.{rng.randint(1, 9)}") | {
                "csrf_token": target.csrf[person], "form_key": uuid.uuid4().hex}
            status, where, seconds = await guarded(
                fetch(target, "POST", path, person, urlencode(fields).encode(), port))
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
            post_only, floor, ceiling = (phase.get(k, False) for k in ("post_only", "floor", "ceiling"))
            jobs = [submit_client(target, deadline, limit, rng, r, post_only, floor, ceiling)
                    for r in records_per_client]
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
    """Before each phase, wait for other people's processes to calm down, within a budget for the whole run.
    server_pid is the gunicorn master whose CPU is the server's: the app's, or the stack ceiling's in its phase."""

    def __init__(self, server_pid: int | None, budget: float, threshold: float = 0.15, per_phase: float = 20.0,
                 ceiling_pid: int | None = None):
        self.server_pid, self.budget, self.threshold, self.per_phase = server_pid, budget, threshold, per_phase
        self.app_pid, self.ceiling_pid = server_pid, ceiling_pid

    def serving(self, phase: dict) -> None:
        self.server_pid = self.ceiling_pid if phase.get("ceiling") else self.app_pid

    def wait(self) -> float:
        waited = cpu.wait_for_quiet(self.server_pid, self.threshold, min(self.per_phase, max(self.budget, 0.0)))
        self.budget -= waited
        return waited


def run_phase(target: Target, phase: dict, procs: int, seed: int, quiet: Quiet | None = None) -> dict:
    if quiet:
        quiet.serving(phase)
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
TRIVIAL = "declare_menu"  # issue 14 item 4: the logged-in trivial GET, 填报方式 `GET /declare/`
# Issue 10 item 9, issue 11 item 3 (when the manifest has the places): measured like the pages.
PLACE_PAGES = ["code_refresh", "scan_resolve", "check_post", "place_stats", "institution_board"]
# Issue 13 item 7 (when the manifest has the groups): 我管理的团体 (数据统计), 成员管理 (filtered), 500-person groups.
GROUP_PAGES = ["group_manage", "group_members"]


def phases(clients: int, scale: float, places: bool = True, groups: int = 0, ceiling: bool = False) -> list[dict]:
    """The school's phases, then (after the submissions, so their seeds and order stay as they were) the places',
    then the `groups` 团体码 groups' pages and one 【刷新数据】 of each. Each phase's "seed" (its clients' random
    choices) is its place in that list from 3; issue 14's phases, inserted among them, have seeds of their own
    so the others' stay as they were: the logged-in trivial GET after the pages, and (with `ceiling`) the stack
    ceiling after the floor, with the seed of the submissions' POSTs (the same random draws of members)."""
    out = []

    def page_phases(page: str) -> None:
        out.append({"name": f"{page}:latency", "kind": "page", "page": page, "clients": 1,
                    "seconds": 12 * scale, "limit": {"healthz": 1000}.get(page, 300)})
        out.append({"name": f"{page}:throughput", "kind": "page", "page": page, "clients": clients,
                    "seconds": 12 * scale})

    for page in PAGES:
        page_phases(page)
    own_seeds = len(out)
    page_phases(TRIVIAL)
    for n, phase in enumerate(out[own_seeds:], start=90):
        phase["seed"] = n
    out.append({"name": "submissions:throughput", "kind": "submit", "clients": clients, "seconds": 30 * scale})
    out.append({"name": "submissions:post-only", "kind": "submit", "clients": clients, "seconds": 15 * scale,
                "post_only": True})
    out.append({"name": "submissions:floor", "kind": "submit", "clients": clients, "seconds": 15 * scale,
                "post_only": True, "floor": True})
    if ceiling:
        out.append({"name": "submissions:ceiling", "kind": "submit", "clients": clients, "seconds": 15 * scale,
                    "post_only": True, "ceiling": True, "seed": "submissions:post-only"})
    for page in PLACE_PAGES if places else []:
        page_phases(page)
    for page in GROUP_PAGES if groups else []:
        page_phases(page)
    if groups:  # each group refreshes once per 30 minutes: one pass over the load's groups, 1 client, never again
        out.append({"name": "group_refresh:latency", "kind": "page", "page": "group_refresh", "clients": 1,
                    "seconds": 120 * max(scale, 1), "limit": groups, "once": True})
    seeds = {}
    for n, phase in enumerate((p for p in out if "seed" not in p), start=3):
        phase["seed"] = seeds[phase["name"]] = n
    for phase in out:
        if isinstance(phase["seed"], str):
            phase["seed"] = seeds[phase["seed"]]
    return out


def warm_up(target: Target, procs: int) -> None:
    """Every worker renders every page a few times (templates compiled, connections open)."""
    for page in PAGES + [TRIVIAL] + (PLACE_PAGES if target.addresses else []) + (
            GROUP_PAGES if getattr(target, "groups", None) else []):
        run_phase(target, {"kind": "page", "page": page, "clients": 8, "seconds": 1.5, "limit": 5}, procs, 1)
    run_phase(target, {"kind": "submit", "clients": 8, "seconds": 1.5, "limit": 6}, procs, 2)
    run_phase(target, {"kind": "submit", "clients": 8, "seconds": 1.5, "limit": 3, "post_only": True, "floor": True},
              procs, 2)
    if target.ceiling_port:  # every ceiling worker opens its connection (and prepares its INSERT)
        run_phase(target, {"kind": "submit", "clients": 8, "seconds": 1.5, "limit": 3, "post_only": True,
                           "ceiling": True}, procs, 2)


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
    parser.add_argument("--ceiling-base", help="the stack ceiling's server (bench/ceiling.py): its phase runs too")
    parser.add_argument("--ceiling-pid", type=int, help="the stack ceiling's gunicorn master")
    parser.add_argument("--retries", type=int, default=2,
                        help="phases run again when other processes took over 15 %% of the machine")
    parser.add_argument("--quiet-budget", type=float, default=60.0,
                        help="seconds in all to wait for other processes to quieten before phases")
    args = parser.parse_args(argv)

    from yks_web import create_app

    manifest = json.loads(args.manifest.read_text())
    rng = random.Random(11)
    target = Target(args.base, manifest, create_app(), rng, member_pool=5000)
    if args.ceiling_base:
        target.ceiling_port = urlsplit(args.ceiling_base).port
    warm_up(target, args.procs)
    quiet = Quiet(args.server_pid, args.quiet_budget, ceiling_pid=args.ceiling_pid)
    retries = args.retries
    results = {"clients": args.clients, "procs": args.procs, "phases": {}}
    groups = len(getattr(target, "groups", []))
    for phase in phases(args.clients, args.scale, "places" in manifest, groups, target.ceiling_port is not None):
        if args.only and phase["name"] not in args.only.split(","):
            continue
        procs = args.procs if phase["clients"] > 1 else 1
        n = phase["seed"]
        summary = run_phase(target, phase, procs, n, quiet)
        if summary["cpu"]["other_share"] > DISTURBED and retries > 0 and not phase.get("once"):  # once more
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
