"""Loading the hub's snapshot with both cores: worker processes fetch pages of the order listing and
prepare them while this process writes the pages before them. The syncing process never receives or
parses the pages itself (4 MB of JSON per 2,000 orders), so its GIL is the writer's.

The hub cuts the listing into pages ahead (`GET /v1/orders/pages`), so the workers read different
pages at once: a worker waiting for the hub to build its page leaves the core to another's parsing.
A page's `next` (the open last page, which reaches orders added since) is read after the others."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from orderdesk.sync.cache.apply import ApplyReport, CacheWriter, cycle_collection_paused
from orderdesk.sync.cache.pipeline import discard, start_preparing_workers, take_and_apply, worker_prepare
from orderdesk.sync.client import SnapshotReader

_reader: SnapshotReader | None = None


def fetch_and_prepare(base_url: str, token: str, after: str, limit: int) -> tuple[str, str | None, str, list[str]]:
    """In a worker: one page of the listing, prepared. (batch file, next page, feed cursor, unified ids)

    The page is parsed, prepared and let go with the cycle collector paused (cycle_collection_paused):
    parsing alone makes half a million objects, and the collector would scan them again and again."""
    global _reader
    if _reader is None or _reader.base_url != base_url.rstrip("/"):
        _reader = SnapshotReader(base_url, token)
    with cycle_collection_paused():
        page = _reader.orders(after, limit)
        orders = [entry["order"] for entry in page["orders"]]
        observations = [o for entry in page["orders"] for o in entry["observations"]]
        found = (worker_prepare(orders, observations), page["next"], page["feed_cursor"],
                 [order["domain_id"] for order in orders])  # fmt: skip
        del page, orders, observations  # freed here, not scanned once the collector is back
    return found


async def load_pages(
    writer: CacheWriter,
    base_url: str,
    token: str,
    pages: list[str],
    limit: int,
    workers: int,
    on_report: Callable[[ApplyReport, list[str]], None],
) -> str:
    """The listing's ``pages`` (page tokens), each followed by its own `next` pages; applied one
    transaction each, in the order they are read. Returns the feed cursor the listing started at."""
    cursor = ""
    waiting = list(pages)
    # Starting (spawning) and ending the workers both wait on processes: neither on the event loop.
    pool = await asyncio.to_thread(start_preparing_workers, writer, workers)
    pending: list[Future[Any]] = []

    def submit_ahead() -> None:  # two pages ahead per worker: one being read, one waiting
        while waiting and len(pending) < 2 * workers:
            pending.append(pool.submit(fetch_and_prepare, base_url, token, waiting.pop(0), limit))

    try:
        await asyncio.to_thread(submit_ahead)  # the first submit waits for the workers to start
        while pending:
            path, following, cursor, ids = await asyncio.wrap_future(pending.pop(0))
            if following is not None:
                waiting.append(following)
            submit_ahead()
            on_report(await asyncio.to_thread(take_and_apply, writer, path), ids)
    finally:
        discard(pending)
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
    return cursor
