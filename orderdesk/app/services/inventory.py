"""The Inventory workspace's service (Qt-free): the SKUs as the cache holds them (offline too), what the
hub alone knows (movements, the breaker's history) and the supervisor's resume, and the words for
pools, holds and the breaker in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orderdesk.inventory.pools import LEVEL_POOLS, POOL_LABELS, Pool
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache import stock as cached_stock

POOL_ORDER = [p.value for p in LEVEL_POOLS]


def pool_words(pool: str) -> tuple[str, str]:
    try:
        return POOL_LABELS[Pool(pool)]
    except ValueError:
        return pool, pool


@dataclass(frozen=True)
class StockDesk:
    cache: Cache

    def skus(self) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return cached_stock.everything(c)

    def get(self, sku: str) -> dict[str, Any] | None:
        with self.cache.read() as c:
            return cached_stock.get(c, sku)


def minutes_left(expires_at_ms: int, now_ms: int) -> tuple[str, str]:
    left = (expires_at_ms - now_ms) / 60_000
    if left <= 0:
        return "已到期,等待清理", "due, being swept"
    if left < 1:
        return f"{max(1, int(left * 60))} 秒", f"{max(1, int(left * 60))} s"
    return f"{left:.0f} 分钟", f"{left:.0f} min"


def breaker_words(body: dict[str, Any]) -> tuple[str, str]:
    breaker = body.get("breaker") or {}
    window = body.get("window") or {}
    units, threshold = body.get("oversold_window_units", 0), window.get("threshold_units", 30)
    minutes = int(window.get("window_s", 300)) // 60
    if breaker.get("state") == "tripped":
        reason, reason_zh = breaker.get("reason", ""), breaker.get("reason_zh") or breaker.get("reason", "")
        return (f"超卖熔断:{reason_zh}。预占已暂停,已通知渠道下架;核实后由主管恢复。",
                f"Oversell breaker tripped: {reason}. Reservations are refused and the channels were asked to "
                "pause the listing; a supervisor resumes it once checked.")  # fmt: skip
    return (f"正常 · {minutes} 分钟内超卖 {units} 件(超过 {threshold} 件即熔断)· 累计熔断 {breaker.get('trips', 0)} 次",
            f"Selling · {units} units oversold in {minutes} min (trips above {threshold}) · "
            f"{breaker.get('trips', 0)} trips so far")  # fmt: skip


REASONS = {"reserve": ("预占", "reserved"), "confirmed": ("付款确认", "paid"), "released": ("取消释放", "released"),
           "expired": ("超时释放", "expired"), "channel_sale": ("渠道自售", "sold by the channel"),
           "receipt": ("入库", "receipt"), "transfer": ("调拨", "transfer"), "quality_passed": ("质检合格", "passed the check"),
           "quality_failed": ("质检不合格", "failed the check"), "count": ("盘点", "count"), "shipped": ("发货", "shipped"),
           "returned": ("退货入库", "returned")}  # fmt: skip


def reason_words(reason: str) -> tuple[str, str]:
    return REASONS.get(reason, (reason, reason))


def movement_words(m: dict[str, Any]) -> tuple[str, str]:
    source, target = pool_words(m["from_pool"]), pool_words(m["to_pool"])
    return f"{source[0]} → {target[0]}", f"{source[1]} → {target[1]}"


async def fetch_detail(hub_url: str, token: str, sku: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The SKU's snapshot with its breaker history, and its newest movements, from the hub."""
    from orderdesk.sync.client import HubClient

    async with HubClient(hub_url, token, attempts=1) as client:
        detail = await client.inventory_sku(sku)
        moves = await client.inventory_movements(sku, 200)
    return detail, list(moves["movements"])


async def resume(hub_url: str, token: str, sku: str, note: str) -> dict[str, Any]:
    """The supervisor's resume, straight to the hub (it is audited there; offline it cannot happen)."""
    from orderdesk.sync.client import HubClient

    async with HubClient(hub_url, token, attempts=1) as client:
        return await client.inventory_resume(sku, note)
