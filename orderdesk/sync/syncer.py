"""Keeping the cache in step with the hub: push the outbox, then pull the change feed.

Each page is applied in one local transaction together with the cursor that follows it, so a kill
at any moment either keeps the page and its cursor or neither; pages come at least once and applying
is idempotent, so nothing is lost and nothing doubles. A 410 (cursor older than the hub keeps)
relists every order, reconciles, and goes on from the feed position the listing started at.
Database work runs in a worker thread: the event loop (the console's) only waits."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from orderdesk.sync import outbox, sync_state
from orderdesk.sync.cache import invoices as cached_invoices
from orderdesk.sync.cache import refold
from orderdesk.sync.cache import stock as cached_stock
from orderdesk.sync.cache.apply import ApplyReport, CacheWriter
from orderdesk.sync.cache.pipeline import sweep_hand_over_files
from orderdesk.sync.client import CursorGone, HubClient, HubError
from orderdesk.sync.snapshot_load import load_pages

log = logging.getLogger(__name__)
RETURNING_AFTER_S = 2 * 86_400  # an order the feed changes that was made longer ago may have been pruned


def _timestamp(text: Any) -> float:
    """Seconds since the epoch of an ISO time, or +inf when it is none (then it is not old)."""
    try:
        return datetime.fromisoformat(str(text)).timestamp()
    except ValueError:
        return math.inf


CURSOR = "feed_cursor"
FIRST_PAGE = 200


@dataclass(slots=True)
class SyncSummary:
    orders_applied: int = 0
    observations_applied: int = 0
    anomalies_found: int = 0
    quarantined: int = 0
    actions_pushed: int = 0
    actions_refused: int = 0
    actions_pending: int = 0
    pages: int = 0
    refolded: int = 0  # orders folded again because the fold's rules changed
    invoices_applied: int = 0
    stock_applied: int = 0
    relisted: bool = False
    missing_at_hub: list[str] = field(default_factory=list)
    caught_up: bool = False

    def add(self, report: ApplyReport) -> None:
        self.orders_applied += report.orders_new + report.orders_updated
        self.observations_applied += report.observations_new
        self.anomalies_found += report.anomalies_opened
        self.quarantined += len(report.quarantined)

    def as_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Syncer:
    WORKERS = 2  # measured on 2 cores (bench/sync_orders.py): see docs/benchmarks.md

    def __init__(
        self,
        client: HubClient,
        writer: CacheWriter,
        *,
        page_size: int = 2000,
        apply_changes: int = 8000,
        workers: int | None = None,
    ) -> None:
        self.client = client
        self.writer = writer
        self.cache = writer.cache
        self.page_size = page_size
        # Feed pages are applied several at a time: an order's observations come spread over pages,
        # and each transaction that touches a cached order loads and folds it again (measured, 10k
        # orders replayed: 6.3 s at 2,000 changes a transaction, 4.7 s at 6,000, 4.0 s at 12,000).
        self.apply_changes = apply_changes
        # processes that fetch and prepare snapshot pages beside the writer (0: none)
        self.workers = self.WORKERS if workers is None else workers

    async def run_once(self) -> SyncSummary:
        """Push what waits in the outbox, pull until caught up."""
        summary = SyncSummary()
        await asyncio.to_thread(sweep_hand_over_files)  # what a killed run may have left in /dev/shm
        if await asyncio.to_thread(refold.needed, self.cache):  # the fold's rules changed since it was folded
            summary.refolded = (
                await asyncio.to_thread(refold.refold, self.cache, operator=self.writer.operator)
            ).orders
        await self.push(summary)
        await self.pull(summary)
        summary.actions_pending = await asyncio.to_thread(self._count_pending)
        return summary

    # -- push -----------------------------------------------------------------------------------
    def _count_pending(self) -> int:
        with self.cache.read() as c:
            return outbox.count_pending(c)

    async def push(self, summary: SyncSummary) -> None:
        """Send pending actions one by one (the hub takes one per request), recording the answers a
        batch at a time: an action sent but not yet recorded is sent again next time, and the hub
        replays its first answer for the same idempotency key, so it still takes effect once."""
        while True:
            batch = await asyncio.to_thread(self._pending)
            if not batch:
                return
            answers: list[tuple[str, dict[str, Any] | None, str | None, bool]] = []  # key, result, error, refused
            try:
                for action in batch:
                    try:
                        result = await self.client.act(action.key, action.kind, action.order, action.payload)
                    except HubError as exc:
                        refused = not exc.retryable and exc.status != 401
                        answers.append((action.key, None, str(exc), refused))
                        if refused:
                            summary.actions_refused += 1
                            continue
                        raise  # the hub is unreachable (or we must sign in again): the rest waits
                    answers.append((action.key, result, None, False))
                    summary.actions_pushed += 1
            finally:
                await asyncio.to_thread(self._record_answers, answers)

    def _record_answers(self, answers: list[tuple[str, dict[str, Any] | None, str | None, bool]]) -> None:
        if not answers:
            return
        with self.cache.write() as c:
            for key, result, error, refused in answers:
                if result is not None:
                    outbox.mark_sent(c, key, result)
                else:
                    outbox.mark_attempt(c, key, error or "", refused=refused)

    def _pending(self) -> list[outbox.PendingAction]:
        with self.cache.read() as c:
            return outbox.pending(c)

    # -- pull -----------------------------------------------------------------------------------
    def _cursor(self) -> str | None:
        with self.cache.read() as c:
            return sync_state.load(c, self.client.base_url, CURSOR)

    def _saver(
        self,
        cursor: str,
        actions: list[dict[str, Any]],
        invoices: list[dict[str, Any]],
        summary: SyncSummary,
        stock: list[dict[str, Any]] | None = None,
    ) -> Any:
        def save(c: Connection) -> None:
            for body in actions:  # our own actions, acknowledged through the feed as well
                outbox.mark_sent(c, body.get("key", ""), body)
            summary.invoices_applied += cached_invoices.put(c, invoices)
            summary.stock_applied += cached_stock.put(c, stock or [])
            sync_state.save(c, self.client.base_url, CURSOR, cursor)

        return save

    async def pull(self, summary: SyncSummary) -> None:
        """Follow the feed from the saved cursor. A cache that has never synced starts from the
        snapshot instead: every order arrives with its observations, which is far cheaper to apply
        than replaying the feed's history, and the feed is followed from where the listing began."""
        cursor = await asyncio.to_thread(self._cursor)
        if cursor is None:
            cursor = await self.relist(summary, first_load=True)
        fetch = asyncio.ensure_future(self._changes(cursor))
        orders: list[Any] = []
        observations: list[Any] = []
        actions: list[Any] = []
        invoices: list[Any] = []
        stock: list[Any] = []
        try:
            while True:
                page = await fetch
                if page is None:  # 410: the feed no longer holds what follows our cursor
                    orders, observations, actions, invoices, stock = [], [], [], [], []  # the relist covers them
                    cursor = await self.relist(summary)
                    fetch = asyncio.ensure_future(self._changes(cursor))
                    continue
                if page["has_more"]:  # fetch the next page while this one is parsed and applied
                    fetch = asyncio.ensure_future(self._changes(page["cursor"]))
                kinds = {"order": orders, "observation": observations, "action": actions, "invoice": invoices,
                         "stock": stock}  # fmt: skip
                for change in page["changes"]:
                    kept = kinds.get(change["kind"])
                    if kept is None:  # a kind a newer hub sends: this console does not show it yet
                        continue
                    kept.append(change["body"])
                if (
                    len(orders) + len(observations) + len(actions) + len(invoices) + len(stock) < self.apply_changes
                    and page["has_more"]
                ):
                    continue  # pages are fetched small (short parses on the loop), applied together
                observations += await self._whole_returning(orders)
                report = await asyncio.to_thread(
                    self.writer.apply,
                    orders,
                    observations,
                    also=self._saver(page["cursor"], actions, invoices, summary, stock),
                )
                summary.add(report)
                summary.pages += 1
                orders, observations, actions, invoices, stock = [], [], [], [], []
                if not page["has_more"]:
                    summary.caught_up = True
                    return
        finally:
            if not fetch.done():
                fetch.cancel()

    async def _changes(self, cursor: str | None) -> dict[str, Any] | None:
        try:
            return await self.client.changes(cursor, self.page_size)
        except CursorGone:
            log.warning("cursor no longer kept by %s: relisting", self.client.base_url)
            return None

    async def _whole_returning(self, orders: list[Any]) -> list[Any]:
        """The observations of orders the feed changes that are old and not in the cache: orders the
        retention window took out (sync/cache/retention.py). Applied from the change alone, such an
        order would come back with none of its history (a settled order shown as unpaid); the hub gives
        it whole, one request each (rare: a change to an order older than the window)."""
        horizon = time.time() - RETURNING_AFTER_S
        old = [o["domain_id"] for o in orders if isinstance(o, dict) and isinstance(o.get("domain_id"), str)
               and _timestamp(o.get("created_at")) < horizon]  # fmt: skip
        if not old:
            return []

        def not_cached() -> list[str]:
            with self.cache.read() as c:
                marks = ", ".join("?" * len(old))
                cached = {
                    r[0]
                    for r in c.exec_driver_sql(f"SELECT domain_id FROM orders WHERE domain_id IN ({marks})", tuple(old))
                }
            return [d for d in dict.fromkeys(old) if d not in cached]

        extra: list[Any] = []
        for domain_id in await asyncio.to_thread(not_cached):
            try:
                extra += (await self.client.order(domain_id))["observations"]
            except HubError as exc:
                if exc.status != 404:
                    raise
        return extra

    async def relist(self, summary: SyncSummary, *, first_load: bool = False) -> str:
        """Apply the hub's whole snapshot, report cached orders the hub no longer has, and return the
        feed cursor the listing started at. The first page is fetched here (a small snapshot needs no
        worker); with more pages, worker processes fetch and prepare them while this one writes."""
        summary.relisted = not first_load
        seen: set[str] = set()

        def count(report: ApplyReport, ids: list[str]) -> None:
            summary.add(report)
            summary.pages += 1
            seen.update(ids)

        plan = await self._plan() if self.workers > 0 and self.client.token else None
        if plan is not None and plan["orders"] > FIRST_PAGE:
            cursor = str(plan["feed_cursor"])
            await load_pages(self.writer, self.client.base_url, self.client.token or "", plan["pages"],
                             self.page_size, self.workers, count)  # fmt: skip
        else:
            # A small first page: parsed here on the event loop (the console's), it must not stall it; a
            # snapshot that fits needs no worker at all.
            page = await self.client.orders(None, min(self.page_size, FIRST_PAGE))
            cursor = str(page["feed_cursor"])
            await self._apply_page(page, count)
            while page["next"] is not None:
                page = await self.client.orders(page["next"], self.page_size)
                await self._apply_page(page, count)
        summary.missing_at_hub = await asyncio.to_thread(self._reconcile, seen, cursor)
        await self._list_invoices(summary)
        await self._list_stock(summary)
        if summary.missing_at_hub:
            log.warning("%d cached orders are not at the hub any more", len(summary.missing_at_hub))
        return cursor

    async def _list_invoices(self, summary: SyncSummary) -> None:
        """The hub's invoices, for a clerk's or a supervisor's console (a packer's is refused: 403)."""

        def keep(c: Connection, bodies: list[dict[str, Any]]) -> None:
            summary.invoices_applied += cached_invoices.put(c, bodies)

        await self._list_all(lambda after: self.client.invoices(after, self.page_size), "invoices", 0, keep, (403,))
        # The month locks made before this listing began: the feed followed from here will not bring them.
        try:
            figures = await self.client.request("GET", "/v1/invoices/figures")
        except HubError as exc:
            if exc.status in (403, 404):
                return
            raise
        locks = [
            {"lock": month, "actor": lock.get("actor", "")} for month, lock in (figures.get("locks") or {}).items()
        ]
        await asyncio.to_thread(self._write, lambda c: cached_invoices.put(c, locks))

    async def _list_stock(self, summary: SyncSummary) -> None:
        """The hub's stock per SKU (every role reads it; a hub from before inventory answers 404)."""

        def keep(c: Connection, bodies: list[dict[str, Any]]) -> None:
            summary.stock_applied += cached_stock.put(c, bodies)

        await self._list_all(lambda after: self.client.inventory(after, 1000), "skus", "", keep, (403, 404))

    async def _list_all(self, fetch: Any, field: str, start: Any, keep: Any, not_for_us: tuple[int, ...]) -> None:
        """Every keyset page of a listing (``next`` until None), each kept in its own write; a listing
        this console may not read, or this hub does not have (``not_for_us``), is left alone."""
        after = start
        while after is not None:
            try:
                page = await fetch(after)
            except HubError as exc:
                if exc.status in not_for_us:
                    return
                raise
            bodies = page[field]
            await asyncio.to_thread(self._write, lambda c, bodies=bodies: keep(c, bodies))
            after = page["next"]

    def _write(self, work: Any) -> None:
        with self.cache.write() as c:
            work(c)

    async def _plan(self) -> dict[str, Any] | None:
        """The hub's listing cut into pages ahead, or None from a hub that cannot (an order centre of
        one's own may implement only the plain listing): then the pages are read one after another."""
        try:
            return await self.client.order_pages(self.page_size)
        except HubError as exc:
            if exc.status in (404, 405, 501):
                log.info("%s does not cut its listing into pages ahead: reading it page by page", self.client.base_url)
                return None
            raise

    async def _apply_page(self, page: dict[str, Any], count: Callable[[ApplyReport, list[str]], None]) -> None:
        orders = [entry["order"] for entry in page["orders"]]
        observations = [o for entry in page["orders"] for o in entry["observations"]]
        report = await asyncio.to_thread(self.writer.apply, orders, observations)
        count(report, [order["domain_id"] for order in orders])

    def _reconcile(self, seen: set[str], cursor: str) -> list[str]:
        with self.cache.write() as c:
            sync_state.save(c, self.client.base_url, CURSOR, cursor)
            cached = c.exec_driver_sql("SELECT domain_id FROM orders").scalars()
            return sorted(d for d in cached if d not in seen)
