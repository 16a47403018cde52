"""Two app nodes behind nginx (issue 14 item 6): two gunicorn instances of `wsgi:app` and Debian's nginx on loopback.

    python -m bench.nodes [postgresql|sqlite] [--scale 1.0] [--port N] [--workers 2] [--result PATH]

`running(env)` starts the two nodes (the same environment: one DATABASE_URL, one SECRET_KEY, production mode) on
two free loopback ports, and an nginx on a third with a throw-away configuration of its own (prefix, temporary
directories, pid file and error log in a temporary folder; `daemon off`; nothing of /etc/nginx is read): a
round-robin upstream of the two, X-Forwarded-For and X-Forwarded-Proto passed on (the nodes trust one proxy,
YKS_TRUSTED_PROXIES=1, so the app's client address is the client's, not nginx's), and a response header naming
the node that answered. Everything is stopped, by its process id, when the block ends.

e2e/test_two_nodes.py runs them and shows that logins, logout, the SMS limits, the 2-proxy limit, the 团体码
refresh cap and invite expiry hold across the nodes. `measure()` drives the benchmark's 50-client declaration
submissions (bench/load.py's own phases) through nginx; `python -m bench.nodes` does it against the database
bench/run.py seeded ($BENCH_WORK's manifest) and prints `render(result)`, a section for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench import settings

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN = str(settings.VENV_BIN / "gunicorn")
NODE_HEADER = "X-Yks-Node"  # nginx adds it: the upstream address that answered
NODE_NAMES = ("A", "B")
NODE_VARIABLE = "YKS_NODE"  # each node's name in its environment (the test's outbox says who sent a code)
OUTBOX_VARIABLE = "YKS_SMS_OUTBOX"
NEVER = {8765}  # the benchmark's own port (bench/settings.PORT): never taken here
STARTUP_SECONDS = 60


def port_is_free(port: int, host: str = settings.HOST) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = settings.HOST, taken: set[int] | frozenset[int] = frozenset()) -> int:
    """A port nothing listens on now (the kernel's choice), never 8765 nor one of `taken`."""
    while True:
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
        if port not in NEVER and port not in taken:
            return port


def nginx_conf(work: Path, port: int, upstreams: list[str]) -> str:
    """A configuration of its own: every path under `work`, round-robin over `upstreams`, one worker (a single
    client's consecutive requests then alternate between the nodes)."""
    # max_fails=0: a node that fails is never taken out of the turn (its errors show instead of being hidden)
    servers = "\n".join(f"        server {address} max_fails=0;" for address in upstreams)
    user = "user root;\n" if os.geteuid() == 0 else ""  # a root master would hand its workers to nobody otherwise
    return f"""{user}daemon off;
master_process on;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    client_max_body_size 4m;
    upstream yks_nodes {{
{servers}
    }}
    server {{
        listen {settings.HOST}:{port};
        location / {{
            proxy_pass http://yks_nodes;
            proxy_next_upstream off;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header {NODE_HEADER} $upstream_addr always;
        }}
    }}
}}
"""


def node_env(database_url: str, keys: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    """settings.app_env's production settings (no YKS_ENV, the benchmark's keys unless `keys`, the recording SMS
    sender) for the database at `database_url`, on the real clock (both nodes read the machine's) unless `extra`
    sets YKS_FROZEN_NOW."""
    env = settings.app_env("sqlite", date.today())
    del env["YKS_FROZEN_NOW"]
    return env | (keys or {}) | {"DATABASE_URL": database_url} | extra


@dataclass
class Cluster:
    url: str  # nginx, the one address clients use
    nodes: dict[str, str]  # "A"/"B" → the node's address, as nginx's header names it
    work: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def node_named(self, upstream: str | None) -> str | None:
        """The node whose address nginx's header gives (None for a response that no node answered)."""
        return next((name for name, address in self.nodes.items() if address == upstream), None)

    @property
    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running(env: dict[str, str], *, work: Path | None = None, port: int | None = None, workers: int = 2
            ) -> Iterator[Cluster]:
    """Two gunicorn nodes of `wsgi:app` with `env` (plus YKS_TRUSTED_PROXIES=1 and YKS_NODE) and nginx in front on
    `port` (a free one when None); logs and nginx's files go to `work` (a temporary folder, removed afterwards,
    when None)."""
    with ExitStack() as stack:
        if work is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="yks-nodes-")))
        work.mkdir(parents=True, exist_ok=True)
        port = port or free_port()
        if port in NEVER or not port_is_free(port):
            raise RuntimeError(f"port {port} is taken (or reserved for the benchmark): choose another")
        node_ports = {name: free_port(taken={port}) for name in NODE_NAMES}
        while len(set(node_ports.values())) < len(NODE_NAMES):
            node_ports["B"] = free_port(taken={port, node_ports["A"]})
        cluster = Cluster(f"http://{settings.HOST}:{port}",
                          {name: f"{settings.HOST}:{p}" for name, p in node_ports.items()}, work)
        try:
            for name, address in cluster.nodes.items():
                log = stack.enter_context(open(work / f"node-{name}.log", "w"))
                command = [GUNICORN, "--chdir", str(settings.ROOT), "-b", address, "-w", str(workers), "-k", "sync",
                           "--log-level", "warning", "wsgi:app"]
                cluster.processes[name] = subprocess.Popen(
                    command, cwd=settings.ROOT, stdout=log, stderr=subprocess.STDOUT,
                    env=env | {"YKS_TRUSTED_PROXIES": "1", NODE_VARIABLE: name})
            conf = work / "nginx.conf"
            conf.write_text(nginx_conf(work, port, list(cluster.nodes.values())))
            nginx_log = stack.enter_context(open(work / "nginx.out", "w"))
            cluster.processes["nginx"] = subprocess.Popen(
                [NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "nginx-error.log")],
                stdout=nginx_log, stderr=subprocess.STDOUT)
            _wait_until_up(cluster)
            yield cluster
        finally:
            for name in ("nginx", *NODE_NAMES):  # the proxy first, so no request reaches a node going away
                if name in cluster.processes:
                    _stop(cluster.processes[name], signal.SIGQUIT if name == "nginx" else signal.SIGTERM)


def _wait_until_up(cluster: Cluster) -> None:
    """The nodes first, then nginx (whose first request would otherwise reach a node not yet listening)."""
    deadline = time.time() + STARTUP_SECONDS
    for group in ({name: f"http://{address}" for name, address in cluster.nodes.items()}, {"nginx": cluster.url}):
        while group:
            for name, url in list(group.items()):
                process = cluster.processes[name]
                if process.poll() is not None:
                    log = cluster.work / ("nginx-error.log" if name == "nginx" else f"node-{name}.log")
                    raise RuntimeError(f"{name} exited at start (exit {process.returncode}):\n{_tail(log)}")
                if _healthy(url):
                    del group[name]
            if group and time.time() > deadline:
                raise RuntimeError(f"{', '.join(group)} did not answer /healthz within {STARTUP_SECONDS} s")
            if group:
                time.sleep(0.2)


class FileOutbox:
    """An SMS sender for e2e/test_two_nodes.py (YKS_SMS_SENDER=bench.nodes:FileOutbox): the recording sender's
    outbox, but as lines appended to the file $YKS_SMS_OUTBOX, so the test (another process) reads a code
    whichever node sent it, and which node that was."""

    def __init__(self) -> None:
        self.path = Path(os.environ[OUTBOX_VARIABLE])

    def send(self, phone: str, code: str, purpose: str = "login", **params: str) -> None:
        line = json.dumps({"phone": phone, "code": code, "purpose": purpose, "node": os.environ.get(NODE_VARIABLE)})
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (line + "\n").encode())  # one write: lines of two processes never interleave
        finally:
            os.close(descriptor)

    @staticmethod
    def read(path: Path) -> list[dict]:
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


# -- declaration submissions through nginx ----------------------------------------------------------------------

# bench/load.py's phases, by name: the bare endpoint (what nginx itself costs a request), "open the form and
# submit" and the POSTs of filled forms, 50 clients each.
PHASES = ("healthz:throughput", "submissions:throughput", "submissions:post-only")


def _snapshot(pids: dict[str, int]):
    """cpu.Snapshot whose `server` is the CPU of both nodes and nginx (their process trees), with each part's own."""
    from bench import cpu

    snap = cpu.Snapshot.take(None)
    table = cpu.processes()
    parts = {name: sum(table[p][2] for p in cpu.tree(table, pid)) for name, pid in pids.items()}
    snap.server = sum(parts.values())
    return snap, parts


def _measured_phase(target, phase: dict, procs: int, seed: int, pids: dict[str, int], quiet) -> dict:
    from bench import cpu, load

    waited = quiet.wait()
    before, parts_before = _snapshot(pids)
    summary = load.run_phase(target, phase, procs, seed)
    after, parts_after = _snapshot(pids)
    summary["cpu"] = cpu.usage(before, after, summary["cpu"]["load_s"]) | {
        f"{name}_s": round((parts_after[name] - parts_before[name]) / cpu.HZ, 1) for name in pids}
    summary["waited_for_quiet_s"] = waited
    return summary


def measure(manifest: dict, base: str, pids: dict[str, int], *, scale: float = 1.0, clients: int = settings.CLIENTS,
            procs: int = 2, quiet_budget: float = 30.0) -> dict:
    """bench/load.py's 50-client phases (PHASES) through nginx at `base`: {"phases": {name: load.run_phase's
    summary, its "cpu" split into nodes, nginx, PostgreSQL, load and other}}. Run with the servers' environment
    (session cookies are signed with their SECRET_KEY)."""
    from bench import load
    from yks_web import create_app

    target = load.Target(base, manifest, create_app(), random.Random(11), member_pool=5000)
    for phase in ({"kind": "page", "page": "healthz", "clients": 8, "seconds": 1.5, "limit": 5},
                  {"kind": "submit", "clients": 8, "seconds": 1.5, "limit": 6}):  # every worker warm
        load.run_phase(target, phase, procs, 1)
    quiet = load.Quiet(None, quiet_budget)
    out: dict = {"clients": clients, "procs": procs, "phases": {}, "phase_seconds": {}}
    # Each phase's seed is the one load.main gives it, so it draws the same members as the single-server run.
    for phase in load.phases(clients, scale, places=False):
        if phase["name"] not in PHASES:
            continue
        seed = phase["seed"]
        summary = _measured_phase(target, phase, procs, seed, pids, quiet)
        if summary["cpu"]["other_share"] > load.DISTURBED:  # once more when others took the machine, as load.main
            again = _measured_phase(target, phase, procs, seed, pids, quiet)
            summary = min((summary, again), key=lambda s: s["cpu"]["other_share"])
        out["phases"][phase["name"]] = summary
        out["phase_seconds"][phase["name"]] = phase["seconds"]
        print(phase["name"], json.dumps(summary), flush=True)
    return out


def nginx_version() -> str:
    done = subprocess.run([NGINX, "-v"], capture_output=True, text=True)
    return (done.stderr or done.stdout).strip().removeprefix("nginx version: nginx/")


ROWS = [
    ("bare endpoint `/healthz` (no database)", "healthz:throughput", "get"),
    ("open the form and submit (`GET` the form, `POST` it; 303 → 提交成功)", "submissions:throughput", "submit"),
    ("declaration submissions (`POST`s of filled forms; 303 → 提交成功)", "submissions:post-only", "submit"),
]


def render(result: dict) -> str:
    """The section for docs/BENCHMARKS.md: the rates through nginx, and where the CPU went."""
    lines = [
        "## Two nodes behind nginx (issue 14 item 6)",
        "",
        f"Two gunicorn instances of `wsgi:app` ({result['workers']} sync workers each, one database, one "
        f"SECRET_KEY; {result['kind']}) on loopback behind Debian's nginx {result['nginx']} (a round-robin "
        "upstream, `X-Forwarded-For`/`X-Forwarded-Proto` passed on, `YKS_TRUSTED_PROXIES=1`), driven by "
        f"bench/load.py's {result['clients']} clients through nginx. `e2e/test_two_nodes.py` shows on the same "
        "set-up that logins, logout, the SMS limits, the 2-proxy limit, the 团体码 refresh cap and invite expiry "
        "hold across the nodes: no rule keeps state in a process.",
        "",
        "| through nginx | ok/s | p50 ms | p95 ms | errors | CPU ms per ok (nodes + nginx) "
        "| CPU s: nodes · nginx · PostgreSQL · load · other |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for label, name, kind in ROWS:
        phase = result["phases"].get(name)
        if not phase or kind not in phase:
            lines.append(f"| {label} | – | – | – | not measured | – | |")
            continue
        row, used = phase[kind], phase["cpu"]
        errors = ", ".join(f"{k}: {v}" for k, v in row["errors"].items()) or "none"
        nodes = sum(used.get(f"{n}_s", 0.0) for n in NODE_NAMES)
        per_ok = used["server_s"] * 1000 / row["ok"] if row["ok"] else None
        lines.append(f"| {label} | {row['ok_per_s']} | {row['p50_ms']} | {row['p95_ms']} | {errors} | "
                     f"{'–' if per_ok is None else f'{per_ok:.1f}'} | {nodes:.1f} · {used.get('nginx_s', 0.0)} · "
                     f"{used['postgres_s']} · {used['load_s']} · {used['other_s']} |")
    seconds = ", ".join(f"{name} {s:g} s" for name, s in result["phase_seconds"].items())
    lines += ["", f"Phases: {seconds}. Rates are noisy on a shared 2-core machine (*other* is everyone else's CPU "
              "in the same seconds); the CPU per successful request (the form's GET counted in with its POST) is "
              "what the two nodes and nginx spent (their process trees in /proc), which depends far less on who "
              "else ran. PostgreSQL's column is every postgres process of the machine's.",
              ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", nargs="?", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every phase's time (0.25: a quick try)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_NODES_PORT", "0")) or None,
                        help="nginx's port (default: a free one; never 8765)")
    parser.add_argument("--workers", type=int, default=max(1, settings.WORKERS // 2), help="sync workers per node")
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes sharing the clients")
    parser.add_argument("--result", type=Path, help="JSON result (default: $BENCH_WORK/nodes-<kind>.json)")
    args = parser.parse_args(argv)
    manifest_file = settings.manifest_path(args.kind)
    if not manifest_file.exists():
        raise SystemExit(f"no {manifest_file}: seed first (python -m bench.seed {args.kind}, as bench/run.py does)")
    manifest = json.loads(manifest_file.read_text())
    # The servers' environment, in this process too: the load signs its cookies with their SECRET_KEY.
    env = settings.app_env(args.kind, date.fromisoformat(manifest["today"]))
    os.environ.update(env)
    with running(env, work=settings.WORK / f"nodes-{args.kind}", port=args.port, workers=args.workers) as cluster:
        result = measure(manifest, cluster.url, cluster.pids, scale=args.scale, procs=args.procs)
    result |= {"kind": args.kind, "workers": args.workers, "nodes": len(NODE_NAMES), "nginx": nginx_version()}
    out = args.result or settings.WORK / f"nodes-{args.kind}.json"
    out.write_text(json.dumps(result, indent=1))
    print(render(result))


if __name__ == "__main__":
    main()
