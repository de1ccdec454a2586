"""The Supervision workspace's service (Qt-free): what insights/ computes over the cache, what only the
hub knows (inventory figures, channel API health), the reports and their pushes, and the channel
mapping tables (view, try a raw status, import a new version)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from orderdesk.insights import health, reports, robots, selfcheck
from orderdesk.insights.consistency import Consistency, consistency
from orderdesk.insights.measures import HubFacts
from orderdesk.insights.quality import CheckResult, quality
from orderdesk.insights.reconciliation import Reconciliation, reconcile
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.mapping_store import active_registry, import_table
from orderdesk.sync.china_time import CHINA_TZ, now_in_china
from orderdesk.sync.mapping.provenance import of_rule
from orderdesk.sync.mapping.registry import MappingRegistry, load_table_file
from orderdesk.sync.paths import documents_dir


@dataclass(frozen=True, slots=True)
class OrderBrief:
    id: int
    channel_order_no: str
    domain_id: str
    channel: str
    fulfilment: str
    created_at_ms: int


@dataclass(frozen=True)
class SupervisionDesk:
    cache: Cache

    def today(self) -> date:
        return now_in_china().date()

    def consistency(self, start: date, end: date, now: datetime | None = None) -> Consistency:
        with self.cache.read() as c:
            return consistency(c, start, end, now=now)

    def orders(self, ids: list[int], limit: int = 500) -> list[OrderBrief]:
        chosen = ids[:limit]
        if not chosen:
            return []
        with self.cache.read() as c:
            rows = c.exec_driver_sql(
                "SELECT id, channel_order_no, domain_id, channel, COALESCE(fulfilment, ''), created_at_ms FROM orders "
                f"WHERE id IN ({','.join('?' * len(chosen))}) ORDER BY created_at_ms DESC",
                tuple(chosen),
            ).all()
        return [OrderBrief(*r) for r in rows]

    def quality(self, start: date, end: date) -> dict[str, CheckResult]:
        with self.cache.read() as c:
            return quality(c, start, end)

    def open_anomalies(self) -> dict[str, int]:
        with self.cache.read() as c:
            rows = c.exec_driver_sql("SELECT kind, COUNT(*) FROM anomalies WHERE resolved_at_ms IS NULL GROUP BY kind")
            return {kind: int(n) for kind, n in rows}

    def anomaly_precision(self) -> dict[str, dict[str, Any]]:
        """Per kind, how well open anomalies match what went wrong, as measured on the demo's planted ones
        (``./dev bench anomalies --write``: resources/insights/anomaly_precision.json)."""
        import json

        from orderdesk.sync.resources import RESOURCES

        try:
            document = json.loads((RESOURCES / "insights" / "anomaly_precision.json").read_text(encoding="utf-8"))
            return {str(k): v for k, v in document["kinds"].items()} | {"*": {**document["all"], "measured": document["measured"],
                                                                              "orders": document["orders"]}}  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def months(self) -> list[str]:
        """Months with payments in the cache, newest first (the reconciliation's choices)."""
        with self.cache.read() as c:
            first, last = c.exec_driver_sql("SELECT MIN(at_ms), MAX(at_ms) FROM events WHERE kind = 'paid'").one()
        if first is None:
            return []
        found, at = [], _month_of(last)
        while at >= _month_of(first):
            found.append(at)
            year, month = (int(x) for x in at.split("-"))
            at = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
        return found

    def reconcile(self, month: str, channel: str | None = None) -> Reconciliation:
        with self.cache.read() as c:
            return reconcile(c, month, channel)

    def health(
        self, day: date, facts: HubFacts | None = None, *, shop: str | None = None, keep: bool = True
    ) -> health.Health:
        with self.cache.read() as c:
            scored = health.measure(c, day, shop=shop, facts=facts)
        if keep:
            with self.cache.write() as c:
                health.keep(c, scored)
        return scored

    def history(self, days: int = 30, shop: str = "*") -> list[tuple[str, float | None]]:
        with self.cache.read() as c:
            return health.history(c, shop, days)

    def shops(self) -> list[str]:
        with self.cache.read() as c:
            return health.shops(c)

    def selfcheck(self, day: date, facts: HubFacts | None = None) -> selfcheck.SelfCheck:
        with self.cache.read() as c:
            return selfcheck.run(c, day, facts)

    def daily(self, day: date, facts: HubFacts | None = None) -> reports.DailyReport:
        with self.cache.read() as c:
            return reports.daily(c, day, facts, int(time.time() * 1000))

    def monthly(self, month: str) -> reports.MonthlyReport:
        with self.cache.read() as c:
            return reports.monthly(c, month)

    # -- mapping tables -------------------------------------------------------------------------------
    def registry(self) -> MappingRegistry:
        with self.cache.read() as c:
            return active_registry(c)

    def rules(self, source: str) -> list[dict[str, Any]]:
        table = self.registry().table(source)
        found = []
        for rule in table.document["rules"]:
            provenance = of_rule(rule)
            found.append({"id": rule["id"], "when": rule["when"], "then": rule["then"], "label": rule.get("label", {}),
                          "basis": provenance.basis, "assumed": provenance.assumed,
                          "basis_zh": provenance.basis_label(False), "basis_en": provenance.basis_label(True)})  # fmt: skip
        return found

    def try_status(self, source: str, raw: str) -> dict[str, Any]:
        """What a raw status maps to under the table in force (numbers as the channels send them)."""
        table = self.registry().table(source)
        value: str | int = int(raw) if raw.strip().lstrip("-").isdigit() else raw.strip()
        return table.map({table.status_field: value}, table.status_field).as_json()

    def import_mapping(self, path: Path, operator: str) -> dict[str, Any]:
        """A new version of a table; MappingTableError (path-precise) when refused, nothing stored."""
        document = load_table_file(path)
        with self.cache.write() as c:
            return import_table(c, document, operator=operator, now_ms=time.time_ns() // 1_000_000)


def _month_of(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(CHINA_TZ).strftime("%Y-%m")


async def fetch_facts(hub_url: str, token: str | None) -> HubFacts:
    """The hub's inventory figures and channel API health; whichever the hub does not give stays None
    (offline, or a hub without the route) and its dimensions say "no data"."""
    from orderdesk.sync.client import HubClient, HubError

    if not hub_url or not token:
        return HubFacts(reached=False, error="not signed in")
    facts = HubFacts()
    async with HubClient(hub_url, token, attempts=1) as client:
        try:
            facts.inventory = await client.inventory_figures()
        except HubError as exc:
            if exc.status in (0, 401):  # not reached, or not taken: nothing else will be either
                return HubFacts(reached=False, error=str(exc))
            facts.inventory = None
        week, month = int((time.time() - 7 * 86400) * 1000), int((time.time() - 30 * 86400) * 1000)
        for name, ask in (("ingest", lambda: client.ingest_stats(week)), ("tickets", lambda: client.ticket_figures(month)),
                          ("drill", client.drill_latest)):  # fmt: skip
            try:
                setattr(facts, name, await ask())
            except HubError:
                setattr(facts, name, None)
    return facts


async def push(hub_url: str, token: str, kind: str, period: str, title: str, markdown: str) -> list[robots.PushOutcome]:
    """To every configured robot, exactly once per period (the hub's claims)."""
    from orderdesk.sync.client import HubClient

    found = robots.configured()
    if not found:
        return []
    async with HubClient(hub_url, token, attempts=2) as client:
        return await robots.push(client, kind, period, title, markdown, found)


def report_folder() -> Path:
    return documents_dir() / "reports"


def daily_due(report_time_minutes: int, now: datetime | None = None) -> date | None:
    """Today's date once the daily report's time has passed (China time), else None."""
    moment = (now or datetime.now(UTC)).astimezone(CHINA_TZ)
    return moment.date() if moment.hour * 60 + moment.minute >= report_time_minutes else None


def last_days(end: date, days: int) -> tuple[date, date]:
    return end - timedelta(days=days - 1), end
