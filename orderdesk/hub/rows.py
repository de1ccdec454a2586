"""Rows of the hub's tables made from validated records before a write transaction begins: the JSON
text, its hash and the observation keys cost CPU, and none of it depends on what the hub holds, so
none of it needs to happen while the feed lock is held (hub/store.py). The one exception, an order
the hub already knows under another unified id, is made again under the lock (``OrderRow.as_known``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from orderdesk.sync.contract import ObservationRecord, OrderRecord, canonical_json, channel_key
from orderdesk.sync.domain_id import CHINA_TZ, new_domain_id_for_day


@dataclass(slots=True)
class OrderRow:
    """An order as it will be stored and fed: under ``domain_id`` unless the hub knows it already."""

    channel: str
    shop: str
    channel_order_no: str
    waybill_no: str
    domain_id: str
    body: dict[str, Any]  # the record as JSON, with domain_id
    text: str
    sha: str
    carried_id: bool = False  # the record came with its unified id (else the hub made one just now)

    @property
    def key(self) -> str:
        return channel_key(self.channel, self.shop, self.channel_order_no)

    def as_known(self, domain_id: str) -> OrderRow:
        """This row for an order the hub already holds under ``domain_id`` (a unified id is made once)."""
        if domain_id == self.domain_id:
            return self
        return _order_row(self, {**self.body, "domain_id": domain_id})


def _order_row(like: Any, body: dict[str, Any], carried_id: bool = False) -> OrderRow:
    text = canonical_json(body)
    return OrderRow(like.channel, like.shop, like.channel_order_no, like.waybill_no, body["domain_id"], body, text,
                    hashlib.sha256(text.encode()).hexdigest(), carried_id)  # fmt: skip


def order_rows(records: Sequence[OrderRecord]) -> list[OrderRow]:
    """One row per order (the last version of an order sent twice in one batch wins), in the order
    the orders came. A new order gets the record's unified id, else a fresh one for its creation day."""
    latest = {channel_key(r.channel, r.shop, r.channel_order_no): r for r in records}
    rows = []
    for record in latest.values():
        body = record.model_dump(mode="json", exclude={"invoice"} if record.invoice is None else None)
        body["domain_id"] = record.domain_id or new_domain_id_for_day(
            record.created_at.astimezone(CHINA_TZ).strftime("%Y%m%d")
        )
        rows.append(_order_row(record, body, carried_id=record.domain_id is not None))
    return rows


@dataclass(slots=True)
class ObservationRow:
    key: str  # the observation's identity: the same report always has the same key
    ref_domain_id: str | None
    ref_channel_key: str | None
    ref_waybill_no: str | None
    text: str


def observation_rows(records: Sequence[ObservationRecord]) -> list[ObservationRow]:
    """One row per distinct observation (a report repeated in one batch once), in the order they came."""
    rows: dict[str, ObservationRow] = {}
    for record in records:
        ref = record.order
        key = record.identity()
        rows[key] = ObservationRow(
            key, ref.domain_id,
            ref.channel_key(),
            ref.waybill_no, record.model_dump_json(),
        )  # fmt: skip
    return list(rows.values())
