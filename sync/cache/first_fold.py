"""What a batch does to an order it brings for the first time, worked out as plain rows.

A new order has no stored state to compare with: its observations are folded in arrival order,
each change of state becomes an audit draft, and the result is the rows to insert.

(Measured and left alone: making these rows in the preparing worker process instead moves the work
from one saturated core to the other and adds pickling; it does not pay on two cores.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sync.contract import canonical_json
from sync.fold import FoldLine, FoldObservation, OrderFolder, Projection

_STATE_TEXTS: dict[tuple[Any, ...], str] = {}  # canonical states repeat: serialise each once


def state_text(state: dict[str, Any] | None) -> str:
    if state is None:
        return "null"
    key = tuple(state.values())
    text = _STATE_TEXTS.get(key)
    if text is None:
        text = canonical_json(state)
        if len(_STATE_TEXTS) < 10_000:
            _STATE_TEXTS[key] = text
    return text


@dataclass(frozen=True, slots=True)
class FirstFold:
    projection: tuple[Any, ...]  # fulfilment, fulfilment_at_ms, refund, refunded_fen, cancelled, anomaly_count
    lines: tuple[tuple[Any, ...], ...]  # line_no, sku, title, quantity, unit price, discount, refund, refunded_fen
    events: tuple[tuple[Any, ...], ...]  # key, kind, at_ms, source, source_system, operator, observation key, line_no
    anomalies: tuple[tuple[Any, ...], ...]  # key, kind, observation key, detail_json
    # operator (None: the writer's own), source_system, source, action, before_json, after_json, payload_json
    audit: tuple[tuple[str | None, str, str, str, str, str, str], ...]


def projection_values(p: Projection) -> tuple[Any, ...]:
    return (p.fulfilment, p.fulfilment_at_ms, p.refund, p.refunded_fen, int(p.cancelled), len(p.anomalies))


def fold_new_order(
    lines: Sequence[tuple[Any, ...]],
    created_at_ms: int,
    channel: str,
    paid_known: bool,
    record_json: str,
    arrivals: Sequence[tuple[str, FoldObservation]],
) -> FirstFold:
    """Fold a new order's observations in arrival order, one audit entry per change of state.

    ``lines`` are the order's line values; ``arrivals`` are (raw payload JSON, observation)."""
    fold_lines = [FoldLine(line[0], max(0, line[3] * line[4] - line[5])) for line in lines]
    folder = OrderFolder(fold_lines, created_at_ms, channel)
    state = folder.finish(paid_known).state()
    audit = [(None, "channel", channel, "order.created", "null", state_text(state), record_json)]
    seen: list[FoldObservation] = []
    for payload_json, obs in arrivals:
        seen.append(obs)
        if folder.last_key is None or obs.sort_key() > folder.last_key:
            folder.observe(obs)
        else:  # it belongs in the past: fold again from the start, in the source's order
            folder = OrderFolder(fold_lines, created_at_ms, channel)
            for earlier in sorted(seen, key=FoldObservation.sort_key):
                folder.observe(earlier)
        after = folder.finish(paid_known).state()
        if after != state:
            audit.append(
                (
                    obs.operator,
                    obs.source_system,
                    obs.source,
                    "order.state",
                    state_text(state),
                    state_text(after),
                    payload_json,
                )
            )
            state = after
    p = folder.finish(paid_known)
    return FirstFold(
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
