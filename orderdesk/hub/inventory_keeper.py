"""The hub's inventory thread: expires holds past their deadline (the sweeper, from the deadline index —
never key-expiry notifications), publishes each SKU whose version moved to the change feed as a
``stock`` change (under the feed lock: the guarded writes themselves never wait on it), sends the
breaker's alerts to the group robot as one digest (the robot allows 20 a minute), and keeps the
Redis fast path's counters at the database's sellable levels."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, update

from orderdesk.hub.cycling import Cycling
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.inventory.breaker import BreakerRule
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.reservations import expire_due
from orderdesk.inventory.schema import alerts, levels, skus
from orderdesk.inventory.snapshot import snapshots

log = logging.getLogger(__name__)
PUBLISH_BATCH = 200  # SKUs per feed transaction
SWEEP_BATCH = 1000  # holds per expiry transaction
RECONCILE_EVERY_S = 5.0
MIN_PAUSE_S = 0.2  # between cycles, however often woken: a flash sale wakes it a thousand times a second


@dataclass
class KeeperReport:
    expired: int = 0
    published: int = 0
    alerts_sent: int = 0
    alert_error: str | None = None
    reconciled: list[str] = field(default_factory=list)


class InventoryKeeper(Cycling):
    thread_name = "inventory-keeper"
    min_pause_s = MIN_PAUSE_S  # however often woken: a flash sale wakes it a thousand times a second

    def __init__(self, store: HubStore, *, rule: BreakerRule | None = None, fastpath: Any = None,
                 fastpath_off: str = "", robot: Any = None) -> None:  # fmt: skip
        """``fastpath``: an inventory.fastpath.FastPath or None (then ``fastpath_off`` says why);
        ``robot``: an alerts.dingtalk.DingTalkRobot or None (alerts wait in inv_alerts)."""
        self.store, self.rule, self.fastpath, self.fastpath_off, self.robot = (
            store,
            rule or BreakerRule(),
            fastpath,
            fastpath_off,
            robot,
        )
        self.fastpath_off_zh = fastpath_off
        self.fast_skus: frozenset[str] = frozenset()
        self._queued: set[int] = set()
        self._last_reconcile = 0.0
        super().__init__()
        self.cycles = 0
        self._refresh_fast_skus()

    def stop(self) -> None:
        super().stop()
        if self.fastpath is not None:
            self.fastpath.close()

    def cycle(self, now: int | None = None) -> KeeperReport:
        report = KeeperReport()
        at = now if now is not None else now_ms()
        report.expired = self.sweep(at)
        report.published = self.publish(at)
        self.send_alerts(report)
        if report.expired or time.monotonic() - self._last_reconcile >= RECONCILE_EVERY_S:
            report.reconciled = self.reconcile()
        self.cycles += 1
        return report

    # -- the sweeper -----------------------------------------------------------------------------
    def sweep(self, at: int) -> int:
        total = 0
        while True:
            with self.store.guarded() as c:
                done = expire_due(c, at, SWEEP_BATCH)
            total += done
            if done < SWEEP_BATCH:
                return total

    # -- the feed --------------------------------------------------------------------------------
    def publish(self, at: int) -> int:
        """A ``stock`` change for every SKU whose version moved since it was last published."""
        total = 0
        while True:
            with self.store.write() as c:  # the feed lock: change numbers in commit order
                moved = c.execute(select(skus.c.sku, skus.c.version).where(skus.c.version > skus.c.published_version)
                                  .order_by(skus.c.sku).limit(PUBLISH_BATCH)).all()  # fmt: skip
                if not moved:
                    return total
                bodies = snapshots(c, [sku for sku, _ in moved], at, self.rule)
                self.store.append_feed(c, [("stock", b["sku"], json.dumps(b, ensure_ascii=False, separators=(",", ":")))
                                           for b in bodies])  # fmt: skip
                c.execute(update(skus).where(skus.c.sku == bindparam("name")).values(published_version=bindparam("seen")),
                          [{"name": sku, "seen": version} for sku, version in moved])  # fmt: skip
            total += len(moved)
            if len(moved) < PUBLISH_BATCH:
                return total

    # -- alerts ----------------------------------------------------------------------------------
    def send_alerts(self, report: KeeperReport) -> None:
        if self.robot is None:
            return
        from orderdesk.alerts.dingtalk import Alert

        with self.store.read() as c:
            waiting = c.execute(
                select(alerts).where(alerts.c.sent_at_ms.is_(None)).order_by(alerts.c.id).limit(500)
            ).all()
        for row in waiting:
            if row.id not in self._queued:
                self.robot.queue(Alert(key=row.key, title_zh=row.title_zh, title_en=row.title_en,
                                       lines_zh=tuple(json.loads(row.lines_json)), at_ms=int(row.at_ms)))  # fmt: skip
                self._queued.add(int(row.id))
        if not self._queued:
            return
        result = self.robot.flush()
        report.alert_error = result.error
        if result.error is None and result.held == 0 and result.sent:
            with self.store.guarded() as c:
                c.execute(update(alerts).where(alerts.c.id.in_(sorted(self._queued))).values(sent_at_ms=now_ms()))
            report.alerts_sent = len(self._queued)
            self._queued.clear()
        elif result.error:
            log.warning("the breaker's alert was not sent yet: %s", result.error)

    # -- the fast path ---------------------------------------------------------------------------
    def _refresh_fast_skus(self) -> None:
        with self.store.read() as c:
            self.fast_skus = frozenset(c.execute(select(skus.c.sku).where(skus.c.fast_path == 1)).scalars())

    def reconcile(self) -> list[str]:
        """Set each fast SKU's Redis counter to the database's sellable level (the database is the guard:
        a counter above it costs a refusal at the database, one below it a refusal until the next pass)."""
        self._last_reconcile = time.monotonic()
        self._refresh_fast_skus()
        if self.fastpath is None or not self.fast_skus:
            return []
        with self.store.read() as c:
            rows = c.execute(select(levels.c.sku, levels.c.warehouse, levels.c.quantity)
                             .where(levels.c.sku.in_(sorted(self.fast_skus)), levels.c.pool == Pool.SELLABLE.value)).all()  # fmt: skip
        done = []
        for sku, warehouse, quantity in rows:
            try:
                self.fastpath.load(sku, warehouse, int(quantity))
                done.append(f"{sku}@{warehouse}")
            except Exception as exc:  # the database goes on alone; the log says why
                log.warning("fast path counter of %s not loaded: %s", sku, exc)
        return done


def keeper_for(store: HubStore, redis_url: str | None = None, *, robot: Any = None) -> InventoryKeeper:
    """A keeper with the fast path on ``redis_url`` (or ORDERDESK_REDIS_URL) when Redis answers — else
    off, saying why — and alerts to the DingTalk robot of ORDERDESK_DINGTALK_WEBHOOK/SECRET if set."""
    import os

    from orderdesk.inventory.fastpath import FastPath, FastPathUnavailable

    url = redis_url if redis_url is not None else os.environ.get("ORDERDESK_REDIS_URL", "")
    fastpath, off, off_zh = None, "", ""
    try:
        fastpath = FastPath.connect(url)
    except FastPathUnavailable as exc:
        off, off_zh = str(exc), exc.zh
        log.warning("inventory fast path off: %s", off)
    if robot is None:
        from orderdesk.alerts.dingtalk import DingTalkRobot

        try:
            robot = DingTalkRobot.from_env()
        except ValueError as exc:
            log.warning("alerts not sent to a robot: %s", exc)
    keeper = InventoryKeeper(store, fastpath=fastpath, fastpath_off=off, robot=robot)
    keeper.fastpath_off_zh = off_zh
    return keeper
