"""Who used the CPU during a phase: the server, PostgreSQL, the load generator, and everything else.

The machine has 2 cores and other people's processes (tests, browsers) may run on it too. Each phase
records the CPU seconds of each part, from /proc, so the report can say when a figure was measured
on a busy machine; before a phase the load generator waits (boundedly) for the others to quieten.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

HZ = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def machine_busy() -> int:
    """Ticks the whole machine spent on anything but idle and I/O wait."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def processes() -> dict[int, tuple[int, str, int]]:
    """pid → (parent pid, command name, user+system ticks)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1: raw.rindex(")")]
        rest = raw[raw.rindex(")") + 2:].split()
        out[int(entry)] = (int(rest[1]), comm, int(rest[11]) + int(rest[12]))
    return out


def tree(table: dict, root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in table and pid not in found:
            found.add(pid)
            todo += children.get(pid, [])
    return found


@dataclass
class Snapshot:
    at: float
    busy: int
    server: int
    postgres: int
    own: float  # this process's CPU seconds

    @classmethod
    def take(cls, server_pid: int | None) -> Snapshot:
        table = processes()
        server = sum(table[p][2] for p in tree(table, server_pid)) if server_pid else 0
        postgres = sum(t for _, comm, t in table.values() if comm.startswith("postgres"))
        times = os.times()
        return cls(time.time(), machine_busy(), server, postgres, times.user + times.system)


def usage(before: Snapshot, after: Snapshot, load_cpu: float) -> dict:
    """CPU seconds per part between two snapshots; load_cpu is what the load generator's processes used."""
    wall = max(after.at - before.at, 1e-6)
    busy = (after.busy - before.busy) / HZ
    server = (after.server - before.server) / HZ
    postgres = (after.postgres - before.postgres) / HZ
    other = max(busy - server - postgres - load_cpu, 0.0)
    return {
        "wall_s": round(wall, 1), "server_s": round(server, 1), "postgres_s": round(postgres, 1),
        "load_s": round(load_cpu, 1), "other_s": round(other, 1),
        "other_share": round(other / wall / CORES, 2), "busy_share": round(busy / wall / CORES, 2),
    }


def wait_for_quiet(server_pid: int | None, threshold: float, max_wait: float) -> float:
    """Wait (at most max_wait s) until processes outside the benchmark use < threshold of the machine."""
    started = time.time()
    while True:
        before = Snapshot.take(server_pid)
        time.sleep(1.0)
        after = Snapshot.take(server_pid)
        quiet = usage(before, after, after.own - before.own)["other_share"] < threshold
        if quiet or time.time() - started >= max_wait:
            return round(time.time() - started, 1)


def probe() -> float:
    """Milliseconds for a fixed pure-Python loop: how fast the machine runs Python right now (lower is faster).

    Shared virtual machines change speed with their neighbours; this tells a slow phase from a slow app.
    """
    started = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i * i % 7
    return round((time.perf_counter() - started) * 1000, 1)
