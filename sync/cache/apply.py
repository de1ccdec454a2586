"""Applying a batch of orders and observations to the cache in one write transaction.

Everything is set-based: a handful of chunked lookups, then ``executemany`` writes. Each order the
batch touches is re-folded (sync/fold.py) and every change of its canonical state leaves an audit
entry naming the observation, its source system and its raw payload.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from sync.cache import audit, search
from sync.cache.ingest import (
    PreparedBatch,
    PreparedObservation,
    PreparedOrder,
    Quarantined,
    channel_key,
    prepare,
    to_ms,
)
from sync.cache.mapping_store import active_registry
from sync.cache.pending import adopt_pending, park_pending
from sync.cache.store import Cache
from sync.cache.stored import StoredOrder, existing_keys, ids_by, load_details, orders_by_channel_key, orders_where
from sync.cache.writes import OrderWork, write_batch
from sync.contract import RecordError, canonical_json
from sync.domain_id import new_domain_id
from sync.fold import FoldLine, FoldObservation, OrderFolder
from sync.mapping import MappingRegistry


@dataclass(slots=True)
class ApplyReport:
    orders_new: int = 0
    orders_updated: int = 0
    observations_new: int = 0
    observations_duplicate: int = 0
    observations_pending: int = 0
    state_changes: int = 0
    anomalies_opened: int = 0
    anomalies_resolved: int = 0
    audit_entries: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "orders_new": self.orders_new,
            "orders_updated": self.orders_updated,
            "observations_new": self.observations_new,
            "observations_duplicate": self.observations_duplicate,
            "observations_pending": self.observations_pending,
            "state_changes": self.state_changes,
            "anomalies_opened": self.anomalies_opened,
            "anomalies_resolved": self.anomalies_resolved,
            "audit_entries": self.audit_entries,
            "quarantined": [
                {
                    "kind": q.kind,
                    "source": q.source,
                    "reference": q.reference,
                    "errors": [e.model_dump() for e in q.errors],
                }
                for q in self.quarantined
            ],
        }


_STATE_KEYS = {"fulfilment": None, "refund": None, "refunded_fen": None, "cancelled": None}.keys()


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class CacheWriter:
    """Applies batches to one cache. Safe to call again with the same batch: nothing changes."""

    def __init__(self, cache: Cache, *, operator: str = "system", clock: Callable[[], int] = now_ms) -> None:
        self.cache = cache
        self.operator = operator
        self.clock = clock
        self._registry: MappingRegistry | None = None

    def registry(self) -> MappingRegistry:
        if self._registry is None:
            with self.cache.read() as connection:
                self._registry = active_registry(connection)
        return self._registry

    def forget_registry(self) -> None:
        self._registry = None

    def apply(self, orders: Iterable[Any] = (), observations: Iterable[Any] = ()) -> ApplyReport:
        with cycle_collection_paused():
            batch = prepare(orders, observations, self.registry())
            with self.cache.write() as connection:
                return _Transaction(connection, self.registry(), self.clock(), self.operator).run(batch)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """A batch makes hundreds of thousands of short-lived, acyclic objects; the cyclic collector
    would rescan all of them again and again (measured: half the time of validation). Reference
    counting still frees them; cycle detection simply waits until the batch is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Transaction:
    def __init__(self, connection: Connection, registry: MappingRegistry, now: int, operator: str) -> None:
        self.c = connection
        self.registry = registry
        self.now = now
        self.operator = operator
        self.report = ApplyReport()
        self.work: dict[int, OrderWork] = {}
        self._texts: dict[tuple[Any, ...], str] = {}  # canonical states repeat: serialise each once

    # -- orders ---------------------------------------------------------------------------------
    def run(self, batch: PreparedBatch) -> ApplyReport:
        self.report.quarantined.extend(batch.quarantined)
        self.orders(batch.orders)
        self.observations(batch.observations)
        adopted = adopt_pending(self.c, self.registry, [w for w in self.work.values() if w.adopts_pending])
        for order_id, prepared in adopted:
            self.attach(order_id, prepared, prepared.key)
        self.fold_all()
        counts = write_batch(self.c, self.work.values(), self.report.quarantined, self.now)
        self.report.anomalies_opened, self.report.anomalies_resolved = counts
        drafts = [d for w in self.work.values() for d in w.audit]
        self.report.audit_entries = audit.append(self.c, drafts)
        return self.report

    def orders(self, prepared: list[PreparedOrder]) -> None:
        if not prepared:
            return
        keys = [(p.record.channel, p.record.shop, p.record.channel_order_no) for p in prepared]
        existing = {
            channel_key(r["channel"], r["shop"], r["channel_order_no"]): r for r in orders_by_channel_key(self.c, keys)
        }
        claimed_ids = [p.record.domain_id for p in prepared if p.record.domain_id and p.key not in existing]
        taken = {r["domain_id"] for r in orders_where(self.c, "domain_id", claimed_ids)} if claimed_ids else set()
        next_id = (self.c.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM orders").scalar() or 0) + 1
        for p in prepared:
            row = existing.get(p.key)
            wanted = p.record.domain_id
            if row is not None:
                if wanted and wanted != row["domain_id"]:
                    self.refuse(
                        p, "domain_id", wanted, f"this order's unified id is {row['domain_id']}; ids are made once"
                    )
                    continue
                if row["record_sha"] != p.sha:
                    work = self.work.setdefault(row["id"], OrderWork(StoredOrder(row)))
                    work.record = p
                    self.report.orders_updated += 1
                continue
            if wanted and wanted in taken:
                self.refuse(p, "domain_id", wanted, "this unified id already belongs to another order")
                continue
            domain_id = wanted or new_domain_id(p.record.created_at)
            taken.add(domain_id)
            self.work[next_id] = OrderWork(None, record=p, new_id=next_id, new_domain_id=domain_id)
            next_id += 1
            self.report.orders_new += 1
        existing_updates = {w.stored.id: w for w in self.work.values() if w.stored is not None}
        if existing_updates:
            load_details(self.c, {i: w.stored for i, w in existing_updates.items() if w.stored})

    def refuse(self, p: PreparedOrder, field_name: str, value: str, message: str) -> None:
        error = RecordError(field=field_name, value=value, message=message)
        self.report.quarantined.append(
            Quarantined("order", p.record.channel, p.record.channel_order_no, p.record_json, [error])
        )

    # -- observations ---------------------------------------------------------------------------
    def observations(self, prepared: list[PreparedObservation]) -> None:
        if not prepared:
            return
        by_domain: dict[str, list[int]] = defaultdict(list)
        by_channel: dict[str, list[int]] = defaultdict(list)
        by_waybill: dict[str, list[int]] = defaultdict(list)
        domain_of: dict[int, str] = {}
        for order_id, work in self.work.items():
            domain_of[order_id] = work.domain_id
            by_domain[work.domain_id].append(order_id)
            if work.record is not None:
                r = work.record.record
                by_channel[channel_key(r.channel, r.shop, r.channel_order_no)].append(order_id)
                if r.waybill_no:
                    by_waybill[r.waybill_no].append(order_id)
        missing_domain = {o.record.order.domain_id for o in prepared if o.record.order.domain_id} - set(by_domain)
        missing_channel = {self._channel_ref(o) for o in prepared if o.record.order.channel} - set(by_channel) - {""}
        missing_waybill = {o.record.order.waybill_no for o in prepared if o.record.order.waybill_no} - set(by_waybill)
        for value, found in ids_by(self.c, "domain_id", missing_domain - {None}).items():
            for order_id, domain_id in found:
                by_domain[value].append(order_id)
                domain_of[order_id] = domain_id
        if missing_channel:
            keys = [tuple(k.split("\x1f")) for k in missing_channel]
            for row in orders_by_channel_key(self.c, keys):  # type: ignore[arg-type]
                by_channel[channel_key(row["channel"], row["shop"], row["channel_order_no"])].append(row["id"])
                domain_of[row["id"]] = row["domain_id"]
        for value, found in ids_by(self.c, "waybill_no", missing_waybill - {None}).items():
            for order_id, domain_id in found:
                by_waybill[value].append(order_id)
                domain_of[order_id] = domain_id

        targets: list[tuple[PreparedObservation, list[tuple[int, str]]]] = []
        for o in prepared:
            ref = o.record.order
            ids = (
                by_domain.get(ref.domain_id or "")
                or by_channel.get(self._channel_ref(o))
                or by_waybill.get(ref.waybill_no or "")
                or []
            )
            ids = sorted(set(ids))
            if len(ids) == 1:
                targets.append((o, [(ids[0], o.key)]))
            else:  # several orders share a waybill (merged shipment): one observation per order
                targets.append((o, [(i, f"{o.key}/{domain_of[i]}") for i in ids]))
        known = existing_keys(self.c, "observations", [k for _, pairs in targets for _, k in pairs])
        known |= existing_keys(self.c, "pending_observations", [o.key for o, pairs in targets if not pairs])
        to_park = []
        for o, pairs in targets:
            if not pairs:
                if o.key in known:
                    self.report.observations_duplicate += 1
                else:
                    to_park.append(o)
                continue
            for order_id, key in pairs:
                if key in known:
                    self.report.observations_duplicate += 1
                else:
                    self.attach(order_id, o, key)
        self.report.observations_pending += park_pending(self.c, to_park, self.now)
        stored_needed = {i: w.stored for i, w in self.work.items() if w.stored is not None and not w.details_loaded}
        if stored_needed:
            load_details(self.c, stored_needed)  # type: ignore[arg-type]
            for i in stored_needed:
                self.work[i].details_loaded = True

    @staticmethod
    def _channel_ref(o: PreparedObservation) -> str:
        ref = o.record.order
        if ref.channel and ref.shop and ref.channel_order_no:
            return channel_key(ref.channel, ref.shop, ref.channel_order_no)
        return ""

    def attach(self, order_id: int, o: PreparedObservation, key: str) -> None:
        work = self.work.get(order_id)
        if work is None:
            rows = orders_where(self.c, "id", [order_id])
            work = self.work[order_id] = OrderWork(StoredOrder(rows[0]))
        work.new_observations.append((o, o.fold_input(key)))
        self.report.observations_new += 1

    # -- folding --------------------------------------------------------------------------------
    def fold_all(self) -> None:
        for work in self.work.values():
            self.fold(work)
            self.report.state_changes += sum(1 for d in work.audit if d.action == "order.state")

    def fold(self, work: OrderWork) -> None:
        record = work.record.record if work.record else None
        stored = work.stored
        if record is not None:
            lines = [FoldLine(line.line_no, line.amount_fen) for line in record.lines]
            created_at_ms, channel = to_ms(record.created_at), record.channel
            paid_known = record.paid_amount_fen is not None
        else:
            assert stored is not None
            lines, created_at_ms, channel = stored.fold_lines(), stored.row["created_at_ms"], stored.row["channel"]
            paid_known = stored.row["paid_amount_fen"] is not None
        old = sorted(stored.observations if stored else [], key=FoldObservation.sort_key)
        folder = OrderFolder(lines, created_at_ms, channel)
        for obs in old:
            folder.observe(obs)
        state = folder.finish(paid_known).state()
        if stored is None:
            assert work.record is not None
            work.audit.append(
                self._draft(
                    "order.created", work, None, state, "channel", channel, self.operator, work.record.record_json
                )
            )
        else:
            before = stored.state()
            if work.record is not None:
                work.audit.append(
                    self._draft(
                        "order.updated",
                        work,
                        _changed(stored, work.record),
                        None,
                        "channel",
                        channel,
                        self.operator,
                        work.record.record_json,
                    )
                )
            if state != before:  # the order's own data changed what its observations mean
                work.audit.append(
                    self._draft("order.state", work, before, state, "channel", channel, self.operator, "{}")
                )
        seen = list(old)
        for prepared, obs in work.new_observations:
            seen.append(obs)
            if folder.last_key is None or obs.sort_key() > folder.last_key:
                folder.observe(obs)
            else:  # it belongs in the past: fold again from the start, in the source's order
                folder = OrderFolder(lines, created_at_ms, channel)
                for earlier in sorted(seen, key=FoldObservation.sort_key):
                    folder.observe(earlier)
            after = folder.finish(paid_known).state()
            if after != state:
                work.audit.append(
                    self._draft(
                        "order.state",
                        work,
                        state,
                        after,
                        prepared.source_system,
                        prepared.record.source,
                        prepared.record.operator,
                        prepared.payload_json,
                    )
                )
                state = after
        work.projection = folder.finish(paid_known)
        work.lines_for_refund = lines

    def _text(self, value: Any) -> str:
        if not isinstance(value, dict) or value.keys() != _STATE_KEYS:
            return canonical_json(value)
        key = tuple(value.values())
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = canonical_json(value)
        return text

    def _draft(
        self,
        action: str,
        work: OrderWork,
        before: Any,
        after: Any,
        system: str,
        source: str,
        operator: str,
        payload: str,
    ) -> audit.AuditDraft:
        return audit.AuditDraft(
            at_ms=self.now,
            operator=operator,
            source_system=system,
            source=source,
            action=action,
            entity_key=work.domain_id,
            before_json=self._text(before),
            after_json=self._text(after),
            payload_json=payload,
        )


def _changed(stored: StoredOrder, record: PreparedOrder) -> dict[str, Any]:
    """The stored values of the order's fields that the new record changes (for the audit entry)."""
    r = record.record
    new = {
        "receiver_name": r.receiver.name,
        "receiver_phone": r.receiver.phone,
        "receiver_address": r.receiver.address,
        "waybill_no": r.waybill_no,
        "carrier": r.carrier,
        "paid_amount_fen": r.paid_amount_fen,
    }
    return {k: stored.row[k] for k, v in new.items() if stored.row.get(k) != v}


__all__ = ["ApplyReport", "CacheWriter", "search"]
