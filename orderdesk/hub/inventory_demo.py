"""Inventory for the demo (the console's `orderdesk demo`): a few SKUs in every pool, and the seed's
新年福袋 flash sale scaled down — 60 bags, quotas for 抖音 and 天猫, holds that confirm, release or run
out — while 拼多多 sells on its own counter, oversells, and trips the breaker, so the Inventory view has
a story on the first start. 拼多多 honours the pause it is sent (and a resume), as a channel would.
Alerts go to a local stand-in of a DingTalk robot; the Redis fast path is on when Redis answers."""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import uuid
from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy import Connection, select

from orderdesk.hub.inventory_keeper import InventoryKeeper, keeper_for
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.inventory import breaker, ledger
from orderdesk.inventory import reservations as holds
from orderdesk.inventory.ledger import InventoryRefused
from orderdesk.inventory.pools import Pool
from orderdesk.inventory.schema import reservations

if TYPE_CHECKING:
    from orderdesk.hub.server import LoopbackServer  # the hub's server, imported only when a robot is run

log = logging.getLogger(__name__)
FLASH_SKU, FLASH_TITLE, FLASH_STOCK = "FUDAI-2026", "新年福袋", 60
CAMPAIGN = "新年福袋"
SHELF = [("TEA-LJ-250", "西湖龙井 250g", 420, 30, 0), ("CUP-GLASS-2", "双层玻璃杯", 860, 0, 120),
         ("HONEY-500", "土蜂蜜 500g", 230, 12, 0), ("NUT-MIX-30", "每日坚果 30 包", 1500, 0, 600),
         ("RICE-WC-5K", "五常大米 5kg", 95, 0, 0), ("SOCK-WOOL-3", "羊毛袜 3 双装", 640, 25, 200)]  # fmt: skip
WAREHOUSE = "MAIN"
REDIS = "redis://127.0.0.1:6379/0"
ROBOT_TOKEN, ROBOT_SECRET = "demo-robot", "SEC" + "d" * 48


class DemoInventory:
    def __init__(self, store: HubStore, app: FastAPI, *, interval: float = 2.0, seed: int = 7) -> None:
        self.store, self.app, self.interval = store, app, interval
        self.rnd = random.Random(seed)
        self.keeper: InventoryKeeper | None = None
        self.robot_server: LoopbackServer | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.pdd_paused = False

    def start(self) -> DemoInventory:
        from orderdesk.alerts.dingtalk import DingTalkRobot
        from orderdesk.alerts.local_robot import local_robot

        self.robot_server = server = local_robot(ROBOT_TOKEN, ROBOT_SECRET)
        server.start()
        robot = DingTalkRobot(f"{server.url}/robot/send?access_token={ROBOT_TOKEN}", ROBOT_SECRET)
        self.keeper = keeper_for(self.store, REDIS, robot=robot)
        self.app.state.inventory = self.keeper
        self.stock_the_shelves()
        self.flash_sale_opens()
        self.keeper.reconcile()
        self.keeper.start(1.0)
        self._thread = threading.Thread(target=self._run, name="demo-inventory", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
        if self.keeper is not None:
            self.keeper.stop()
        if self.robot_server is not None:
            self.robot_server.stop()

    # -- the story -------------------------------------------------------------------------------
    def stock_the_shelves(self) -> None:
        at = now_ms()
        with self.store.guarded() as c:
            for sku, title, sellable, checking, coming in [*SHELF, (FLASH_SKU, FLASH_TITLE, FLASH_STOCK, 0, 0)]:
                ledger.register_sku(c, sku, title, fast_path=sku == FLASH_SKU)
                for pool, units in (
                    (Pool.SELLABLE, sellable),
                    (Pool.QUALITY_CHECK, checking),
                    (Pool.IN_TRANSIT, coming),
                ):
                    if units:
                        ledger.move(c, sku=sku, warehouse=WAREHOUSE, from_pool=Pool.OUTSIDE, to_pool=pool, quantity=units,
                                    reason="receipt", actor="demo", ref_kind="receipt", ref_id=f"RK-{sku}",
                                    key=f"demo-receipt:{sku}:{pool.value}", at_ms=at)  # fmt: skip
            holds.set_quota(c, sku=FLASH_SKU, warehouse=WAREHOUSE, channel="douyin", campaign=CAMPAIGN, quantity=30)
            holds.set_quota(c, sku=FLASH_SKU, warehouse=WAREHOUSE, channel="tmall", campaign=CAMPAIGN, quantity=20)

    def flash_sale_opens(self) -> None:
        """The first minute of the sale: the quotas go in holds, some are paid, and 拼多多's own counter
        sells bags that were never there until the breaker trips."""
        for _ in range(40):
            self._hold(self.rnd.choice(["douyin", "tmall"]), FLASH_SKU, ttl_s=self.rnd.choice([90, 300, 900]))
        for _ in range(12):
            self._pdd_sale(FLASH_SKU, self.rnd.randint(2, 5))
        for sku, *_ in SHELF:
            for _ in range(self.rnd.randint(2, 6)):
                self._hold(
                    self.rnd.choice(["douyin", "tmall", "jd"]), sku, campaign="", ttl_s=self.rnd.choice([120, 600, 900])
                )

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # the demo goes on; the log says why
                log.exception("demo inventory traffic failed")

    def tick(self) -> None:
        self._follow_listing_actions()
        sku, *_ = self.rnd.choice(SHELF)
        self._hold(self.rnd.choice(["douyin", "tmall", "jd"]), sku, campaign="", ttl_s=self.rnd.choice([60, 300, 900]))
        with self.store.read() as c:
            held = self._held(c)
        if held:
            key = self.rnd.choice(held)
            # A refusal leaves the transaction by raising (rolled back), then is let go: never caught inside it.
            with contextlib.suppress(InventoryRefused), self.store.guarded() as c:
                (holds.confirm if self.rnd.random() < 0.7 else holds.release)(c, key, now_ms(), "demo:channel")
        if not self.pdd_paused and self.rnd.random() < 0.3:
            self._pdd_sale(FLASH_SKU, self.rnd.randint(1, 3))
        if self.keeper is not None:
            self.keeper.wake()

    @staticmethod
    def _held(c: Connection) -> list[str]:
        return list(
            c.execute(select(reservations.c.idempotency_key).where(reservations.c.state == "held").limit(50)).scalars()
        )

    def _hold(self, channel: str, sku: str, *, campaign: str = CAMPAIGN, ttl_s: int = 900) -> None:
        # sold out, quota used up, or paused: as in a real sale (rolled back, then let go)
        with contextlib.suppress(InventoryRefused), self.store.guarded() as c:
            holds.reserve(c, sku=sku, warehouse=WAREHOUSE, quantity=self.rnd.randint(1, 2), channel=channel,
                          campaign=campaign if sku == FLASH_SKU else "", key=f"demo-{uuid.uuid4().hex[:16]}",
                          now_ms=now_ms(), ttl_s=ttl_s, actor=f"demo:{channel}")  # fmt: skip

    def _pdd_sale(self, sku: str, units: int) -> None:
        with self.store.guarded() as c:
            breaker.record_sale(c, sku=sku, warehouse=WAREHOUSE, quantity=units, channel="pdd",
                                order_ref=f"PDD{self.rnd.randint(10**11, 10**12 - 1)}", key=f"demo-sale-{uuid.uuid4().hex}",
                                now_ms=now_ms(), rule=self.keeper.rule if self.keeper else None)  # fmt: skip

    def _follow_listing_actions(self) -> None:
        """拼多多 does what it is asked: pause the listing (no more sales), or resume it."""
        with self.store.read() as c:
            asked = breaker.pending_listing_actions(c, "pdd")
        for action in asked:
            self.pdd_paused = action["action"] == "pause"
            with self.store.guarded() as c:
                breaker.listing_done(c, action["id"], now_ms())
