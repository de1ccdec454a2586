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

from orderdesk.sync.cache import audit
from orderdesk.sync.cache.first_fold import FirstFold, fold_new_order, state_text
from orderdesk.sync.cache.ingest import (
    PreparedBatch,
    PreparedObservation,
    PreparedOrder,
    Quarantined,
    channel_key,
    prepare,
)
from orderdesk.sync.cache.mapping_store import active_registry
from orderdesk.sync.cache.pending import adopt_pending, park_pending, release_left_waybills
from orderdesk.sync.cache.store import Cache
from orderdesk.sync.cache.stored import (
    StoredOrder,
    existing_keys,
    ids_by,
    load_details,
    orders_by_channel_key,
    orders_where,
    stored_observation_keys,
)
from orderdesk.sync.cache.writes import OrderWork, write_batch
from orderdesk.sync.contract import canonical_json, channel_key_parts
from orderdesk.sync.fold import ArrivalFolder
from orderdesk.sync.mapping import MappingRegistry
from orderdesk.sync.record_errors import RecordError

_COUNTS = (
    "orders_new", "orders_updated", "observations_new", "observations_duplicate", "observations_pending",
    "observations_released", "state_changes", "anomalies_opened", "anomalies_resolved", "audit_entries",
)  # fmt: skip


@dataclass(slots=True)
class ApplyReport:
    orders_new: int = 0
    orders_updated: int = 0
    observations_new: int = 0
    observations_duplicate: int = 0
    observations_pending: int = 0
    observations_released: int = 0  # left an order whose waybill changed; waiting again
    state_changes: int = 0
    anomalies_opened: int = 0
    anomalies_resolved: int = 0
    audit_entries: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)

    def add(self, other: ApplyReport) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.quarantined.extend(other.quarantined)

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {name: getattr(self, name) for name in _COUNTS}
        document["quarantined"] = [
            {"kind": q.kind, "source": q.source, "reference": q.reference, "errors": [e.model_dump() for e in q.errors]}
            for q in self.quarantined
        ]
        return document


Also = Callable[[Connection], None]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


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

    def apply(
        self, orders: Iterable[Any] = (), observations: Iterable[Any] = (), *, also: Also | None = None
    ) -> ApplyReport:
        """Apply one batch in one transaction. ``also`` runs inside that same transaction, before
        commit: the sync layer saves its cursor there, so a page and its cursor commit together."""
        with cycle_collection_paused():
            return self.apply_prepared(prepare(orders, observations, self.registry()), also=also)

    def apply_prepared(self, batch: PreparedBatch, *, also: Also | None = None) -> ApplyReport:
        with cycle_collection_paused(), self.cache.write() as connection:
            report = _Transaction(connection, self.registry(), self.clock(), self.operator).run(batch)
            if also is not None:
                also(connection)
            return report


class _Transaction:
    def __init__(self, connection: Connection, registry: MappingRegistry, now: int, operator: str) -> None:
        self.c = connection
        self.registry = registry
        self.now = now
        self.operator = operator
        self.report = ApplyReport()
        self.work: dict[int, OrderWork] = {}
        self.first_folds: dict[str, FirstFold] = {}
        self.why = "{}"  # why a stored order's state changes without a new observation (its data, a refold)

    def run(self, batch: PreparedBatch) -> ApplyReport:
        self.report.quarantined.extend(batch.quarantined)
        self.report.observations_duplicate += batch.repeated
        self.first_folds = batch.first_folds
        self.orders(batch.orders)
        self.release_left_waybills()
        self.observations(batch.observations)
        adopting = [w for w in self.work.values() if w.adopts_pending]
        for prepared, order_ids in adopt_pending(self.c, self.registry, adopting):
            for order_id in order_ids:
                if prepared.key in self.work[order_id].attached:
                    self.report.observations_duplicate += 1  # delivered again while it waited
                else:
                    self.attach(order_id, prepared)
        stored = {i: w.stored for i, w in self.work.items() if w.stored is not None}
        if stored:
            load_details(self.c, stored)
        self.fold_all()
        counts = write_batch(self.c, self.work.values(), self.report.quarantined, self.now)
        self.report.anomalies_opened, self.report.anomalies_resolved = counts
        self.report.audit_entries = audit.append(self.c, [d for w in self.work.values() for d in w.audit], self.now)
        return self.report

    # -- orders ---------------------------------------------------------------------------------
    def orders(self, prepared: list[PreparedOrder]) -> None:
        if not prepared:
            return
        keys = [channel_key_parts(p.key) for p in prepared]
        existing = {
            channel_key(r["channel"], r["shop"], r["channel_order_no"]): r for r in orders_by_channel_key(self.c, keys)
        }
        claimed = [p.domain_id for p in prepared if p.domain_id and p.key not in existing]
        taken = {r["domain_id"] for r in orders_where(self.c, "domain_id", claimed)} if claimed else set()
        next_id = (self.c.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM orders").scalar() or 0) + 1
        for p in prepared:
            row = existing.get(p.key)
            if row is not None:
                if p.domain_id and p.domain_id != row["domain_id"]:
                    self.refuse(p, "domain_id", p.domain_id,
                                message=f"this order's unified id is {row['domain_id']}; ids are made once",
                                message_zh=f"此订单的统一订单号是 {row['domain_id']},统一订单号一经生成不可更改")  # fmt: skip
                elif row["record_sha"] != p.sha:
                    self.work.setdefault(row["id"], OrderWork(StoredOrder(row))).record = p
                    self.report.orders_updated += 1
                continue
            if p.domain_id and p.domain_id in taken:
                self.refuse(p, "domain_id", p.domain_id, message="this unified id already belongs to another order",
                            message_zh="此统一订单号已属于另一个订单")  # fmt: skip
                continue
            domain_id = p.fresh_id
            taken.add(domain_id)
            self.work[next_id] = OrderWork(None, record=p, new_id=next_id, new_domain_id=domain_id)
            next_id += 1
            self.report.orders_new += 1

    def refuse(self, p: PreparedOrder, field_name: str, value: str, *, message: str, message_zh: str) -> None:
        error = RecordError(field=field_name, value=value, message=message, message_zh=message_zh)
        quarantined = Quarantined("order", p.get("channel"), p.get("channel_order_no"), p.record_json, [error])
        self.report.quarantined.append(quarantined)

    def release_left_waybills(self) -> None:
        """An order given another waybill lets go of what reached it through the old one."""
        leaving = {}
        for order_id, w in self.work.items():
            if (
                w.stored is not None
                and w.record is not None
                and w.stored.row["waybill_no"] != w.record.get("waybill_no")
            ):
                leaving[order_id] = w.record.get("waybill_no")
        if leaving:
            for order_id, keys in release_left_waybills(self.c, leaving, self.now).items():
                self.work[order_id].released = keys
                self.report.observations_released += len(keys)

    # -- observations ---------------------------------------------------------------------------
    def observations(self, prepared: list[PreparedObservation]) -> None:
        if not prepared:
            return
        index: dict[str, dict[str, list[int]]] = {"domain_id": defaultdict(list), "channel_key": defaultdict(list),
                                                  "waybill_no": defaultdict(list)}  # fmt: skip
        for order_id, work in self.work.items():
            index["domain_id"][work.domain_id].append(order_id)
            if work.record is not None:
                index["channel_key"][work.record.key].append(order_id)
                if work.record.get("waybill_no"):
                    index["waybill_no"][work.record.get("waybill_no")].append(order_id)
        wanted: dict[str, set[str]] = {"domain_id": set(), "channel_key": set(), "waybill_no": set()}
        for o in prepared:
            deciding = o.deciding
            if deciding is not None:
                wanted[deciding[0]].add(deciding[1])
        wanted["domain_id"] -= set(index["domain_id"])
        wanted["channel_key"] -= set(index["channel_key"])
        # A waybill is always looked up: a cached order may share it with one in the batch (merged
        # shipment). An order this batch brings a record for has its waybill from that record: the
        # stored row may still show the one it is leaving.
        for column in ("domain_id", "waybill_no"):
            for value, found in ids_by(self.c, column, wanted[column]).items():
                for order_id, _ in found:
                    known = self.work.get(order_id)
                    if order_id not in index[column][value] and (known is None or known.record is None):
                        index[column][value].append(order_id)
        if wanted["channel_key"]:
            keys = [channel_key_parts(k) for k in wanted["channel_key"]]
            for row in orders_by_channel_key(self.c, keys):
                named = channel_key(row["channel"], row["shop"], row["channel_order_no"])
                index["channel_key"][named].append(row["id"])

        new_orders = {i for i, w in self.work.items() if w.stored is None}
        targets: list[tuple[PreparedObservation, list[int]]] = []
        for o in prepared:
            deciding = o.deciding
            targets.append((o, sorted(set(index[deciding[0]].get(deciding[1], ())))) if deciding else (o, []))
        # Keys can only be stored already for orders that existed before this batch; the rest may wait.
        stored = stored_observation_keys(self.c, [(i, o.key) for o, ids in targets for i in ids if i not in new_orders])
        waiting = existing_keys(self.c, "pending_observations", [o.key for o, ids in targets if not ids])
        self.load_orders({i for o, ids in targets for i in ids if (i, o.key) not in stored})
        to_park = []
        for o, ids in targets:
            if not ids:
                if o.key in waiting:
                    self.report.observations_duplicate += 1
                else:
                    to_park.append(o)
            for order_id in ids:
                if (order_id, o.key) in stored:
                    self.report.observations_duplicate += 1
                else:
                    self.attach(order_id, o)
        self.report.observations_pending += park_pending(self.c, to_park, self.now)

    def load_orders(self, order_ids: set[int]) -> None:
        """The cached orders this batch's observations reach, in one chunked query."""
        missing = [i for i in order_ids if i not in self.work]
        for row in orders_where(self.c, "id", missing) if missing else ():
            self.work[row["id"]] = OrderWork(StoredOrder(row))

    def attach(self, order_id: int, o: PreparedObservation) -> None:
        """One observation on one order; every order it reaches (a merged shipment's) holds it under its
        own key: keys are unique per order."""
        if order_id not in self.work:  # an order that was not loaded with the others
            self.load_orders({order_id})
        work = self.work[order_id]
        work.new_observations.append((o, o.fold))
        work.attached.add(o.key)
        self.report.observations_new += 1

    # -- folding --------------------------------------------------------------------------------
    def fold_all(self) -> None:
        for work in self.work.values():
            self.fold(work)
            self.report.state_changes += sum(1 for d in work.audit if d.action == "order.state")

    def fold(self, work: OrderWork) -> None:
        if work.stored is None:
            self.fold_new(work)
        else:
            self.fold_stored(work)

    def fold_new(self, work: OrderWork) -> None:
        record = work.record
        assert record is not None
        arrivals = [(prepared.payload_json, obs) for prepared, obs in work.new_observations]
        first = self.first_folds.get(record.key)
        held = (
            first is not None
            and first.entity_key == work.domain_id
            and first.operator == self.operator
            and first.observation_keys == tuple(sorted(obs.key for _, obs in arrivals))
        )
        if not held:
            first = fold_new_order(record, work.domain_id, self.operator, arrivals)
        assert first is not None
        work.first = first
        work.audit = list(first.audit)

    def fold_stored(self, work: OrderWork) -> None:
        record, stored = work.record, work.stored
        assert stored is not None
        if record is not None:
            money, created_at_ms, channel = record.money(), record.get("created_at_ms"), record.get("channel")
        else:
            money, created_at_ms, channel = stored.money(), stored.row["created_at_ms"], stored.row["channel"]
        folder = ArrivalFolder(money, created_at_ms, channel, earlier=stored.observations)
        if record is not None:
            changed = canonical_json(_changed(stored, record))
            work.audit.append(
                self._draft(
                    "order.updated", work, changed, "null", "channel", channel, self.operator, record.record_json
                )
            )
        before = stored.state()
        if folder.state != before:  # the order's own data changed what its observations mean
            why = self.why
            if work.released:  # observations of the waybill it left
                why = canonical_json({"released": work.released, "waybill_no": stored.row["waybill_no"]})
            work.audit.append(
                self._draft(
                    "order.state", work, state_text(before), state_text(folder.state), "channel", channel,
                    self.operator, why,
                )
            )  # fmt: skip
        for prepared, obs in work.new_observations:
            change = folder.arrive(obs)
            if change is not None:
                work.audit.append(
                    self._draft("order.state", work, state_text(change[0]), state_text(change[1]), obs.source_system,
                                obs.source, obs.operator, prepared.payload_json)
                )  # fmt: skip
        work.projection = folder.projection()

    def _draft(self, action: str, work: OrderWork, before: str, after: str, system: str, source: str, operator: str, payload: str) -> audit.AuditDraft:  # fmt: skip
        return audit.AuditDraft.of(operator, system, source, action, work.domain_id, before, after, payload)


_AUDITED_FIELDS = ("receiver_name", "receiver_phone", "receiver_address", "waybill_no", "carrier", "paid_amount_fen")


def _changed(stored: StoredOrder, record: PreparedOrder) -> dict[str, Any]:
    """The stored values of the order's fields that the new record changes (for the audit entry)."""
    return {k: stored.row[k] for k in _AUDITED_FIELDS if stored.row.get(k) != record.get(k)}
