"""Benchmark: the hub under a warehouse's load, on PostgreSQL with several hub worker processes.

    ./dev bench hub_load [--consoles 100] [--rate 200] [--workers 2] [--duration 60] [--no-ramp]

100 consoles follow the change feed at once over loopback (each as the console's background sync:
`GET /v1/changes?cursor=…` every 5 s after its last sync ended, its own token and connection,
applying nothing) while the channels push 200 new orders a second with their observations through
`POST /v1/ingest/{source}`. The hub is `orderdesk hub --workers N` on a database of the benchmark's
own (`orderdesk_bench_<pid>` on 127.0.0.1:5432, dropped afterwards), seeded first with demo orders
through the hub's write path (timed: the seeder's rate is printed too).

Goals, per stage: feed page p99 <= 200 ms; no console more than one poll behind (no poll brings an
order that was made before the previous poll began); ingest keeps up (orders stored >= 97 % of the
rate, nothing left queued at the end); hub RSS bounded. After the goal stage the load is ramped
(ingest x1.5 a step, then consoles x2 a step) until a goal breaks, and the stage says where the CPU
went: the hub, PostgreSQL, the benchmark's own clients, and everything else on the machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load_clients import SOURCES, run_channels, run_consoles
from bench.load_hub import SERVER, bench_database, feed_head, hub_workers, sign_in
from bench.load_probe import Probe, Window, descendants, postgres_processes

STATIONS = 100  # named station users (packers, clerks, supervisors); more consoles sign in as them again
FEED_P99_MS = 200.0
KEEP_UP = 0.97
HERE = Path(__file__).resolve().parent.parent  # this checkout


@dataclass
class Stage:
    name: str
    consoles: int
    rate: float
    seconds: float


@dataclass
class Outcome:
    stage: Stage
    window: Window
    consoles: dict[str, Any]
    channels: dict[str, Any]
    hub_rss: tuple[float, float, float]  # first, last, largest total of the hub's processes (MB)

    @property
    def polls_behind(self) -> list[float]:
        """For each poll more than one poll behind: by how much (seconds the hub had already answered
        the push of the first order it brought when the previous poll began)."""
        answered = self.channels["answered"]
        return [previous - answered[first] for previous, first in self.consoles["poll_firsts"]
                if first in answered and answered[first] < previous]  # fmt: skip

    @property
    def feed_p99(self) -> float:
        return _percentile(self.consoles["page_ms"], 99)

    @property
    def stored_rate(self) -> float:
        return self.channels["orders_stored"] / self.stage.seconds

    @property
    def broken(self) -> list[str]:
        """The goals this stage missed, in words."""
        missed = []
        if self.feed_p99 > FEED_P99_MS:
            missed.append(f"feed p99 {self.feed_p99:.0f} ms > {FEED_P99_MS:.0f} ms")
        if self.polls_behind:
            missed.append(f"{len(self.polls_behind)} polls more than one poll behind (by up to "
                          f"{max(self.polls_behind):.1f} s)")  # fmt: skip
        if self.stored_rate < KEEP_UP * self.stage.rate or self.channels["backlog_at_end"] > len(SOURCES):
            missed.append(f"ingest stored {self.stored_rate:.0f}/s of {self.stage.rate:.0f}/s, "
                          f"{self.channels['backlog_at_end']} pushes still queued")  # fmt: skip
        errors = len(self.consoles["errors"]) + len(self.channels["errors"])
        if errors:
            missed.append(f"{errors} errors")
        return missed


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = merged.get(key, 0) + value
    return merged


class Run:
    """One hub, its users and tokens, and the stages played against it."""

    def __init__(self, args: argparse.Namespace, address: str, hub_pid: int) -> None:
        self.args = args
        self.address = address
        self.hub_pid = hub_pid
        self.console_tokens: list[str] = []
        self.push_tokens = {source: sign_in(address, f"push-{source}") for source in SOURCES}
        self.reader = self.push_tokens["taobao"]
        self.stages_run = 0
        self.context = multiprocessing.get_context("spawn")

    def tokens(self, count: int) -> list[str]:
        while len(self.console_tokens) < count:  # each console its own sign-in (scrypt at the hub: not timed)
            self.console_tokens.append(sign_in(self.address, f"station-{len(self.console_tokens) % STATIONS + 1:03d}"))
        return self.console_tokens[:count]

    def play(self, stage: Stage) -> Outcome:
        tokens = self.tokens(stage.consoles)
        cursor = feed_head(self.address, self.reader)
        settle = self.args.interval + 4.0  # every console has synced once, the pushes are flowing
        t_start = time.time() + settle
        t_end = t_start + stage.seconds
        self.stages_run += 1
        common = {"url": self.address, "t_start": t_start, "t_end": t_end}
        processes, pipes = [], []
        share = max(1, -(-stage.consoles // self.args.client_processes))
        for part in range(0, stage.consoles, share):
            config = {**common, "tokens": tokens[part : part + share], "cursor": cursor,
                      "interval": self.args.interval, "page_size": self.args.page_size, "parse": self.args.parse}  # fmt: skip
            processes.append(self._start(run_consoles, config, pipes))
        channel_config = {**common, "tokens": self.push_tokens, "rate": stage.rate, "push_every": self.args.push_every,
                          "first": 10_000_000 * self.stages_run, "seed": self.stages_run}  # fmt: skip
        processes.append(self._start(run_channels, channel_config, pipes))
        console_pids = [p.pid for p in processes[:-1]]
        database = self.args.database
        groups = {"hub": lambda: descendants(self.hub_pid), "postgres": lambda: postgres_processes(database),
                  "consoles": lambda: console_pids, "channels": lambda: [processes[-1].pid]}  # fmt: skip
        time.sleep(max(0.0, t_start - time.time()))
        probe = Probe(groups).start()
        time.sleep(max(0.0, t_end - time.time()))
        window = probe.stop()
        results = [pipe.recv() for pipe in pipes]  # the channels drain their queues first
        for process in processes:
            process.join(timeout=60)
        hub = window.groups["hub"]
        return Outcome(stage, window, _merge(results[:-1]), results[-1],
                       (hub.rss_first_mb, hub.rss_last_mb, hub.rss_max_mb))  # fmt: skip

    def _start(self, target: Any, config: dict[str, Any], pipes: list[Any]) -> Any:
        receiving, sending = self.context.Pipe(duplex=False)
        process = self.context.Process(target=target, args=(config, sending), daemon=True)
        process.start()
        sending.close()
        pipes.append(receiving)
        return process


def prepare(url: str, orders: int, code: Path) -> tuple[float, int]:
    """Users, then ``orders`` demo orders through the hub's write path, with the hub code in ``code``;
    (seconds seeding, observations)."""
    environment = {**os.environ, "PYTHONPATH": str(HERE)}  # the bench package; ``code`` comes first on sys.path
    done = subprocess.run([sys.executable, "-m", "bench.load_seed", url, str(orders), str(STATIONS), *SOURCES],
                          cwd=code, env=environment, capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed: {done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["observations"]


def print_header() -> None:
    print(f"{'stage':<14}{'consoles':>9}{'rate/s':>8}{'stored/s':>9}{'push p99':>9}{'feed p50':>9}{'feed p99':>9}{'in hub':>7}"
          f"{'lag p50':>8}{'lag p99':>8}{'lag max':>8}{'behind':>7}  {'hub':>5}{'pg':>5}{'cons':>5}{'chan':>5}"
          f"{'other':>6}{'idle':>5}  {'hub RSS MB':>15}  goals")  # fmt: skip
    print(f"{'':<14}{'':>9}{'':>8}{'':>9}{'ms':>9}{'ms':>9}{'ms':>9}{'p99':>7}{'s':>8}{'s':>8}{'s':>8}{'polls':>7}  "
          f"{f'CPU, % of one core ({os.cpu_count()} cores)':<31}  {'first→last (max)':>15}")  # fmt: skip


def print_outcome(outcome: Outcome) -> None:
    c, ch, w = outcome.consoles, outcome.channels, outcome.window
    lags = c["order_lag_s"]
    cores = w.cores * 100
    idle = max(0.0, cores - w.busy_percent)
    first, last, largest = outcome.hub_rss
    verdict = "met" if not outcome.broken else "MISSED: " + "; ".join(outcome.broken)
    print(f"{outcome.stage.name:<14}{outcome.stage.consoles:>9}{outcome.stage.rate:>8.0f}{outcome.stored_rate:>9.0f}"
          f"{_percentile(ch['push_ms'], 99):>9.0f}{_percentile(c['page_ms'], 50):>9.0f}{outcome.feed_p99:>9.0f}"
          f"{_percentile(c['page_hub_ms'], 99):>7.0f}"
          f"{_percentile(lags, 50):>8.2f}{_percentile(lags, 99):>8.2f}{max(lags, default=float('nan')):>8.2f}"
          f"{len(outcome.polls_behind):>4}/{c['polls']:<4}"
          f"{w.share('hub'):>5.0f}{w.share('postgres'):>5.0f}{w.share('consoles'):>5.0f}{w.share('channels'):>5.0f}"
          f"{w.others_percent:>6.0f}{idle:>5.0f}  {first:>5.0f}→{last:>4.0f} ({largest:>4.0f})  {verdict}")  # fmt: skip
    for error in (c["errors"] + ch["errors"])[:3]:
        print(f"{'':<14}error: {error}")


def saturation(outcome: Outcome) -> str:
    """Which resource ran out when this stage missed its goals, from where the CPU went."""
    w = outcome.window
    cores = w.cores * 100
    idle = max(0.0, cores - w.busy_percent)
    users = {"the hub's workers": w.share("hub"), "PostgreSQL": w.share("postgres"),
             "the benchmark's clients": w.share("consoles") + w.share("channels"),
             "other work on the machine": max(0.0, w.others_percent)}  # fmt: skip
    ranked = ", ".join(f"{name} {share:.0f} %" for name, share in sorted(users.items(), key=lambda i: -i[1]))
    busiest = 100 * w.groups["hub"].busiest_s / w.seconds
    ranked += f" (the busiest hub process {busiest:.0f} %)"
    if idle < 0.1 * cores:
        return f"CPU ran out ({idle:.0f} % of {cores} % idle): {ranked}"
    if busiest >= 80:
        return (f"one hub process used up its core ({busiest:.0f} %; a worker's Python runs on one core at a time) "
                f"while {idle:.0f} % of {cores} % was idle: {ranked}")  # fmt: skip
    return f"CPU was left ({idle:.0f} % of {cores} % idle): waiting, not computing, set the limit; CPU: {ranked}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consoles", type=int, default=100)
    parser.add_argument("--rate", type=float, default=200.0, help="new orders a second, with their observations")
    parser.add_argument("--workers", type=int, default=2, help="hub worker processes (orderdesk hub --workers)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured at the goal load")
    parser.add_argument("--ramp-duration", type=float, default=30.0, help="seconds measured per ramp step")
    parser.add_argument("--ramp-steps", type=int, default=4, help="at most this many steps of each ramp")
    parser.add_argument("--no-ramp", action="store_true", help="only the goal load")
    parser.add_argument("--interval", type=float, default=5.0, help="a console's sync interval (its default: 5 s)")
    parser.add_argument("--page-size", type=int, default=2000, help="feed page size (the console's Syncer: 2000)")
    parser.add_argument("--parse", action="store_true", help="consoles parse every page (HubClient), not a light read")
    parser.add_argument("--push-every", type=float, default=0.5, help="seconds between two pushes of a source")
    parser.add_argument("--seed-orders", type=int, default=20_000, help="demo orders in the hub before the load")
    parser.add_argument("--client-processes", type=int, default=2, help="processes the consoles are spread over")
    parser.add_argument("--code", type=Path, default=HERE,
                        help="run the hub (and the seeder) from this source tree, e.g. an older commit's "
                        "(git archive REV orderdesk | tar -x -C DIR; before the move to orderdesk/: app hub sync printing resources): before and after")  # fmt: skip
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL (a database is made there)")
    args = parser.parse_args()

    args.database = f"orderdesk_bench_{os.getpid()}"
    with tempfile.TemporaryDirectory() as folder, bench_database(args.server, args.database) as url:
        seconds, observations = prepare(url, args.seed_orders, args.code)
        if args.seed_orders:
            print(f"seeding {args.seed_orders:,} demo orders ({observations:,} observations) through the hub's write "
                  f"path into PostgreSQL: {seconds:.1f} s, {args.seed_orders / seconds:,.0f} orders/s")  # fmt: skip
        with hub_workers(url, args.workers, Path(folder), args.code) as (address, process):
            run = Run(args, address, process.pid)
            code = "" if args.code == HERE else f" (code: {args.code})"
            print(f"hub{code}: {args.workers} worker processes on {url.rsplit('@', 1)[-1]}; consoles sync every "
                  f"{args.interval:g} s, pages of {args.page_size}; each source pushes every {args.push_every:g} s")  # fmt: skip
            print_header()
            goal = run.play(Stage("goal", args.consoles, args.rate, args.duration))
            print_outcome(goal)
            outcomes = [goal]
            if not args.no_ramp:
                outcomes += _ramp(run, args, "ingest", lambda s: Stage(f"ingest x{1.5**s:.2f}", args.consoles,
                                                                          args.rate * 1.5**s, args.ramp_duration))  # fmt: skip
                outcomes += _ramp(run, args, "consoles", lambda s: Stage(f"consoles x{2**s}", args.consoles * 2**s,
                                                                            args.rate, args.ramp_duration))  # fmt: skip
    _summary(outcomes)


def _ramp(run: Run, args: argparse.Namespace, what: str, stage_of: Any) -> list[Outcome]:
    outcomes = []
    for step in range(1, args.ramp_steps + 1):
        outcome = run.play(stage_of(step))
        print_outcome(outcome)
        outcomes.append(outcome)
        if outcome.broken:
            break
    return outcomes


def _summary(outcomes: list[Outcome]) -> None:
    goal = outcomes[0]
    print()
    print(f"goal load ({goal.stage.consoles} consoles, {goal.stage.rate:.0f} orders/s): "
          + ("all goals met" if not goal.broken else "MISSED: " + "; ".join(goal.broken)))  # fmt: skip
    print(f"  where its CPU went: {saturation(goal)}")
    kernel = {name: 100 * use.system_s / max(use.cpu_s, 1e-9) for name, use in goal.window.groups.items()}
    print("  of which in the kernel (system calls: mostly sockets): "
          + ", ".join(f"{name} {share:.0f} %" for name, share in kernel.items()))  # fmt: skip
    lags = goal.consoles["order_lag_s"]
    if lags:
        print(f"  ingest → console lag: mean {statistics.fmean(lags):.2f} s (a console syncs every few seconds, "
              f"so half an interval is the floor), p99 {_percentile(lags, 99):.2f} s")  # fmt: skip
    for outcome in outcomes[1:]:
        if outcome.broken:
            print(f"saturates at {outcome.stage.name} ({outcome.stage.consoles} consoles, {outcome.stage.rate:.0f} "
                  f"orders/s): {'; '.join(outcome.broken)}")  # fmt: skip
            print(f"  {saturation(outcome)}")


if __name__ == "__main__":
    main()
