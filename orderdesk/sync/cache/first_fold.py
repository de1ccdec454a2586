"""What a batch does to an order it brings for the first time, worked out as plain rows.

A new order has no stored state to compare with: the observations that came with it are folded in
the sources' own order, each change of state becomes an audit draft, and the result is the rows to
insert.

Such an order depends on nothing already in the cache, so when batches are prepared in a worker
process (pipeline.py) the worker works the rows out ahead, as a guess; the writer takes them only if
the guess held (the order really is new, exactly these observations reached it, under
this unified id and operator) and otherwise calls this same function itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from orderdesk.sync.cache.audit import AuditDraft
from orderdesk.sync.contract import JsonMemo
from orderdesk.sync.fold import ArrivalFolder, FoldObservation, Projection

if TYPE_CHECKING:
    from orderdesk.sync.cache.ingest import PreparedOrder

_STATE_TEXTS = JsonMemo()  # canonical states repeat: serialise each once


def state_text(state: dict[str, Any]) -> str:
    return _STATE_TEXTS.text(tuple(state.values()), state)


class FirstFold(NamedTuple):
    observation_keys: tuple[str, ...]  # what it was worked out from, sorted
    entity_key: str  # the unified id its audit entries name
    operator: str  # who its "order.created" entry names
    projection: tuple[Any, ...]  # fulfilment, fulfilment_at_ms, refund, refunded_fen, cancelled, anomaly_count
    lines: tuple[tuple[Any, ...], ...]  # line_no, sku, title, quantity, unit price, discount, refund, refunded_fen
    events: tuple[tuple[Any, ...], ...]  # key, kind, at_ms, source, source_system, operator, observation key, line_no
    anomalies: tuple[tuple[Any, ...], ...]  # key, kind, observation key, detail_json
    audit: tuple[AuditDraft, ...]


def _source_order(arrival: tuple[str, FoldObservation]) -> tuple[int, int, str]:
    return arrival[1].sort_key()


def projection_values(p: Projection) -> tuple[Any, ...]:
    return (p.fulfilment, p.fulfilment_at_ms, p.refund, p.refunded_fen, int(p.cancelled), len(p.anomalies))


def fold_new_order(
    order: PreparedOrder, entity_key: str, operator: str, arrivals: Sequence[tuple[str, FoldObservation]]
) -> FirstFold:
    """Fold a new order's observations, one audit entry per change of state.

    They came together (``arrivals``: raw payload JSON and observation pairs), so they are taken in
    the sources' own order: the trail tells the order's story as it happened, whatever order a
    listing or a batch put them in (and no observation makes the folder start again from the top)."""
    arrivals = sorted(arrivals, key=_source_order)
    lines, channel = order.lines, order.get("channel")
    folder = ArrivalFolder(order.money(), order.get("created_at_ms"), channel)
    audit = [
        AuditDraft.of(operator, "channel", channel, "order.created", entity_key, "null", state_text(folder.state),
                      order.record_json)
    ]  # fmt: skip
    for payload_json, obs in arrivals:
        change = folder.arrive(obs)
        if change is not None:
            audit.append(
                AuditDraft.of(obs.operator, obs.source_system, obs.source, "order.state", entity_key,
                              state_text(change[0]), state_text(change[1]), payload_json)
            )  # fmt: skip
    p = folder.projection()
    return FirstFold(
        observation_keys=tuple(sorted(obs.key for _, obs in arrivals)),
        entity_key=entity_key,
        operator=operator,
        projection=projection_values(p),
        lines=tuple((*line, p.lines[line[0]].state, p.lines[line[0]].refunded_fen) for line in lines),
        events=tuple(
            (e.key, e.kind, e.at_ms, e.source, e.source_system, e.operator, e.observation_key, e.line_no)
            for e in p.events.values()
        ),
        anomalies=tuple(
            (a.key, a.kind, a.observation_key, json.dumps(a.detail, ensure_ascii=False, sort_keys=True))
            for a in p.anomalies.values()
        ),
        audit=tuple(audit),
    )
