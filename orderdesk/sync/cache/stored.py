"""Reading back what the cache holds for a set of orders, in a few set-based queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import ResourceClosedError

from orderdesk.sync.fold import FoldObservation
from orderdesk.sync.mapping import MappedStatus
from orderdesk.sync.order_money import OrderMoney, order_money
from orderdesk.sync.states import Fulfilment, LineRefund, SourceSystem

CHUNK = 400  # stays well below SQLite's limit on bound parameters

ORDER_COLUMNS = (
    "id, domain_id, channel, shop, channel_order_no, created_at_ms, receiver_name, receiver_phone, "
    "receiver_province, receiver_city, receiver_district, receiver_address, waybill_no, carrier, buyer_note, "
    "paid_amount_fen, discount_fen, platform_commission_fen, freight_insurance_fen, freight_fen, invoice_json, "
    "fulfilment, refund, refunded_fen, cancelled, record_sha"
)
OBSERVATION_COLUMNS = (
    "order_id, key, observed_at_ms, source, source_system, operator, line_no, refund_id, refund_fen, "
    "mapping_version, rule_id, fulfilment, refund, refund_scope, cancelled, signal, exception, unmapped, implies"
)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    return ", ".join("?" * count)


@dataclass(slots=True)
class StoredOrder:
    row: dict[str, Any]
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)
    observations: list[FoldObservation] = field(default_factory=list)
    anomalies: dict[str, int | None] = field(default_factory=dict)  # key → resolved_at_ms
    events: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # key → stored values

    @property
    def id(self) -> int:
        return int(self.row["id"])

    def state(self) -> dict[str, Any]:
        return {
            "fulfilment": self.row["fulfilment"],
            "refund": self.row["refund"],
            "refunded_fen": self.row["refunded_fen"],
            "cancelled": bool(self.row["cancelled"]),
        }

    def money(self) -> OrderMoney:
        return order_money(
            ((no, line["quantity"], line["unit_price_fen"], line["discount_fen"]) for no, line in self.lines.items()),
            discount_fen=self.row["discount_fen"],
            freight_fen=self.row["freight_fen"],
            paid_amount_fen=self.row["paid_amount_fen"],
        )


def orders_where(connection: Connection, column: str, values: Sequence[Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for part in chunks(list(values)):
        sql = f"SELECT {ORDER_COLUMNS} FROM orders WHERE {column} IN ({marks(len(part))})"
        rows.extend(dict(r._mapping) for r in connection.exec_driver_sql(sql, tuple(part)))
    return rows


def orders_by_channel_key(connection: Connection, keys: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Orders by (channel, shop, channel_order_no): one probe of the unique index per key."""
    rows: list[dict[str, Any]] = []
    columns = ", ".join(f"o.{c.strip()}" for c in ORDER_COLUMNS.split(","))
    for part in chunks(list(keys), CHUNK // 3):
        values = ", ".join("(?, ?, ?)" for _ in part)
        sql = (
            f"SELECT {columns} FROM (VALUES {values}) AS k CROSS JOIN orders o "
            "ON o.channel = k.column1 AND o.shop = k.column2 AND o.channel_order_no = k.column3"
        )
        params = tuple(v for key in part for v in key)
        rows.extend(dict(r._mapping) for r in connection.exec_driver_sql(sql, params))
    return rows


_MAPPED: dict[tuple[Any, ...], MappedStatus] = {}  # a few dozen distinct outcomes, read back millions of times
_SYSTEMS = {system.value: system for system in SourceSystem}


def _mapped(fulfilment: str | None, refund: str | None, scope: str, cancelled: int, signal: str | None,
            exception: int, unmapped: int, rule_id: str | None, version: str,
            implies: str | None = None) -> MappedStatus:  # fmt: skip
    key = (fulfilment, refund, scope, cancelled, signal, exception, unmapped, rule_id, version, implies)
    found = _MAPPED.get(key)
    if found is None:
        found = MappedStatus(
            Fulfilment(fulfilment) if fulfilment else None, LineRefund(refund) if refund else None, scope,
            bool(cancelled), signal, bool(exception), bool(unmapped), rule_id, version, None, None,
            Fulfilment(implies) if implies else None,
        )  # fmt: skip
        if len(_MAPPED) < 10_000:
            _MAPPED[key] = found
    return found


def _stored_observation(row: Any) -> FoldObservation:
    (_, key, observed_at_ms, source, system, operator, line_no, refund_id, refund_fen, version, rule_id,
     fulfilment, refund, scope, cancelled, signal, exception, unmapped, implies) = row  # fmt: skip
    mapped = _mapped(fulfilment, refund, scope, cancelled, signal, exception, unmapped, rule_id, version, implies)
    return FoldObservation(
        key, observed_at_ms, source, _SYSTEMS[system], mapped, operator, line_no, refund_id, refund_fen
    )


def driver_of(connection: Connection) -> Any:
    """The DB-API connection under ``connection`` (the same transaction): for bulk reads that skip
    building a SQLAlchemy Row per row. DB-API connections have no static type: Any."""
    driver = connection.connection.driver_connection
    if driver is None:  # only once the pooled connection was invalidated or closed
        raise ResourceClosedError("the connection's DB-API connection is gone")
    return driver


def fetch(connection: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """All rows as plain tuples, through the DB-API cursor of this same connection and transaction:
    bulk reads skip building a SQLAlchemy Row per row (measured: a third of load_details)."""
    cursor = driver_of(connection).cursor()
    try:
        return cursor.execute(sql, tuple(params)).fetchall()
    finally:
        cursor.close()


_LINE_KEYS = (
    "order_id",
    "line_no",
    "sku",
    "title",
    "quantity",
    "unit_price_fen",
    "discount_fen",
    "refund",
    "refunded_fen",
)


def load_details(connection: Connection, stored: dict[int, StoredOrder]) -> None:
    """Fill in lines, observations, anomalies and events of the given orders."""
    ids = sorted(stored)
    for part in chunks(ids):
        params, placeholders = tuple(part), marks(len(part))
        for row in fetch(
            connection, f"SELECT {', '.join(_LINE_KEYS)} FROM order_lines WHERE order_id IN ({placeholders})", params
        ):
            stored[row[0]].lines[row[1]] = dict(zip(_LINE_KEYS, row, strict=True))
        for row in fetch(
            connection, f"SELECT {OBSERVATION_COLUMNS} FROM observations WHERE order_id IN ({placeholders})", params
        ):
            stored[row[0]].observations.append(_stored_observation(row))
        for order_id, key, resolved_at in fetch(
            connection,
            f"SELECT order_id, key, resolved_at_ms FROM anomalies WHERE order_id IN ({placeholders})",
            params,
        ):
            stored[order_id].anomalies[key] = resolved_at
        for row in fetch(
            connection,
            "SELECT order_id, key, kind, at_ms, source, source_system, operator, observation_key, line_no "
            f"FROM events WHERE order_id IN ({placeholders})",
            params,
        ):
            stored[row[0]].events[row[1]] = row[2:]


def stored_observation_keys(connection: Connection, pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (order id, observation key) pairs the cache holds already: looked up by order (the
    index is unique on order id + key, so a new order's observations go in at the end of it)."""
    wanted = set(pairs)
    found: set[tuple[int, str]] = set()
    for part in chunks(sorted({order_id for order_id, _ in wanted})):
        sql = f"SELECT order_id, key FROM observations WHERE order_id IN ({marks(len(part))})"
        found.update(pair for pair in fetch(connection, sql, part) if pair in wanted)
    return found


def existing_keys(connection: Connection, table: str, keys: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(sorted(set(keys))):
        found.update(
            r[0] for r in fetch(connection, f"SELECT key FROM {table} WHERE key IN ({marks(len(part))})", part)
        )
    return found


def ids_by(connection: Connection, column: str, values: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
    """order ids (with unified id) per value of a column such as waybill_no or domain_id."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for part in chunks(sorted(set(values))):
        sql = f"SELECT {column}, id, domain_id FROM orders WHERE {column} IN ({marks(len(part))})"
        for value, order_id, domain_id in connection.exec_driver_sql(sql, tuple(part)):
            found[value].append((order_id, domain_id))
    return found
