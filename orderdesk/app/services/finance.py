"""The Finance workspace's work, Qt-free: the invoices the cache holds by tab, the clerk's actions into
the outbox (they wait there offline and go with the next sync), the monthly list written from the
cache, and an invoice's PDF fetched from the hub. The console and ``orderdesk invoices`` both use it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orderdesk.invoicing.monthly_list import listed, write_csv, write_xlsx
from orderdesk.invoicing.profile import BuyerProfile, BuyerType, InvoiceKind, check_profile
from orderdesk.invoicing.red_letter import RedReason
from orderdesk.invoicing.states import STATE_LABELS, InvoiceState
from orderdesk.sync import outbox
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache import invoices as cached
from orderdesk.sync.record_errors import RecordError

TAB_NAMES = ("needs_data", "merge", "issuing", "issued", "red")


@dataclass(frozen=True, slots=True)
class Queued:
    """An action in the outbox: its key, and the words for the clerk."""

    key: str
    kind: str
    invoice: str


def state_words(body: dict[str, Any]) -> tuple[str, str]:
    zh, en = STATE_LABELS[InvoiceState(body["state"])]
    if body["state"] == "requested" and body.get("merge"):
        return "待确认合并", "merge to confirm"
    if body["state"] == "requested" and (body.get("reason") or {}).get("code") == "credit":
        return "超出授信额度", "beyond the credit line"
    return zh, en


def check_fix(changes: dict[str, str], current: dict[str, Any]) -> list[RecordError]:
    """What is wrong with the buyer data once these changes are made (checked as the clerk types)."""
    merged = {**current, **changes}
    profile = BuyerProfile(InvoiceKind(merged.get("kind", "pc")), BuyerType(merged.get("buyer_type", "person")),
                           merged.get("title", ""), merged.get("taxpayer_id", ""), merged.get("address", ""),
                           merged.get("phone", ""), merged.get("bank", ""), merged.get("account", ""),
                           merged.get("email", ""))  # fmt: skip
    return check_profile(profile)


class FinanceDesk:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    # -- reading ---------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.cache.read() as c:
            return cached.counts(c)

    def tab(self, name: str) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return cached.tab(c, name)

    def invoice(self, order_no: str) -> dict[str, Any] | None:
        with self.cache.read() as c:
            return cached.get(c, order_no)

    def of_order(self, domain_id: str) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return cached.of_order(c, domain_id)

    def months(self) -> list[str]:
        with self.cache.read() as c:
            rows = c.exec_driver_sql(
                "SELECT DISTINCT strftime('%Y-%m', json_extract(body_json, '$.issued_at_ms') / 1000 + 8 * 3600, "
                "'unixepoch') AS m FROM invoices WHERE json_extract(body_json, '$.issued_at_ms') IS NOT NULL ORDER BY m DESC"
            )  # fmt: skip
            return [r[0] for r in rows]

    def locks(self) -> list[str]:
        with self.cache.read() as c:
            return cached.locks(c)

    def month(self, month: str) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return cached.in_month(c, month)

    def pending(self) -> int:
        with self.cache.read() as c:
            return outbox.count_pending(c)

    def refused(self) -> list[tuple[str, dict[str, Any], str]]:
        """Invoicing actions the hub refused for good: (kind, payload, the hub's words), newest first."""
        import json

        with self.cache.read() as c:
            rows = c.exec_driver_sql(
                "SELECT kind, payload_json, last_error FROM outbox WHERE status = 'refused' AND "
                "(kind LIKE 'invoice_%' OR kind = 'month_lock') ORDER BY id DESC LIMIT 20"
            )  # fmt: skip
            return [(r[0], json.loads(r[1]), r[2] or "") for r in rows]

    # -- acting (into the outbox) ----------------------------------------------------------------
    def _queue(self, kind: str, payload: dict[str, Any], order: str = "") -> Queued:
        with self.cache.write() as c:
            key = outbox.enqueue(c, kind, order, payload)
        return Queued(key, kind, str(payload.get("invoice", payload.get("month", ""))))

    def fix(self, order_no: str, changes: dict[str, str]) -> Queued:
        return self._queue("invoice_fix", {"invoice": order_no, "buyer": changes})

    def confirm(self, order_no: str) -> Queued:
        return self._queue("invoice_confirm", {"invoice": order_no})

    def split(self, order_no: str) -> Queued:
        return self._queue("invoice_split", {"invoice": order_no})

    def retry(self, order_no: str) -> Queued:
        return self._queue("invoice_retry", {"invoice": order_no})

    def red(self, order_no: str, order: str, reason: RedReason, lines: dict[int, int] | None = None) -> Queued:
        payload: dict[str, Any] = {"invoice": order_no, "order": order, "reason": reason.value}
        if lines:
            payload["lines"] = {str(k): v for k, v in lines.items()}
        return self._queue("invoice_red", payload)

    def lock(self, month: str) -> Queued:
        return self._queue("month_lock", {"month": month})

    # -- the monthly list ------------------------------------------------------------------------
    def monthly_list(self, month: str, path: Path) -> dict[str, int]:
        """The month's list as XLSX (Kingdee layout) or CSV, by the file's suffix: rows written per form."""
        invoices = [listed(b) for b in self.month(month)]
        if path.suffix.lower() == ".csv":
            return {"csv": write_csv(invoices, path)}
        return write_xlsx(invoices, path)


def totals(bodies: Sequence[dict[str, Any]]) -> tuple[int, int]:
    return sum(b["total_fen"] for b in bodies), sum(b["tax_fen"] for b in bodies)


async def fetch_pdf(hub_url: str, token: str, order_no: str, folder: Path) -> Path:
    """The invoice's PDF from the hub, kept in ``folder`` (opened from there next time, offline too)."""
    from orderdesk.sync.client import HubClient

    path = folder / f"{order_no}.pdf"
    if path.exists() and path.stat().st_size > 0:
        return path
    async with HubClient(hub_url, token, attempts=2) as client:
        data = await client.invoice_file(order_no, "pdf")
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)
    return path


async def fetch_figures(hub_url: str, token: str) -> dict[str, Any]:
    """The hub's invoice figures: per state, signed → issued latency, the credit line, the locks."""
    from orderdesk.sync.client import HubClient

    async with HubClient(hub_url, token, attempts=1) as client:
        figures: dict[str, Any] = await client.request("GET", "/v1/invoices/figures")
        return figures


def _minutes(value: float, chinese: bool) -> str:
    if value >= 2880:
        return f"{value / 1440:.1f} 天" if chinese else f"{value / 1440:.1f} days"
    if value >= 120:
        return f"{value / 60:.1f} 小时" if chinese else f"{value / 60:.1f} h"
    return f"{value:g} 分钟" if chinese else f"{value:g} min"


def figures_words(figures: dict[str, Any]) -> tuple[str, str]:
    """(Chinese, English) one line: the credit line used, signed → issued, locked months."""
    zh, en = [], []
    credit = figures.get("credit")
    if credit:
        used, limit = credit["used_fen"] / 100, credit["limit_fen"] / 100
        zh.append(f"{credit['month']} 授信额度:已用 ¥{used:,.2f} / ¥{limit:,.2f}")
        en.append(f"credit line {credit['month']}: ¥{used:,.2f} used of ¥{limit:,.2f}")
    waits = figures.get("latency") or {}
    for key, zh_name, en_name in (("signed", "签收→开票", "signed → issued"), ("due", "可开→开票", "due → issued")):
        if key in waits:
            w = waits[key]
            share = round(100 * w["within_2h"])
            zh.append(f"{zh_name}:中位 {_minutes(w['p50_min'], True)},2 小时内 {share}%")
            en.append(f"{en_name}: median {_minutes(w['p50_min'], False)}, {share}% within 2 h")
    if figures.get("locks"):
        zh.append("已锁定:" + "、".join(sorted(figures["locks"])))
        en.append("locked: " + ", ".join(sorted(figures["locks"])))
    return " · ".join(zh), " · ".join(en)
