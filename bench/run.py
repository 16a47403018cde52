"""`make bench`: seed, count queries, serve with gunicorn, drive it, for SQLite and PostgreSQL; write the report.

    python -m bench.run [--databases sqlite,postgresql] [--scale 1.0] [--no-compare]

Every step is a separate process: the seeder, the in-process query counter, the gunicorn server
(production settings: no YKS_ENV, benchmark-only keys) and the load generator. Raw results go to
$BENCH_WORK (default /tmp/yks-bench), the report to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from bench import report, settings

PYTHON = str(settings.VENV_BIN / "python")
GUNICORN = str(settings.VENV_BIN / "gunicorn")

# gunicorn set-ups compared on PostgreSQL, on the phases that tell them apart, for half the time.
ALTERNATIVES = [
    {"worker_class": "sync", "workers": 2, "threads": 1},
    {"worker_class": "sync", "workers": 4, "threads": 1},
    {"worker_class": "sync", "workers": 8, "threads": 1},
    {"worker_class": "gthread", "workers": 2, "threads": 4},
]
COMPARED_PHASES = "healthz:throughput,day_detail:throughput,submissions:post-only"


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def run(args: list[str], env: dict, name: str) -> None:
    """A step in its own process; its output goes to a log file, and a failure stops the benchmark."""
    with open(settings.WORK / f"{name}.log", "w") as out:
        done = subprocess.run(args, env=env, cwd=settings.ROOT, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        sys.exit(f"{name} failed (exit {done.returncode}); see {settings.WORK / (name + '.log')}")


class Server:
    """gunicorn serving wsgi:app (or the benchmark's stack ceiling, bench/ceiling.py, on the next port), started and
    stopped by its process id."""

    def __init__(self, env: dict, worker_class: str, workers: int, threads: int, name: str,
                 app: str = "bench.serve:make_app()", port: int = settings.PORT):
        self.port = port
        self.command = [GUNICORN, "--chdir", str(settings.ROOT), "-b", f"{settings.HOST}:{port}",
                        "-w", str(workers), "-k", worker_class, "--log-level", "warning"]
        if worker_class == "gthread":
            self.command += ["--threads", str(threads)]
        self.command.append(app)  # by default wsgi.py's app and the benchmark's reference endpoint (bench/serve.py)
        self.env, self.name = env, name
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        try:
            socket.create_connection((settings.HOST, self.port), timeout=1).close()
        except OSError:
            pass
        else:
            sys.exit(f"something already listens on {settings.HOST}:{self.port}; set BENCH_PORT to a free port "
                     "(the stack ceiling takes the next one)")
        self.log = open(settings.WORK / f"{self.name}.log", "w")
        self.process = subprocess.Popen(self.command, env=self.env, cwd=settings.ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited at start; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"http://{settings.HOST}:{self.port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        sys.exit("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be benchmarked here, or None."""
    try:
        import psycopg

        server = settings.PG_SERVER.replace("+psycopg", "")
        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL does not answer at {settings.PG_SERVER}: {exc}"
    return None


def load(kind: str, env: dict, manifest: Path, name: str, args: list[str], server: Server,
         ceiling: Server | None = None) -> dict:
    """The load generator, in a process of its own, against the running server (and the stack ceiling's)."""
    result = settings.WORK / f"{name}.json"
    if ceiling is not None:
        args = [*args, "--ceiling-base", f"http://{settings.HOST}:{ceiling.port}",
                "--ceiling-pid", str(ceiling.process.pid)]
    run([PYTHON, "-m", "bench.load", str(manifest), str(result), "--base", f"http://{settings.HOST}:{settings.PORT}",
         "--clients", str(settings.CLIENTS), "--server-pid", str(server.process.pid), *args], env, name)
    return json.loads(result.read_text())


def bench_database(kind: str, today, scale: float, compare: bool, skip_seed: bool) -> dict:
    env = settings.app_env(kind, today)
    out: dict = {"url": settings.database_url(kind)}
    manifest = settings.manifest_path(kind)
    seed_result = settings.WORK / f"seed-{kind}.json"
    if not skip_seed:
        log(f"{kind}: seeding {settings.ORGANISATIONS} organisations × {settings.MEMBERS} members × "
            f"{settings.DAYS} days, a place with {settings.STATS_CHECKS:,} checks, an institution of "
            f"{settings.INSTITUTION_MEMBERS:,} members")
        run([PYTHON, "-m", "bench.seed", kind, "--manifest", str(manifest), "--result", str(seed_result)], env,
            f"seed-{kind}")
    out["seed"] = json.loads(seed_result.read_text())
    log(f"{kind}: seeded in {out['seed']['seconds']['total']} s; counting SQL per page")
    queries = settings.WORK / f"queries-{kind}.json"
    run([PYTHON, "-m", "bench.queries", str(manifest), str(queries), "--explain"], env, f"queries-{kind}")
    out["queries"] = json.loads(queries.read_text())
    main = {"worker_class": settings.WORKER_CLASS, "workers": settings.WORKERS, "threads": 1}
    log(f"{kind}: gunicorn {main['workers']} {main['worker_class']} workers; load from a second process")
    # Issue 14 item 1: the stack ceiling, with the same gunicorn set-up on the next port, beside the app's server.
    with (Server(env, main["worker_class"], main["workers"], 1, f"gunicorn-{kind}") as server,
          Server(env, main["worker_class"], main["workers"], 1, f"gunicorn-ceiling-{kind}", app="bench.ceiling:app",
                 port=settings.PORT + 1) as ceiling):
        out["load"] = load(kind, env, manifest, f"load-{kind}", ["--scale", str(scale)], server, ceiling)
        out["server"] = main | {"command": short(server.command), "ceiling_command": short(ceiling.command)}
    if kind == "postgresql":  # issue 14 item 6: the production database's submissions through nginx to two nodes
        log(f"{kind}: two nodes behind nginx")
        nodes = settings.WORK / f"nodes-{kind}.json"
        run([PYTHON, "-m", "bench.nodes", kind, "--scale", str(scale), "--result", str(nodes)], env, f"nodes-{kind}")
        out["nodes"] = json.loads(nodes.read_text())
    if compare:
        out["compare"] = []
        for alt in ALTERNATIVES:
            name = f"{alt['worker_class']}-{alt['workers']}x{alt['threads']}"
            log(f"{kind}: comparing gunicorn {name}")
            with Server(env, alt["worker_class"], alt["workers"], alt["threads"], f"gunicorn-{kind}-{name}") as s:
                result = load(kind, env, manifest, f"load-{kind}-{name}",
                              ["--scale", str(scale / 2), "--only", COMPARED_PHASES, "--quiet-budget", "10",
                               "--retries", "0"], s)
            out["compare"].append(alt | {"load": result})
    return out


def short(command: list[str]) -> str:
    return " ".join(command).replace(str(settings.VENV_BIN) + "/", ".venv/bin/")


def small_counts(today) -> dict:
    """Q3: the same pages on a 2 × 5-member school, a place with 20 checks, an institution of 5 members, 团体码
    groups of 2 people, to show the statements do not grow with the size."""
    url = f"sqlite:///{settings.WORK / 'yks-bench-small.sqlite'}"
    env = settings.app_env("sqlite", today) | {"DATABASE_URL": url}
    manifest = settings.WORK / "manifest-small.json"
    run([PYTHON, "-m", "bench.seed", "sqlite", "--orgs", "2", "--members", "5", "--days", "3", "--visitors", "100",
         "--checks", "20", "--gate-checks", "10", "--inspectors", "2", "--gate-inspectors", "3",
         "--institution-members", "5", "--groups", str(settings.GROUPS), "--group-people", "2", "--url", url,
         "--manifest", str(manifest)], env, "seed-small")
    result = settings.WORK / "queries-small.json"
    run([PYTHON, "-m", "bench.queries", str(manifest), str(result)], env, "queries-small")
    return json.loads(result.read_text())


def machine_facts(today) -> dict:
    def command(*args: str) -> str:
        try:
            return subprocess.run(args, cwd=settings.ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
        except OSError:
            return ""

    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.processor())
    pg_version = ""
    try:
        import psycopg

        with psycopg.connect(f"{settings.PG_SERVER.replace('+psycopg', '')}/postgres", connect_timeout=3) as conn:
            pg_version = conn.execute("SHOW server_version").fetchone()[0]
            pg_settings = {name: conn.execute(f"SHOW {name}").fetchone()[0]
                           for name in ("shared_buffers", "work_mem", "random_page_cost", "synchronous_commit")}
    except Exception:
        pg_settings = {}
    status = command("git", "status", "--porcelain", "--untracked-files=no")
    return {
        "date": datetime.now(settings.TZ).strftime("%Y-%m-%d %H:%M %Z"),
        "bench_today": today.isoformat(),
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu_model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
        "postgresql_settings": pg_settings,
        "gunicorn": command(GUNICORN, "--version").replace("gunicorn (version ", "").rstrip(")"),
        "commit": command("git", "rev-parse", "--short=12", "HEAD"),
        "commit_subject": command("git", "log", "-1", "--format=%s"),
        "uncommitted_changes": bool(status),
        "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgresql"))
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")),
                        help="multiplies the load phases' durations")
    parser.add_argument("--no-compare", action="store_true", help="skip the gunicorn worker comparison")
    parser.add_argument("--skip-seed", action="store_true",
                        help="reuse the databases of the last run (trying changes to the load; figures drift)")
    parser.add_argument("--report", type=Path, default=settings.REPORT)
    args = parser.parse_args(argv)
    started = time.time()
    settings.WORK.mkdir(parents=True, exist_ok=True)
    today = settings.bench_today()
    results: dict = {"machine": machine_facts(today), "databases": {}}
    log(f"results in {settings.WORK}; the server's clock is frozen at {today} {settings.FROZEN_TIME} Asia/Shanghai")
    log("query counts on a 2 × 5-member school (Q3)")
    results["small"] = small_counts(today)
    for kind in args.databases.split(","):
        if kind == "postgresql" and (problem := postgres_problem()):
            log(problem)
            results["databases"][kind] = {"skipped": problem}
            continue
        compare = kind == "postgresql" and not args.no_compare
        results["databases"][kind] = bench_database(kind, today, args.scale, compare, args.skip_seed)
    results["seconds"] = round(time.time() - started)
    (settings.WORK / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report.render(results))
    log(f"done in {results['seconds']} s: {args.report}")
    for line in report.verdicts(results):
        log(line)


if __name__ == "__main__":
    main()
