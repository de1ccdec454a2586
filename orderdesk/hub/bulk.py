"""The statements of the hub's write path, one round trip each whatever the batch's size.

On PostgreSQL every statement takes whole columns as arrays (``unnest``): the existing orders of a
batch are found by joining its keys to the unique (channel, shop, order no.) index, new observations
are inserted with ``ON CONFLICT (key) DO NOTHING RETURNING key`` (the unique index finds repeats: no
lookup before), and the batch's changes go to the feed in one INSERT in their order. The statements'
text never depends on the batch's size, so each is parsed and prepared once per connection (and
planned anew for its values every time: hub/store.py). The
arrays go in psycopg's binary format (``%b``): its text format escapes every element in Python,
which cost 46 µs per observation's JSON against 1.3 µs (measured, 10,000 rows).

On SQLite, which runs in the hub's own process, there are no round trips to save: lookups by the
same indexes in chunks (within its limit on parameters), then ``executemany``.

Either way the caller holds the feed lock (hub/store.py) for the whole transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from orderdesk.hub.rows import ObservationRow, OrderRow
from orderdesk.hub.schema import changes, observations, orders
from orderdesk.sync.contract import channel_key

CHUNK = 300  # rows per lookup on SQLite (3 parameters each: well within its limit)

_PG_KNOWN_ORDERS = """
SELECT o.id, o.domain_id, o.channel, o.shop, o.channel_order_no, o.record_sha, o.waybill_no
FROM unnest(%b::text[], %b::text[], %b::text[]) AS k(channel, shop, channel_order_no)
JOIN hub_orders AS o ON o.channel = k.channel AND o.shop = k.shop AND o.channel_order_no = k.channel_order_no
"""
_PG_INSERT_ORDERS = """
INSERT INTO hub_orders (domain_id, channel, shop, channel_order_no, waybill_no, record_json, record_sha)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[])
"""
_PG_UPDATE_ORDERS = """
UPDATE hub_orders AS o SET domain_id = u.domain_id, waybill_no = u.waybill_no, record_json = u.record_json,
       record_sha = u.record_sha
FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::text[], %b::text[]) AS u(id, domain_id, waybill_no, record_json,
                                                                               record_sha)
WHERE o.id = u.id
"""
_PG_INSERT_OBSERVATIONS = """
INSERT INTO hub_observations (key, ref_domain_id, ref_channel_key, ref_waybill_no, record_json)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[])
ON CONFLICT (key) DO NOTHING
RETURNING key
"""
_PG_APPEND_CHANGES = """
INSERT INTO hub_changes (kind, entity_key, body_json, committed_at_ms)
SELECT kind, entity_key, body_json, %s
FROM unnest(%b::text[], %b::text[], %b::text[]) WITH ORDINALITY AS c(kind, entity_key, body_json, n)
ORDER BY n
"""
_SQLITE_KNOWN_ORDERS = """
SELECT o.id, o.domain_id, o.channel, o.shop, o.channel_order_no, o.record_sha, o.waybill_no
FROM (VALUES {values}) AS k
JOIN hub_orders AS o ON o.channel = k.column1 AND o.shop = k.column2 AND o.channel_order_no = k.column3
"""


def _postgres(c: Connection) -> bool:
    return c.dialect.name == "postgresql"


def known_orders(c: Connection, rows: Sequence[OrderRow]) -> dict[str, tuple[int, str, str, str]]:
    """The orders of ``rows`` the hub holds already: channel key → (row id, unified id, record hash,
    waybill no.)."""
    found: list[Any] = []
    if _postgres(c):
        columns = ([r.channel for r in rows], [r.shop for r in rows], [r.channel_order_no for r in rows])
        found = list(c.exec_driver_sql(_PG_KNOWN_ORDERS, columns))
    else:
        for part in range(0, len(rows), CHUNK):
            chunk = rows[part : part + CHUNK]
            values = ",".join(["(?, ?, ?)"] * len(chunk))
            flat = tuple(v for r in chunk for v in (r.channel, r.shop, r.channel_order_no))
            found.extend(c.exec_driver_sql(_SQLITE_KNOWN_ORDERS.format(values=values), flat))
    return {channel_key(row[2], row[3], row[4]): (int(row[0]), str(row[1]), str(row[5]), str(row[6])) for row in found}


def insert_orders(c: Connection, rows: Sequence[OrderRow]) -> None:
    if not rows:
        return
    if _postgres(c):
        c.exec_driver_sql(_PG_INSERT_ORDERS, tuple(list(column) for column in zip(*(
            (r.domain_id, r.channel, r.shop, r.channel_order_no, r.waybill_no, r.text, r.sha) for r in rows
        ), strict=True)))  # fmt: skip
        return
    c.execute(insert(orders), [{"domain_id": r.domain_id, "channel": r.channel, "shop": r.shop,
                                "channel_order_no": r.channel_order_no, "waybill_no": r.waybill_no,
                                "record_json": r.text, "record_sha": r.sha} for r in rows])  # fmt: skip


def update_orders(c: Connection, rows: Sequence[tuple[int, OrderRow]]) -> None:
    """New versions of orders the hub holds: (row id, row)."""
    if not rows:
        return
    if _postgres(c):
        c.exec_driver_sql(_PG_UPDATE_ORDERS, tuple(list(column) for column in zip(*(
            (row_id, r.domain_id, r.waybill_no, r.text, r.sha) for row_id, r in rows
        ), strict=True)))  # fmt: skip
        return
    statement = update(orders).where(orders.c.id == bindparam("row_id"))
    c.execute(statement.values(domain_id=bindparam("new_domain_id"), waybill_no=bindparam("new_waybill_no"),
                               record_json=bindparam("new_record_json"), record_sha=bindparam("new_record_sha")),
              [{"row_id": row_id, "new_domain_id": r.domain_id, "new_waybill_no": r.waybill_no,
                "new_record_json": r.text, "new_record_sha": r.sha} for row_id, r in rows])  # fmt: skip


def insert_new_observations(c: Connection, rows: Sequence[ObservationRow]) -> set[str]:
    """Store the observations the hub has not seen yet; their keys."""
    if not rows:
        return set()
    if _postgres(c):
        columns = tuple(list(column) for column in zip(*(
            (r.key, r.ref_domain_id, r.ref_channel_key, r.ref_waybill_no, r.text) for r in rows
        ), strict=True))  # fmt: skip
        return set(c.exec_driver_sql(_PG_INSERT_OBSERVATIONS, columns).scalars())
    seen: set[str] = set()
    keys = [r.key for r in rows]
    for part in range(0, len(keys), 500):
        seen.update(
            c.execute(select(observations.c.key).where(observations.c.key.in_(keys[part : part + 500]))).scalars()
        )
    new = [r for r in rows if r.key not in seen]
    if new:
        c.execute(insert(observations), [{"key": r.key, "ref_domain_id": r.ref_domain_id, "ref_channel_key": r.ref_channel_key,
                                          "ref_waybill_no": r.ref_waybill_no, "record_json": r.text} for r in new])  # fmt: skip
    return {r.key for r in new}


def append_changes(c: Connection, feed: Sequence[tuple[str, str, str]], at_ms: int) -> None:
    """(kind, entity key, body) to the feed, numbered in this order."""
    if not feed:
        return
    if _postgres(c):
        kinds, keys, bodies = (list(column) for column in zip(*feed, strict=True))
        c.exec_driver_sql(_PG_APPEND_CHANGES, (at_ms, kinds, keys, bodies))
        return
    c.execute(
        insert(changes), [{"kind": k, "entity_key": e, "body_json": b, "committed_at_ms": at_ms} for k, e, b in feed]
    )
