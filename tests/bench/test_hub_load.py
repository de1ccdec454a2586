"""The pieces of `bench hub_load` at a tiny scale against the real hub (a few consoles, a few
seconds): the channels push and the hub stores, the consoles follow and measure their lag, the light
read of a page finds what the full parse finds, a poll behind is told from one that is not, and the
probe counts CPU. The benchmark itself is not a test (docs/benchmarks.md)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from types import SimpleNamespace

import httpx
import pytest

from bench.hub_load import Outcome, Stage
from bench.load_clients import SOURCES, LightFeed, _light_page, _parsed_page, run_channels, run_consoles
from bench.load_hub import bench_database, sign_in
from bench.load_probe import Probe, cpu_seconds, descendants
from orderdesk.sync.client import HubClient
from tests.conftest import order


def _run(target, config) -> dict:
    receiving, sending = multiprocessing.Pipe(duplex=False)
    thread = threading.Thread(target=target, args=(config, sending))
    thread.start()
    result = receiving.recv()
    thread.join(timeout=30)
    return result


def test_channels_push_at_a_rate_and_consoles_following_the_feed_see_the_orders_soon_after(hub):
    for number in (1, 2, 3):
        hub.store.add_user(f"station-{number:03d}", f"station-{number:03d}", "packer")
    for source in SOURCES:
        hub.store.add_user(f"push-{source}", f"push-{source}", "supervisor")
    tokens = [sign_in(hub.url, f"station-{number:03d}") for number in (1, 2, 3)]
    head = httpx.get(f"{hub.url}/v1/orders", params={"limit": 1}, headers={"Authorization": f"Bearer {tokens[0]}"})
    t_start = time.time() + 1.5
    common = {"url": hub.url, "t_start": t_start, "t_end": t_start + 3.0}
    consoles = {**common, "tokens": tokens, "cursor": head.json()["feed_cursor"], "interval": 0.5, "page_size": 2000,
                "parse": False}  # fmt: skip
    channels = {**common, "tokens": {s: sign_in(hub.url, f"push-{s}") for s in SOURCES}, "rate": 20.0,
                "push_every": 0.5, "first": 10_000_000, "seed": 1}  # fmt: skip
    results: dict[str, dict] = {}
    reader = threading.Thread(target=lambda: results.setdefault("consoles", _run(run_consoles, consoles)))
    reader.start()
    results["channels"] = _run(run_channels, channels)
    reader.join(timeout=30)
    pushed, followed = results["channels"], results["consoles"]
    assert not pushed["errors"] and not followed["errors"]
    assert pushed["orders_made"] >= 40 and pushed["orders_stored"] >= 30 and pushed["refused"] == 0
    assert pushed["observations_stored"] > 0 and pushed["push_ms"]
    assert followed["polls"] >= 6 and followed["changes"] > pushed["orders_stored"]
    assert len(followed["page_hub_ms"]) == len(followed["page_ms"]) > 0  # the hub's Server-Timing read
    lags = followed["order_lag_s"]
    assert len(lags) >= 3 * 30 and min(lags) > 0 and max(lags) < 10
    assert set(pushed["answered"]) >= {first for _, first in followed["poll_firsts"]}


def test_the_light_read_of_a_page_finds_what_the_full_parse_finds(hub):
    token = sign_in(hub.url, "supervisor")
    orders = [order(f"L{i}", created_at=f"2026-01-24T14:00:0{i}.25+08:00") for i in range(3)]
    httpx.post(f"{hub.url}/v1/ingest/douyin", json={"orders": orders}, headers={"Authorization": f"Bearer {token}"})

    async def both() -> tuple:
        async with HubClient(hub.url, token) as client, LightFeed(hub.url, token) as light:
            return await _light_page(light, "", 2), await _parsed_page(client, "", 2)

    light, parsed = asyncio.run(both())
    assert light[:4] == parsed[:4]
    assert light.has_more is True and [number for number, _ in light.orders] == ["L0", "L1"]
    assert light.orders[0][1] == pytest.approx(1769234400.25)  # 2026-01-24 06:00:00.25 UTC
    assert light.in_hub_ms is not None and parsed.in_hub_ms is None and light.took_ms > 0


def test_a_poll_is_more_than_one_behind_when_the_hub_had_answered_its_first_order_before_the_previous_poll():
    stage = Stage("goal", 2, 10.0, 10.0)
    consoles = {"page_ms": [1.0], "poll_firsts": [(10.0, "A"), (20.0, "B"), (30.0, "C")], "errors": []}
    channels = {"answered": {"A": 9.0, "B": 21.0}, "orders_stored": 100, "backlog_at_end": 0, "errors": []}
    outcome = Outcome(stage, SimpleNamespace(), consoles, channels, (0.0, 0.0, 0.0))
    assert outcome.polls_behind == [1.0]  # A was answered a second before the poll that missed it; C is unknown
    assert outcome.broken == ["1 polls more than one poll behind (by up to 1.0 s)"]


def test_the_probe_counts_a_process_groups_cpu_and_the_bench_never_makes_or_drops_the_test_database():
    probe = Probe({"me": lambda: descendants(os.getpid())}, every=0.1).start()
    started = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    window = probe.stop()
    assert window.groups["me"].cpu_s >= 0.25 and cpu_seconds(os.getpid()) - started >= 0.25
    assert window.groups["me"].rss_max_mb > 10 and window.seconds > 0.25
    with pytest.raises(ValueError, match="test"), bench_database(name="test"):
        pass
