"""SQL statements per page, counted in-process: the Flask test client against the seeded database,
with a "before/after_cursor_execute" listener on the engine (SPEC Q3: constant whatever the size).

    python -m bench.queries MANIFEST RESULT [--explain]

Each page is requested once to warm up (templates compiled, pool connected), then once counted, then
TIMED more times for the median in-process time (the statements of every request are the same).
With --explain the slowest SELECT of each page is explained (PostgreSQL: EXPLAIN ANALYZE; SQLite:
EXPLAIN QUERY PLAN) for the report. Runs with the environment of settings.app_env().
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import random
import re
import time
from pathlib import Path

from sqlalchemy import event

from bench import cpu, forms
from bench.sessions import USER_AGENT, cookie_name, csrf_token, session_cookie
from yks_web import clock
from yks_web.services import code_tokens, scan_tickets

# What each page shows, to check the seed made the page it should (and to report it).
TIMED = 15  # requests after the counted one, for the median in-process time

CHECKS = {
    "workbench_home": [("declared", r"已申报 <strong>(\d+)</strong>"), ("joined", r"成员加入情况.*?(\d+) / \d+人")],
    "day_detail": [("missing", r"未填报成员（(\d+)人）"), ("declared", r"已填报成员（(\d+)人）")],
    "school_dashboard": [("organisations", None)],
    "place_stats": [("checked_today", r"今日检测人数</dt><dd>(\d+)"), ("checked_total", r"累计检测人数</dt><dd>(\d+)"),
                    ("fever_total", r"累计发热人数</dt><dd>(\d+)")],
    "institution_board": [("declared", r"已申报 <strong>(\d+)</strong>"),
                          ("members", r"已申报 <strong>\d+</strong>/(\d+)")],
}


def pages(manifest: dict) -> list[dict]:
    """The requests measured: who makes them and what a success looks like."""
    org = manifest["organisations"][0]
    today = manifest["today"]
    return [
        {"name": "healthz", "path": "/healthz", "person": None, "status": 200},
        {"name": "workbench_home", "path": "/workbench/", "person": org["collector_id"], "status": 200},
        {"name": "day_detail", "path": f"/workbench/day/{today}", "person": org["collector_id"], "status": 200},
        {"name": "school_dashboard", "path": f"/school/{manifest['school_id']}", "person": manifest["admin_id"],
         "status": 200},
        # issue 14 item 4: the logged-in trivial GET, 填报方式 (a static menu behind login), as a member
        {"name": "declare_menu", "path": "/declare/", "person": "member", "status": 200},
        {"name": "declaration_form", "path": f"/declare/org/{org['id']}/person/{{member}}", "person": "member",
         "status": 200},
        {"name": "declaration_post", "path": f"/declare/org/{org['id']}/person/{{member}}", "person": "member",
         "status": 303, "method": "POST"},
        {"name": "declaration_floor", "path": f"/bench/floor/{org['id']}/{{member}}", "person": "member",
         "status": 303, "method": "POST", "form": f"/declare/org/{org['id']}/person/{{member}}"},
        *place_pages(manifest),
        *group_pages(manifest),
    ]


def group_pages(manifest: dict) -> list[dict]:
    """Issue 13 item 7: 我管理的团体 (数据统计), 成员管理 filtered, 成员信息, and 【刷新数据】 of a 500-person group —
    each run of the refresh on another of the second half's groups (the load has the first half)."""
    if "groups" not in manifest:
        return []
    groups = manifest["groups"]
    first, mine = groups[0], groups[len(groups) // 2:]
    return [
        {"name": "group_manage", "path": f"/group/{first['id']}", "person": first["creator_id"], "status": 200},
        {"name": "group_members", "path": f"/group/{first['id']}/members?code=yellow&vaccine=2",
         "person": first["creator_id"], "status": 200},
        {"name": "group_member", "path": f"/group/{first['id']}/members/{first['member_id']}",
         "person": first["creator_id"], "status": 200},
        {"name": "group_refresh", "path": "/group/{group}/refresh", "person": "group_creator", "status": 303,
         "method": "POST", "groups": [(g["id"], g["creator_id"]) for g in mine]},
    ]


def place_pages(manifest: dict) -> list[dict]:
    """Issue 10 item 9 and issue 11 item 3: 出示粤康码 and its card (what the page polls each minute, the QR inline:
    issue 14 item 3), the inspector's scan and 体温检测 POST at the gate, the 数据统计 of the place with 100,000
    checks, the institution's 看板."""
    if "places" not in manifest:
        return []
    gate, stats = manifest["places"]["gate"], manifest["places"]["stats"]
    return [
        {"name": "code_page", "path": "/code/", "person": "member", "status": 200},
        {"name": "code_card", "path": "/code/card", "person": "member", "status": 200},
        {"name": "scan_resolve", "path": f"/places/{gate['id']}/check", "person": "inspector", "status": 303,
         "method": "POST", "data": "scan"},
        {"name": "check_post", "path": f"/places/{gate['id']}/check/{{ticket}}", "person": "inspector", "status": 303,
         "method": "POST", "data": "check"},
        {"name": "place_stats", "path": f"/places/{stats['id']}/stats", "person": stats["admin_id"], "status": 200},
        {"name": "institution_board", "path": f"/institution/{manifest['institution']['id']}/board",
         "person": manifest["institution"]["admin_id"], "status": 200},
    ]


def place_request(app, kind: str, place_id: int, inspector: int, visitor: int, rng) -> tuple[dict, str]:
    """The form of a scan (the QR's URL as the camera reads it, a live 粤康码 token made with the server's key) or
    of a 体温检测 POST (a fresh ticket, as places.scan_post seals it); and the ticket for the URL."""
    secret = app.config["SECRET_KEY"]
    if kind == "scan":
        token = code_tokens.issue(visitor, clock.now(), secret)
        return {"code": f"https://yks.example/code/scan/{token}", "csrf_token": csrf_token(app, inspector)}, ""
    ticket = scan_tickets.seal(place_id=place_id, person_id=visitor, inspector_id=inspector, now=clock.now(),
                               secret=secret)
    result = "发热" if rng.random() < 0.05 else "正常"
    return {"result": result, "csrf_token": csrf_token(app, inspector)}, ticket


class GcTimer:
    """Time spent in Python's garbage collector (gc.callbacks), and how many full (generation 2) collections."""

    def __init__(self):
        self.ms = 0.0
        self.full = 0
        self._started = 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.ms += (time.perf_counter() - self._started) * 1000
            self.full += info["generation"] == 2

    def reset(self) -> None:
        self.ms, self.full = 0.0, 0


class Recorder:
    def __init__(self, engine):
        self.statements: list[dict] = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self.before)
        event.listen(engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(self, conn, cursor, statement, parameters, context, executemany):
        started = conn.info["bench_started"].pop()
        if self.on:
            self.statements.append({"sql": statement, "params": parameters,
                                    "ms": (time.perf_counter() - started) * 1000})

    def start(self) -> None:
        self.statements = []
        self.on = True

    def stop(self) -> list[dict]:
        self.on = False
        return self.statements


def explain(db, kind: str, statement: dict) -> str:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if kind == "postgresql" else "EXPLAIN QUERY PLAN "
        cursor.execute(prefix + statement["sql"], statement["params"])
        rows = cursor.fetchall()
        raw.rollback()
    finally:
        raw.close()
    if kind == "postgresql":
        return "\n".join(r[0] for r in rows)
    return "\n".join(f"{r[1]:>3} {r[2]:>3}  {r[3]}" for r in rows)


def measure(manifest: dict, with_explain: bool) -> dict:
    from bench.serve import make_app
    from yks_web.extensions import db

    app = make_app()
    kind = manifest["kind"]
    results = {}
    with app.app_context():
        recorder = Recorder(db.engine)
    members = itertools.cycle(manifest["organisations"][0]["members"][-(2 + TIMED) * 2:])  # members may post again
    # The gate's inspectors in turn (each scan counts against its account's limit), scanning visitors.
    inspectors = itertools.cycle(manifest.get("places", {}).get("gate", {}).get("inspectors", [None]))
    first, last = manifest.get("visitors") or [0, 0]
    visitors = itertools.cycle(range(first, last + 1))
    rng = random.Random(5)
    collector = GcTimer()
    for page in pages(manifest):
        client = app.test_client()
        runs = []
        gc_ms = full = 0
        fresh_groups = iter(page.get("groups", []))  # 【刷新数据】: a group not refreshed yet for every run
        for n in range(2 + TIMED):  # warm-up, counted, then timed only
            person = page["person"]
            group = None
            if person == "group_creator":
                group, person = next(fresh_groups)
                client.set_cookie(cookie_name(app), session_cookie(app, person))
            elif person in ("member", "inspector"):
                person = next(members if person == "member" else inspectors)
                client.set_cookie(cookie_name(app), session_cookie(app, person))
            elif person is not None and n == 0:
                client.set_cookie(cookie_name(app), session_cookie(app, person))
            headers = {"User-Agent": USER_AGENT}
            data, ticket = None, ""
            path = page["path"].format(member=person, ticket="{ticket}", group=group)
            if group is not None:
                data = {"csrf_token": csrf_token(app, person)}
            elif "data" in page:
                data, ticket = place_request(app, page["data"], manifest["places"]["gate"]["id"], person,
                                             next(visitors), rng)
                path = path.format(ticket=ticket)
            elif page.get("method") == "POST":
                form_page = page.get("form", page["path"]).format(member=person)
                page_html = client.get(form_page, headers=headers).get_data(as_text=True)
                data = forms.answers() | forms.hidden_inputs(page_html)
            recorder.start()
            collector.reset()
            started = time.perf_counter()
            response = client.open(path, method=page.get("method", "GET"), data=data, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            if n:
                gc_ms, full = gc_ms + collector.ms, full + collector.full
            runs.append((response, elapsed, recorder.stop(), path))
        response, elapsed, statements, path = runs[1]
        timed = sorted(r[1] for r in runs[1:])
        body = response.get_data().decode("utf-8", "replace")  # a page, or the QR's PNG
        slowest = sorted(statements, key=lambda s: -s["ms"])
        result = {
            "path": path, "status": response.status_code, "expected_status": page["status"],
            "queries": len(statements), "warmup_queries": len(runs[0][2]),
            "sql_ms": round(sum(s["ms"] for s in statements), 2), "counted_request_ms": round(elapsed, 2),
            "request_ms": round(timed[len(timed) // 2], 2), "timed_requests": len(timed),
            "queries_seen": sorted({len(r[2]) for r in runs[1:]}),
            "gc_ms_per_request": round(gc_ms / (len(runs) - 1), 2), "full_collections": full,
            "bytes": len(response.get_data()), "location": response.headers.get("Location", ""),
            "content_type": response.headers.get("Content-Type", ""),
            "statements": [{"sql": " ".join(s["sql"].split()), "ms": round(s["ms"], 2)} for s in statements],
            "shows": {},
        }
        for key, pattern in CHECKS.get(page["name"], []):
            if pattern is None:
                result["shows"][key] = body.count("已申报 ")
            elif match := re.search(pattern, body, re.S):
                result["shows"][key] = int(match.group(1))
        selects = [s for s in slowest if s["sql"].lstrip().upper().startswith("SELECT")]
        if with_explain and selects:
            with app.app_context():
                result["explain"] = {"sql": " ".join(selects[0]["sql"].split()), "ms": round(selects[0]["ms"], 2),
                                     "plan": explain(db, kind, selects[0])}
        results[page["name"]] = result
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text())
    waited = cpu.wait_for_quiet(None, 0.15, 20.0)
    before = cpu.Snapshot.take(None)
    results = measure(manifest, args.explain)
    after = cpu.Snapshot.take(None)
    results["_cpu"] = cpu.usage(before, after, after.own - before.own) | {"waited_for_quiet_s": waited,
                                                                          "probe_ms": cpu.probe()}
    args.result.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    for name, r in results.items():
        if name.startswith("_"):
            continue
        print(f"{name:18} {r['status']} {r['queries']:3} queries {r['sql_ms']:8.1f} ms SQL "
              f"{r['request_ms']:8.1f} ms {r['shows']}")


if __name__ == "__main__":
    main()
