"""The cache for BI tools (Metabase, Superset, FineBI): fact and dimension tables keyed by the unified
order id ``domain_id`` (the seed's 事实表-维度表, 以订单域ID为关联键), as Parquet and CSV (issue #15).

Under the export folder::

    <table>/day=YYYY-MM-DD/part.parquet     per-order tables, one Hive-style partition per day of creation
    <dimension>/part.parquet                dimensions, rewritten whole on every run
    csv/<table>/…/part.csv                  the same as CSV (UTF-8, RFC 4180 quoting)
    _schema.json                            every table and column: type, meaning in Chinese and English
    _manifest.json                          per day: what was read and what was written (rows, bytes, sha256)

A day is China time (an order's day is the day it was created). A rerun rewrites only the days whose
fingerprint changed: the count and latest ``updated_at_ms`` of the day's orders and a summary of its
lines, events and observations (an event a refold re-derives in place changes no order row, yet
changes ``fact_order_events``). Every file is written under a name beginning with "." (which pyarrow.dataset,
Spark and Hive skip) and moved into place with ``os.replace`` once complete and synced: a killed export
leaves each file old or new, never half of one; the manifest is written last. A file whose new
content equals the old is not replaced (its mtime stays).

No receiver name, phone, address, waybill number, buyer note or invoice data is exported. The customer
is ``customer_key``: a keyed hash (BLAKE2b with a key, a MAC like HMAC) of the receiver's phone (digits
only) under a random salt kept in the cache (``sync_state`` key ``bi_export|customer_salt``). The cache
holds the phone itself, so keeping the salt there reveals nothing new, while a reader of the export
cannot try every phone number against the key (11-digit numbers are few enough for that against an
unsalted hash). A new salt (a rebuilt
cache) rewrites every day, so keys never mix. Money is integer fen throughout, as in the cache.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from orderdesk.insights.bi_files import (  # noqa: F401  (the export's public names, as before)
    _OFFSET_MS,
    CHUNK,
    FORMATS,
    ROW_GROUP,
    BiExportError,
    ExportReport,
    Progress,
    _formats_for,
    _locked,
    _Manifest,
    _partition_days,
    _remove_day,
    _remove_temporaries,
    _write_json,
    _write_table,
)
from orderdesk.insights.bi_schema import (  # noqa: F401  (the tables are this module's public names too)
    _ARROW,
    DAILY,
    DIM_CHANNEL,
    DIM_CUSTOMER,
    DIM_FINANCE,
    DIM_SKU,
    FACT_ORDER_EVENTS,
    FACT_ORDER_LINES,
    FACT_ORDERS,
    SCHEMA_VERSION,
    TABLES,
    WHOLE,
    Column,
    Table,
    schema_document,
    schema_markdown,
)
from orderdesk.sync.cache import Cache
from orderdesk.sync.china_time import day_start_ms
from orderdesk.sync.labels import SOURCES

SALT_KEY = "bi_export|customer_salt"
_DAY_MS = 86_400_000
_ALL = (-(2**62), 2**62)


# -- errors and arguments --------------------------------------------------------------------------
def parse_day(field_name: str, text: str) -> date:
    """``2026-01-05`` as a date; anything else raises BiExportError naming the field and the value."""
    if re.fullmatch(r"(19[7-9]\d|20\d\d)-\d{2}-\d{2}", text.strip()):
        with suppress(ValueError):
            return date.fromisoformat(text.strip())
    raise BiExportError(
        en=f"{field_name} {text!r}: write a day as YYYY-MM-DD (a day in China time, 1970–2099), e.g. 2026-01-05",
        zh=f"{field_name} {text!r}:日期应写作 YYYY-MM-DD(中国时间的一天,1970–2099),例如 2026-01-05",
        field=field_name, value=text,
    )  # fmt: skip


# -- the export ------------------------------------------------------------------------------------
def export_bi(
    cache: Cache,
    out: Path,
    *,
    formats: Sequence[str] = FORMATS,
    since: date | None = None,
    until: date | None = None,
    full: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Export the days from ``since`` to ``until`` (China time, inclusive; default: all) whose orders
    changed since the last export into ``out``, and every dimension. One read snapshot throughout."""
    started = time.perf_counter()
    if since and until and since > until:
        raise BiExportError(en=f"--since {since.isoformat()!r} is after --until {until.isoformat()!r}",
                            zh=f"--since {since.isoformat()!r} 晚于 --until {until.isoformat()!r}", field="--since", value=since.isoformat())  # fmt: skip
    if out.exists() and not out.is_dir():
        raise BiExportError(en=f"--out {str(out)!r} is a file, not a folder", zh=f"--out {str(out)!r} 是文件,不是文件夹",
                            field="--out", value=str(out))  # fmt: skip
    report = ExportReport(out, tuple(f for f in FORMATS if f in formats))
    if not report.formats or set(formats) - set(FORMATS):
        raise BiExportError(en=f"formats {list(formats)!r}: parquet, csv or both", zh=f"formats {list(formats)!r}:应为 parquet、csv 或两者",
                            field="formats", value=list(formats))  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    salt = _salt(cache)
    with _locked(out), cache.read() as c:
        _remove_temporaries(out)
        db = c.connection.driver_connection
        db.create_function("bi_customer_key", 1, customer_keyer(salt), deterministic=True)
        manifest = _Manifest.load(out, key_id=_key_id(salt))
        bounds = (
            day_start_ms(since) if since else _ALL[0],
            day_start_ms(until + timedelta(days=1)) if until else _ALL[1],
        )
        if manifest.stale:  # keys or columns of another kind: no old day may stay, nor count as done
            report.rewrote_all, bounds = manifest.stale, _ALL
            manifest.forget_days()
        elif full:
            report.rewrote_all = "full"
        found = _fingerprints(db, *bounds)
        on_disk = {d for d in manifest.days | manifest.removed_days | _partition_days(out) if _in(d, bounds)}
        for gone in sorted(on_disk - found.keys()):
            _remove_day(out, gone, manifest)
            report.days_removed.append(gone)
        todo = [d for d, f in sorted(found.items()) if report.rewrote_all or not manifest.current(d, f, report.formats)]
        report.days_unchanged = len(found) - len(todo)
        last_save = time.monotonic()
        for done, day in enumerate(todo, 1):
            files: dict[str, Any] = {}
            wanted = _formats_for(manifest.day_files(day), report.formats)
            for table in DAILY:
                files |= _write_table(out, table, _day_rows(db, table, day), wanted, report, day)
            manifest.set_day(day, found[day], files)
            report.days_written.append(day)
            if progress is not None:
                progress(done, len(todo))
            if time.monotonic() - last_save > 2.0:  # a killed export resumes after the days it finished
                manifest.save()
                last_save = time.monotonic()
        wanted = _formats_for(manifest.whole_files, report.formats)
        whole: dict[str, Any] = {}
        for table in WHOLE:
            whole |= _write_table(out, table, _whole_rows(db, table), wanted, report)
        manifest.whole_files = whole
        _write_json(out / "_schema.json", schema_document())
        manifest.save()
    report.seconds = time.perf_counter() - started
    return report


# -- reading the cache -----------------------------------------------------------------------------
def _day(day_number: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=day_number)).isoformat()


def _in(day: str, bounds: tuple[int, int]) -> bool:
    start = day_start_ms(date.fromisoformat(day))
    return bounds[0] <= start < bounds[1]


_DAY_OF = f"(o.created_at_ms + {_OFFSET_MS}) / {_DAY_MS}"
_IN_DAY = "o.created_at_ms >= ? AND o.created_at_ms < ?"
# What a day's files are made from, summed up day by day (through the index on created_at_ms: no
# sort of a whole table, whose sorter would hold it all in memory).
_FINGERPRINT = (
    f"SELECT count(*), max(o.updated_at_ms) FROM orders o WHERE {_IN_DAY}",
    f"SELECT count(*), max(x.id), sum(x.refunded_fen) FROM orders o JOIN order_lines x ON x.order_id = o.id WHERE {_IN_DAY}",
    "SELECT count(*), max(x.id), sum(x.at_ms - o.created_at_ms), sum(length(x.kind)) FROM orders o "
    f"JOIN events x ON x.order_id = o.id WHERE {_IN_DAY}",
    f"SELECT count(*), max(x.id), max(x.received_at_ms) FROM orders o JOIN observations x ON x.order_id = o.id WHERE {_IN_DAY}",
)


def _fingerprints(db: Any, start: int, end: int) -> dict[str, dict[str, Any]]:
    """Per day with orders between start and end (ms): its order count, latest updated_at_ms, and a
    fingerprint of its orders, lines, events and observations."""
    first, last = db.execute(f"SELECT min(o.created_at_ms), max(o.created_at_ms) FROM orders o WHERE {_IN_DAY}",
                             (start, end)).fetchone()  # fmt: skip
    found: dict[str, dict[str, Any]] = {}
    if first is None:
        return found
    for d in range((first + _OFFSET_MS) // _DAY_MS, (last + _OFFSET_MS) // _DAY_MS + 1):
        bounds = (max(start, d * _DAY_MS - _OFFSET_MS), min(end, (d + 1) * _DAY_MS - _OFFSET_MS))
        orders = list(db.execute(_FINGERPRINT[0], bounds).fetchone())
        if not orders[0]:
            continue  # a day without orders (between two that have some)
        parts = [orders, *(list(db.execute(sql, bounds).fetchone()) for sql in _FINGERPRINT[1:])]
        digest = hashlib.sha256(json.dumps([SCHEMA_VERSION, parts]).encode()).hexdigest()
        found[_day(d)] = {"orders": orders[0], "max_updated_at_ms": orders[1], "fingerprint": digest}
    return found


def _fetch(db: Any, sql: str, params: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    cursor = db.execute(sql, params)
    try:
        while rows := cursor.fetchmany(CHUNK):
            yield from rows
    finally:
        cursor.close()


_DAY_SQL = {
    "fact_orders": (
        f"SELECT o.domain_id, o.channel, o.shop, o.channel_order_no, {_DAY_OF}, o.created_at_ms, "
        f"((o.created_at_ms + {_OFFSET_MS}) / 3600000) % 24, o.updated_at_ms, o.paid_amount_fen, o.discount_fen, "
        "o.platform_commission_fen, o.freight_insurance_fen, o.freight_fen, o.refunded_fen, o.fulfilment, "
        "o.fulfilment_at_ms, o.refund, o.cancelled, o.anomaly_count, o.carrier, o.invoice_json IS NOT NULL, "
        f"bi_customer_key(o.receiver_phone), o.receiver_province, o.receiver_city FROM orders o WHERE {_IN_DAY} "
        "ORDER BY o.created_at_ms, o.id"
    ),
    "fact_order_lines": (
        "SELECT o.domain_id, x.line_no, x.sku, x.title, x.quantity, x.unit_price_fen, x.discount_fen, x.refund, "
        f"x.refunded_fen, {_DAY_OF} FROM orders o JOIN order_lines x ON x.order_id = o.id WHERE {_IN_DAY} "
        "ORDER BY o.created_at_ms, o.id, x.line_no"
    ),
    "fact_order_events": (
        f"SELECT o.domain_id, x.kind, x.at_ms, (x.at_ms + {_OFFSET_MS}) / {_DAY_MS}, x.source, x.source_system, "
        f"x.operator, x.line_no, {_DAY_OF} FROM orders o JOIN events x ON x.order_id = o.id WHERE {_IN_DAY} "
        "ORDER BY o.created_at_ms, o.id, x.at_ms, x.id"
    ),
    "dim_finance": (
        f"SELECT o.domain_id, {_DAY_OF}, x.raw_status, x.fields_json, x.observed_at_ms, x.refund_fen, x.refund_id, "
        f"x.key FROM orders o JOIN observations x ON x.order_id = o.id WHERE {_IN_DAY} AND x.source_system = 'finance' "
        "ORDER BY o.created_at_ms, o.id, x.observed_at_ms, x.id"
    ),
}


def _day_rows(db: Any, table: Table, day: str) -> Iterator[tuple[Any, ...]]:
    start = day_start_ms(date.fromisoformat(day))
    rows = _fetch(db, _DAY_SQL[table.name], (start, start + _DAY_MS))
    return _finance(rows) if table is DIM_FINANCE else rows


def _whole_rows(db: Any, table: Table) -> Iterator[tuple[Any, ...]]:
    if table is DIM_CHANNEL:
        for channel, shop in _fetch(db, "SELECT DISTINCT channel, shop FROM orders ORDER BY channel, shop", ()):
            zh, en = SOURCES.get(channel, (channel, channel))
            yield channel, shop, zh, en
    elif table is DIM_SKU:  # the title of each SKU's latest line (SQLite: bare columns follow max())
        sql = "SELECT sku, title, max(id) FROM order_lines GROUP BY sku ORDER BY sku"
        yield from ((sku, title) for sku, title, _ in _fetch(db, sql, ()))
    else:  # the province and city of each customer's latest order
        sql = ("WITH keyed AS MATERIALIZED (SELECT bi_customer_key(receiver_phone) AS k, receiver_province, "
               "receiver_city, created_at_ms FROM orders) SELECT k, receiver_province, receiver_city, "
               "max(created_at_ms) FROM keyed WHERE k IS NOT NULL GROUP BY k ORDER BY k")  # fmt: skip
        yield from (row[:3] for row in _fetch(db, sql, ()))


def _finance(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """One dim_finance row per order from its finance observations (oldest first). A bill is known by
    its bill_no (a bill sent again counts once: the latest), its figures only when it carries gross_fen;
    a refund by its refund_id."""
    for domain_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        reports = list(group)
        bills: dict[str, dict[str, int]] = {}
        last_bill: str | None = None
        settled_at = refund_at = None
        refunds: dict[str, int] = {}
        reversed_ = False
        for _, _, status, fields_json, at, refund_fen, refund_id, key in reports:
            fields = _fields(fields_json)
            if status == "SETTLED":
                settled_at = at if settled_at is None else settled_at
                if isinstance(fields.get("gross_fen"), int):
                    last_bill = str(fields.get("bill_no") or key)
                    bills[last_bill] = {n: _int(fields.get(n)) for n in _BILL_FIGURES}
            elif status == "REFUND_SETTLED":
                refund_at = at
                refunds[str(refund_id or key)] = _int(
                    refund_fen if refund_fen is not None else fields.get("refund_fen")
                )
            elif status == "REVERSED":
                reversed_ = True
        sums = [sum(b[n] for b in bills.values()) for n in _BILL_FIGURES]
        figures = [*sums, sums[0] - sum(sums[1:])] if bills else [None] * (len(_BILL_FIGURES) + 1)
        yield (domain_id, reports[0][1], reports[-1][2], settled_at, len(bills), last_bill, *figures,
               sum(refunds.values()), refund_at, int(reversed_), len(reports))  # fmt: skip


_BILL_FIGURES = ("gross_fen", "commission_fen", "freight_insurance_fen", "coupon_fen", "refund_fen")


def _fields(text: str | None) -> dict[str, Any]:
    try:
        found = orjson.loads(text or "{}")
    except orjson.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# -- the customer key ------------------------------------------------------------------------------
def _salt(cache: Cache) -> bytes:
    """The cache's salt for customer keys, made on the first export."""
    with cache.read() as c:
        found = c.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?", (SALT_KEY,)).scalar()
    if found is None:
        with cache.write() as c:
            c.exec_driver_sql("INSERT INTO sync_state (key, value, updated_at_ms) VALUES (?, ?, ?) ON CONFLICT (key) "
                              "DO NOTHING", (SALT_KEY, secrets.token_hex(32), time.time_ns() // 1_000_000))  # fmt: skip
            found = c.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?", (SALT_KEY,)).scalar_one()
    return bytes.fromhex(str(found))


def _key_id(salt: bytes) -> str:
    """Names the salt in the manifest without telling it."""
    return hashlib.sha256(b"orderdesk bi customer key: blake2b-96 of the phone digits\0" + salt).hexdigest()[:16]


def customer_keyer(salt: bytes) -> Callable[[str | None], str | None]:
    """phone → customer key: 24 hex digits of BLAKE2b keyed with the salt (a MAC, as HMAC is), None
    without digits. ``+86 138-0013-8000`` and ``13800138000`` are the same customer."""

    def key(phone: str | None) -> str | None:
        if not phone:
            return None
        digits = phone if phone.isascii() and phone.isdigit() else "".join(ch for ch in phone if ch in "0123456789")
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        return hashlib.blake2b(digits.encode(), key=salt, digest_size=12).hexdigest() if digits else None

    return key
