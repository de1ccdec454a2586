"""The order state machine: folds an order's observations into its canonical projection.

The projection is a pure function of the *set* of observations: they are folded in the order of the
source's own clock (ties broken by state rank, then by observation key), never in arrival order. So
applying an observation twice changes nothing, and the final state does not depend on the order in
which observations arrived. An observation that would move the order backwards is not applied; it
becomes an anomaly, as do skipped steps, evidence violations, unmapped statuses and source exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sync.mapping.table import MappedStatus
from sync.states import (
    EVENT_FOR_STATE,
    EVIDENCE,
    FULFILMENT_ORDER,
    AnomalyKind,
    EventKind,
    Fulfilment,
    LineRefund,
    RefundState,
    SourceSystem,
)

DEFAULT_REFUND_ID = "-"


class FoldObservation(NamedTuple):
    key: str  # the observation's identity; the same observation always has the same key
    observed_at_ms: int  # the source's own clock
    source: str
    source_system: SourceSystem
    mapped: MappedStatus
    operator: str
    line_no: int | None = None
    refund_id: str | None = None
    refund_fen: int | None = None

    def sort_key(self) -> tuple[int, int, str]:
        rank = self.mapped.fulfilment.rank if self.mapped.fulfilment else -1
        return (self.observed_at_ms, rank, self.key)


@dataclass(frozen=True, slots=True)
class FoldLine:
    line_no: int
    amount_fen: int  # what the buyer paid for the line: the most a refund can return


@dataclass(frozen=True, slots=True)
class DerivedEvent:
    key: str
    kind: EventKind
    at_ms: int
    source: str
    source_system: str
    operator: str
    observation_key: str | None
    line_no: int | None = None


@dataclass(frozen=True, slots=True)
class Anomaly:
    key: str
    kind: AnomalyKind
    observation_key: str | None
    detail: dict[str, Any]


@dataclass(slots=True)
class LineRefundState:
    amount_fen: int
    requests: dict[str, LineRefund] = field(default_factory=dict)
    refunded: dict[str, int] = field(default_factory=dict)

    @property
    def refunded_fen(self) -> int:
        return min(self.amount_fen, sum(self.refunded.values()))

    @property
    def open(self) -> bool:
        return any(state is LineRefund.REFUNDING for state in self.requests.values())

    @property
    def state(self) -> LineRefund:
        if self.refunded_fen > 0 and not self.open:
            return LineRefund.REFUNDED
        return LineRefund.REFUNDING if self.open else LineRefund.NONE


@dataclass(slots=True)
class Projection:
    fulfilment: Fulfilment | None = None
    fulfilment_source: str | None = None
    fulfilment_at_ms: int | None = None
    refund: RefundState = RefundState.NONE
    refunded_fen: int = 0
    cancelled: bool = False
    lines: dict[int, LineRefundState] = field(default_factory=dict)
    events: dict[str, DerivedEvent] = field(default_factory=dict)
    anomalies: dict[str, Anomaly] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)  # observation key → what it did

    def state(self) -> dict[str, Any]:
        """The comparable canonical state (what an audit entry records as before/after)."""
        return {
            "fulfilment": self.fulfilment,  # StrEnum members compare and serialise as their text
            "refund": self.refund,
            "refunded_fen": self.refunded_fen,
            "cancelled": self.cancelled,
        }


def _order_refund_state(lines: Iterable[LineRefundState]) -> tuple[RefundState, int]:
    lines = list(lines)
    refunded = sum(line.refunded_fen for line in lines)
    if refunded > 0 and all(line.refunded_fen >= line.amount_fen for line in lines):
        return RefundState.REFUNDED, refunded
    if any(line.open for line in lines):
        return RefundState.REFUNDING, refunded
    if refunded > 0:
        return RefundState.PARTIALLY_REFUNDED, refunded
    return RefundState.NONE, refunded


class OrderFolder:
    """Folds observations one at a time. Feed them in ``sort_key`` order, or call ``fold`` instead."""

    def __init__(self, lines: Iterable[FoldLine], created_at_ms: int, channel: str) -> None:
        self.p = Projection(lines={line.line_no: LineRefundState(line.amount_fen) for line in lines})
        self.cancelled_at: int | None = None
        self.last_key: tuple[int, int, str] | None = None
        self.refund_seen = False  # the refund axis needs no work until a refund observation comes
        created = DerivedEvent("created", EventKind.CREATED, created_at_ms, channel, "channel", "system", None)
        self.p.events[created.key] = created

    def anomaly(self, kind: AnomalyKind, obs: FoldObservation | None, **detail: Any) -> None:
        key = f"{kind.value}:{obs.key}" if obs else kind.value
        self.p.anomalies[key] = Anomaly(key, kind, obs.key if obs else None, detail)

    def event(self, kind: EventKind, obs: FoldObservation, key: str, line_no: int | None = None) -> None:
        if key not in self.p.events:
            self.p.events[key] = DerivedEvent(
                key, kind, obs.observed_at_ms, obs.source, obs.source_system, obs.operator, obs.key, line_no
            )

    def observe(self, obs: FoldObservation) -> None:
        self.last_key = obs.sort_key()
        mapped = obs.mapped
        outcome = "context"
        if mapped.unmapped:
            self.anomaly(AnomalyKind.UNMAPPED_STATUS, obs, source=obs.source)
            self.p.outcomes[obs.key] = "unmapped"
            return
        if mapped.exception:
            self.anomaly(AnomalyKind.SOURCE_EXCEPTION, obs, source=obs.source, signal=mapped.signal)
            outcome = "exception"
        if mapped.fulfilment is not None:
            outcome = self.fulfilment(obs, mapped.fulfilment)
        if mapped.cancelled and not self.p.cancelled:
            self.p.cancelled = True
            self.cancelled_at = obs.observed_at_ms
            self.event(EventKind.CANCELLED, obs, "cancelled")
            outcome = "applied"
        if mapped.refund is not None:
            outcome = self.refund(obs, mapped.refund)
        self.p.outcomes[obs.key] = outcome

    def fulfilment(self, obs: FoldObservation, claimed: Fulfilment) -> str:
        current = self.p.fulfilment
        if obs.source_system not in EVIDENCE[claimed]:
            self.anomaly(
                AnomalyKind.EVIDENCE_VIOLATION,
                obs,
                claimed=claimed.value,
                source_system=obs.source_system.value,
                allowed=sorted(s.value for s in EVIDENCE[claimed]),
            )
            return "anomaly"
        if current is not None and claimed.rank < current.rank:
            self.anomaly(
                AnomalyKind.REGRESSION,
                obs,
                current=current.value,
                claimed=claimed.value,
                established_by=self.p.fulfilment_source,
                same_source=self.p.fulfilment_source == obs.source,
            )
            return "anomaly"
        if current is not None and claimed.rank == current.rank:
            return "corroborating"
        first_required = current.rank + 1 if current is not None else Fulfilment.PAID.rank
        skipped = [s.value for s in FULFILMENT_ORDER[first_required : claimed.rank]]
        if skipped:
            self.anomaly(AnomalyKind.SKIPPED_STEP, obs, claimed=claimed.value, skipped=skipped)
        if self.cancelled_at is not None:
            self.anomaly(AnomalyKind.AFTER_CANCEL, obs, claimed=claimed.value)
        self.p.fulfilment = claimed
        self.p.fulfilment_source = obs.source
        self.p.fulfilment_at_ms = obs.observed_at_ms
        kind = EVENT_FOR_STATE[claimed]
        if kind is not None:
            self.event(kind, obs, kind.value)
        return "applied"

    def refund(self, obs: FoldObservation, claimed: LineRefund) -> str:
        self.refund_seen = True
        lines = self.p.lines
        whole_order = obs.mapped.refund_scope == "order" or obs.line_no is None
        if not whole_order and obs.line_no not in lines:
            self.anomaly(AnomalyKind.UNKNOWN_LINE, obs, line_no=obs.line_no, known=sorted(lines))
            return "anomaly"
        targets = sorted(lines) if whole_order else [obs.line_no]
        refund_id = obs.refund_id or DEFAULT_REFUND_ID
        budget = obs.refund_fen  # an amount stated for the whole observation, spread over its lines
        outcome = "corroborating"
        for line_no in targets:
            line = lines[line_no]
            before = line.requests.get(refund_id, LineRefund.NONE)
            if before is LineRefund.REFUNDED and claimed is not LineRefund.REFUNDED:
                self.anomaly(AnomalyKind.REFUND_REGRESSION, obs, line_no=line_no, claimed=claimed.value)
                outcome = "anomaly"
                continue
            if claimed is LineRefund.REFUNDED:
                amount = line.amount_fen if budget is None else min(line.amount_fen, budget)
                if budget is not None:
                    budget -= amount
                if line.refunded.get(refund_id) != amount or before is not LineRefund.REFUNDED:
                    outcome = "applied"
                line.refunded[refund_id] = max(amount, line.refunded.get(refund_id, 0))
                self.event(EventKind.REFUNDED, obs, f"refunded:{line_no}:{refund_id}", line_no)
            elif claimed is LineRefund.REFUNDING:
                self.event(EventKind.REFUND_REQUESTED, obs, f"refund_requested:{line_no}:{refund_id}", line_no)
                outcome = "applied" if before is not LineRefund.REFUNDING else outcome
            elif before is not LineRefund.NONE:
                outcome = "applied"
            line.requests[refund_id] = claimed
        return outcome

    def finish(self, paid_amount_known: bool) -> Projection:
        """The projection so far. Folding may go on afterwards; call again for the newer one."""
        p = self.p
        if self.refund_seen:
            p.refund, p.refunded_fen = _order_refund_state(p.lines.values())
        missing = AnomalyKind.MISSING_PAID_AMOUNT.value
        if not paid_amount_known and p.fulfilment is not None and p.fulfilment.rank >= Fulfilment.PAID.rank:
            self.anomaly(AnomalyKind.MISSING_PAID_AMOUNT, None)
        else:
            p.anomalies.pop(missing, None)
        return p


def fold(
    observations: Iterable[FoldObservation],
    *,
    lines: Iterable[FoldLine],
    created_at_ms: int,
    channel: str,
    paid_amount_known: bool = True,
) -> Projection:
    """The canonical projection of an order from the set of its observations."""
    folder = OrderFolder(lines, created_at_ms, channel)
    unique = {obs.key: obs for obs in observations}
    for obs in sorted(unique.values(), key=FoldObservation.sort_key):
        folder.observe(obs)
    return folder.finish(paid_amount_known)


class ArrivalFolder:
    """Folds observations in the order they arrive and tells each change of canonical state: the
    basis of the audit trail. The projection itself still depends only on the set (see ``fold``)."""

    def __init__(
        self,
        lines: Sequence[FoldLine],
        created_at_ms: int,
        channel: str,
        paid_known: bool,
        earlier: Iterable[FoldObservation] = (),
    ) -> None:
        self._start = (lines, created_at_ms, channel)
        self._paid_known = paid_known
        self._seen = sorted(earlier, key=FoldObservation.sort_key)
        self._folder = OrderFolder(*self._start)
        for obs in self._seen:
            self._folder.observe(obs)
        self.state = self._folder.finish(paid_known).state()

    def arrive(self, obs: FoldObservation) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Fold one more observation; (before, after) when the canonical state changed."""
        self._seen.append(obs)
        last = self._folder.last_key
        if last is None or obs.sort_key() > last:
            self._folder.observe(obs)
        else:  # it belongs in the past: fold again from the start, in the source's order
            self._folder = OrderFolder(*self._start)
            for earlier in sorted(self._seen, key=FoldObservation.sort_key):
                self._folder.observe(earlier)
        before, after = self.state, self._folder.finish(self._paid_known).state()
        if after == before:
            return None
        self.state = after
        return before, after

    def projection(self) -> Projection:
        return self._folder.finish(self._paid_known)
