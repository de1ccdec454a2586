"""Where the CPU and memory went during a load stage, read from /proc (Linux): CPU seconds and RSS of
process groups (the hub's processes, PostgreSQL's, the benchmark's own clients) and of the machine as
a whole, so a stage can say which of them ran out of room. Other engineers' work on the same cores
shows up as the machine's busy time that none of the groups account for."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) ": state is field 0


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far; None once it is gone."""
    times = cpu_times(pid)
    return None if times is None else sum(times)


def cpu_times(pid: int) -> tuple[float, float] | None:
    """(user, system) CPU seconds of a process so far: its own code, and the kernel working for it."""
    fields = _stat_fields(pid)
    return None if fields is None else (int(fields[11]) / TICKS, int(fields[12]) / TICKS)


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * PAGE_KB / 1024
    except OSError:
        return None


def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat_fields(int(name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def postgres_processes(database: str) -> list[int]:
    """PostgreSQL's server processes (postmaster, WAL writer, checkpointer…) and the backends connected
    to ``database``; backends of other databases (other people's tests) are left to "others"."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/comm", encoding="ascii", errors="replace") as f:
                if f.read().strip() != "postgres":
                    continue
            with open(f"/proc/{name}/cmdline", encoding="utf-8", errors="replace") as f:
                words = f.read().replace("\0", " ").split()
        except OSError:
            continue
        backend = len(words) >= 3 and words[0] == "postgres:" and "(" in " ".join(words)
        if not backend or database in words:
            pids.append(int(name))
    return pids


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, all cores together."""
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values[:8]) - idle, sum(values[:8])


@dataclass
class GroupUse:
    cpu_s: float = 0.0  # CPU seconds used during the window, all processes of the group
    system_s: float = 0.0  # of which in the kernel on the group's behalf (system calls: sockets, files)
    busiest_s: float = 0.0  # the CPU seconds of its busiest process (a hub worker runs its Python on one core)
    rss_first_mb: float = 0.0
    rss_last_mb: float = 0.0
    rss_max_mb: float = 0.0  # the group's largest total RSS in a sample
    largest_process_mb: float = 0.0


@dataclass
class Window:
    seconds: float
    cores: int
    machine_busy_s: float
    groups: dict[str, GroupUse] = field(default_factory=dict)

    def share(self, name: str) -> float:
        """The group's CPU as a percentage of one core."""
        return 100 * self.groups[name].cpu_s / self.seconds

    @property
    def busy_percent(self) -> float:
        """The machine's busy time as a percentage of one core (200 % = both cores of two)."""
        return 100 * self.machine_busy_s / self.seconds

    @property
    def others_percent(self) -> float:
        return self.busy_percent - sum(self.share(name) for name in self.groups)


class Probe:
    """Samples the groups every ``every`` seconds on a thread, between start() and stop(). A process
    counts from its first sample (so start the clients before the window) to its last (its CPU is
    kept after it ends)."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]], every: float = 1.0) -> None:
        self.groups = groups
        self.every = every
        self._first: dict[int, tuple[float, float]] = {}  # the first and the latest (user, system) of every pid
        self._latest: dict[int, tuple[float, float]] = {}
        self._members: dict[str, set[int]] = {name: set() for name in groups}
        self._use = {name: GroupUse() for name in groups}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="load-probe")
        self._started = 0.0
        self._machine_start = 0

    def start(self) -> Probe:
        self._started = time.monotonic()
        self._machine_start = machine_ticks()[0]
        self._sample(first=True)
        self._thread.start()
        return self

    def stop(self) -> Window:
        self._stop.set()
        self._thread.join()
        self._sample()
        seconds = time.monotonic() - self._started
        busy = (machine_ticks()[0] - self._machine_start) / TICKS
        for name, members in self._members.items():
            seen = [p for p in members if p in self._first]
            self._use[name].system_s = sum(self._latest[p][1] - self._first[p][1] for p in seen)
            used = {p: sum(self._latest[p]) - sum(self._first[p]) for p in seen}
            self._use[name].cpu_s = sum(used.values())
            self._use[name].busiest_s = max(used.values(), default=0.0)
        return Window(seconds, os.cpu_count() or 1, busy, self._use)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self, first: bool = False) -> None:
        for name, pids_of in self.groups.items():
            use, total_rss, largest = self._use[name], 0.0, 0.0
            for pid in pids_of():
                cpu = cpu_times(pid)
                if cpu is None:
                    continue
                self._members[name].add(pid)
                self._first.setdefault(pid, cpu)
                self._latest[pid] = cpu
                rss = rss_mb(pid) or 0.0
                total_rss += rss
                largest = max(largest, rss)
            if first:
                use.rss_first_mb = total_rss
            use.rss_last_mb = total_rss
            use.rss_max_mb = max(use.rss_max_mb, total_rss)
            use.largest_process_mb = max(use.largest_process_mb, largest)
