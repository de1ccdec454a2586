"""The orders browser's queries, Qt-free: which orders match a filter (ordered ids, all of them, in
one indexed query) and the rows for a window of ids (one query per window). The view keeps only the
ids and a few windows, so 1,000,000 cached orders cost ~8 MB and every page is one small query."""

from __future__ import annotations

import asyncio
import logging
import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection

from orderdesk.app.services.session import Session
from orderdesk.printing.jobs import jobs_of
from orderdesk.printing.label_data import mask_phone
from orderdesk.sync.cache import Cache, retention, search
from orderdesk.sync.cache.queries import order_document
from orderdesk.sync.cache.stored import driver_of
from orderdesk.sync.client import HubClient, HubError
from orderdesk.sync.domain_id import is_domain_id
from orderdesk.sync.states import OUTCOME_SQL

log = logging.getLogger(__name__)
SEARCH_LIMIT = 5000
CANCELLED = "cancelled"  # the fulfilment filter's choice for cancelled orders (cancellation is its own axis)
OUTCOMES = ("closed", "returned")  # its choices by outcome: both axes together (sync.states.outcome)
# What the table sorts by. Creation time is indexed (every filter's index ends with it); the other
# keys sort the matching rows in SQLite's sorter: ~0.5 s for all of 1,000,000, far less filtered.
SORTS = {
    "created": "o.created_at_ms",
    "domain_id": "o.domain_id",
    "channel": "o.channel",
    "channel_order_no": "o.channel_order_no",
    "receiver": "o.receiver_name",
    "address": "o.receiver_province, o.receiver_city, o.receiver_district, o.receiver_address",
    "fulfilment": "o.fulfilment",
    "refund": "o.refund",
    "anomalies": "o.anomaly_count",
    "waybill": "o.waybill_no",
}
_PHONE_TAIL = re.compile(r"\d{4}")
_ID_FRAGMENT = re.compile(r"DB[0-9A-Z]{2,20}|(?=[0-9A-Z]*[A-Z])(?=[0-9A-Z]*[0-9])[0-9A-Z]{6,20}")  # DB… or 6+ mixed


@dataclass(frozen=True)
class OrderFilter:
    channel: str | None = None
    fulfilment: str | None = None
    refund: str | None = None
    printed: bool | None = None  # True: a label was printed; False: not yet
    anomalies: bool = False  # only orders with open anomalies
    since_ms: int | None = None
    until_ms: int | None = None
    text: str = ""  # unified id, channel order no., waybill no., phone tail or receiver name
    sort: str = "created"  # a key of SORTS
    descending: bool = True


class OrderRow(NamedTuple):
    id: int
    domain_id: str
    channel: str
    channel_order_no: str
    created_at_ms: int
    receiver_name: str
    receiver_phone: str
    address: str
    fulfilment: str | None
    refund: str | None
    cancelled: bool
    anomaly_count: int
    waybill_no: str
    printed: bool


def _text_ids(c: Connection, text: str) -> list[int] | None:
    """Ids the search text names, or None when it names no restriction."""
    text = text.strip()
    if not text:
        return None
    if is_domain_id(text.upper()):
        return [r[0] for r in c.exec_driver_sql("SELECT id FROM orders WHERE domain_id = ?", (text.upper(),))]
    exact = [
        r[0]
        for r in c.exec_driver_sql(
            "SELECT id FROM orders WHERE channel_order_no = ? UNION SELECT id FROM orders WHERE waybill_no = ?",
            (text, text),
        )
    ]
    if exact:
        return exact
    if _PHONE_TAIL.fullmatch(text):
        return [r[0] for r in c.exec_driver_sql("SELECT id FROM orders WHERE receiver_phone_tail = ?", (text,))]
    if _ID_FRAGMENT.fullmatch(text.upper()):  # part of a unified id: its start through the unique index,
        fragment = text.upper()  # anywhere else by a scan of that index alone (~0.1 s at 1,000,000)
        if fragment.startswith("DB"):
            sql = "SELECT id FROM orders WHERE domain_id >= ? AND domain_id < ? LIMIT ?"
            found = [r[0] for r in c.exec_driver_sql(sql, (fragment, fragment + "\uffff", SEARCH_LIMIT))]
        else:
            sql = "SELECT id FROM orders WHERE instr(domain_id, ?) > 0 LIMIT ?"
            found = [r[0] for r in c.exec_driver_sql(sql, (fragment, SEARCH_LIMIT))]
        if found:
            return found
    expression = search.match_expression(text)
    if expression is None:
        return []
    return [
        r[0]
        for r in c.exec_driver_sql(
            "SELECT rowid FROM order_search WHERE order_search MATCH ? LIMIT ?", (expression, SEARCH_LIMIT)
        )
    ]


def _where(c: Connection, f: OrderFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.fulfilment == CANCELLED:
        clauses.append("o.cancelled = 1")
    elif f.fulfilment in OUTCOMES:
        clauses.append(f"({OUTCOME_SQL}) = ?")
        params.append(f.fulfilment)
    for column, value in (("channel", f.channel), ("fulfilment", f.fulfilment), ("refund", f.refund)):
        if value and value != CANCELLED and value not in OUTCOMES:
            clauses.append(f"o.{column} = ?")
            params.append(value)
    if f.anomalies:
        clauses.append("o.anomaly_count > 0")
    if f.since_ms is not None:
        clauses.append("o.created_at_ms >= ?")
        params.append(f.since_ms)
    if f.until_ms is not None:
        clauses.append("o.created_at_ms < ?")
        params.append(f.until_ms)
    if f.printed is not None:  # one pass over the (few) printed orders, not a probe per order
        printed = "o.id IN (SELECT order_id FROM print_jobs WHERE state = 'done')"
        clauses.append(printed if f.printed else f"NOT {printed}")
    ids = _text_ids(c, f.text)
    if ids is not None:
        clauses.append(f"o.id IN ({','.join(str(int(i)) for i in ids) or 'NULL'})")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def matching_ids(c: Connection, f: OrderFilter, *, limit: int | None = None) -> array[int]:
    """Every matching order id (or the first ``limit``), in the filter's order (newest first by
    default; ties by id), in one query."""
    where, params = _where(c, f)
    direction = " DESC" if f.descending else ""
    keys = ", ".join(f"{column}{direction}" for column in SORTS.get(f.sort, SORTS["created"]).split(", "))
    cursor = driver_of(c).execute(  # the DB-API cursor: no Row objects for 1M ids
        f"SELECT o.id FROM orders o{where} ORDER BY {keys}, o.id{direction}"
        + (f" LIMIT {int(limit)}" if limit is not None else ""),
        params,
    )
    ids: array[int] = array("q")
    while chunk := cursor.fetchmany(65536):
        ids.extend(row[0] for row in chunk)
    return ids


def fetch_rows(c: Connection, ids: Sequence[int], *, full_contact: bool) -> dict[int, OrderRow]:
    """The rows for ``ids`` (one query); phones masked unless ``full_contact``."""
    if not ids:
        return {}
    rows: dict[int, OrderRow] = {}
    sql = (
        "SELECT o.id, o.domain_id, o.channel, o.channel_order_no, o.created_at_ms, o.receiver_name, o.receiver_phone, "
        "o.receiver_province || o.receiver_city || o.receiver_district || ' ' || o.receiver_address, o.fulfilment, "
        "o.refund, o.cancelled, o.anomaly_count, o.waybill_no, "
        "EXISTS (SELECT 1 FROM print_jobs j WHERE j.order_id = o.id AND j.state = 'done') "
        f"FROM orders o WHERE o.id IN ({','.join(str(int(i)) for i in ids)})"
    )
    for r in driver_of(c).execute(sql):
        phone = r[6] if full_contact else mask_phone(r[6])
        rows[r[0]] = OrderRow(r[0], r[1], r[2], r[3], r[4], r[5], phone, r[7], r[8], r[9], bool(r[10]), r[11], r[12],
                              bool(r[13]))  # fmt: skip
    return rows


def channels(c: Connection) -> list[str]:
    return [r[0] for r in c.exec_driver_sql("SELECT DISTINCT channel FROM orders ORDER BY channel")]


@dataclass(frozen=True)
class OrderRecord:
    """One order's whole record as the detail shows it: the order document (observations, timeline,
    audit, invoices) and its print jobs."""

    document: dict[str, Any]
    prints: list[dict[str, Any]]


class OrderBrowser:
    """What the Orders workspace asks of the cache. The page awaits the searches and an order's
    record (read in a worker thread); the table's model reads a window of rows where Qt asks for it
    (one indexed query of 200 rows, ~1 ms: Qt's data() cannot wait)."""

    def __init__(self, cache: Cache, *, full_contact: bool, hub: Callable[[], Session | None] | None = None) -> None:
        self.cache = cache
        self.full_contact = full_contact
        self.hub = hub  # the signed-in session, for orders the retention window took out of the cache

    async def bring_back(self, text: str) -> bool:
        """A unified id not in the cache, asked of the hub and applied (an order older than the retention
        window, sync/cache/retention.py). False when it is no unified id, there is no hub to ask, or the
        hub has no such order either; an unreachable hub is logged and said as not found."""
        key = text.strip().upper()
        session = self.hub() if self.hub is not None else None
        if session is None or session.offline or not session.token or not is_domain_id(key):
            return False
        try:
            async with HubClient(session.hub_url, session.token, attempts=2, max_backoff=2.0) as client:
                return await retention.bring_back(self.cache, client, key, session.user)
        except HubError as exc:
            log.warning("asking the hub for %s: %s", key, exc.en)
            return False

    def channels(self) -> list[str]:
        with self.cache.read() as c:
            return channels(c)

    async def matching(self, wanted: OrderFilter, *, limit: int | None = None) -> array[int]:
        def query() -> array[int]:
            with self.cache.read() as c:
                return matching_ids(c, wanted, limit=limit)

        return await asyncio.to_thread(query)

    def rows(self, ids: Sequence[int]) -> dict[int, OrderRow]:
        with self.cache.read() as c:
            return fetch_rows(c, ids, full_contact=self.full_contact)

    async def record(self, order_id: int) -> OrderRecord:
        def read() -> OrderRecord:
            with self.cache.read() as c:
                document = order_document(c, order_id)
                return OrderRecord(document, jobs_of(c, document["domain_id"]))

        return await asyncio.to_thread(read)
