"""The order state machine: folds an order's observations into its canonical projection.

The projection is a pure function of the *set* of observations: they are folded in the order of the
source's own clock (ties broken by state rank, then by observation key), never in arrival order. So
applying an observation twice changes nothing, and the final state does not depend on the order in
which observations arrived.

The rules (also in docs/orders.md, "What the fold decides"):

- Every state implies the ones before it: a shipped order was paid, a confirmed order needs no
  carrier signature (virtual goods, self-pickup, tracking that ended), a settled one no confirmation
  (Pinduoduo settles without one). So a skipped step is no anomaly.
- A claim moves the order backwards only against what the *same source system* already evidenced:
  the channel saying "paid" after it said "shipped" is a regression. Evidence from another system
  that comes later than a higher state (the carrier's signature after the buyer confirmed, finance's
  payment bill after shipment) records its event and is no anomaly.
- A source's exception (a carrier problem, an aborted subscription, a reversed settlement) stays open
  until the same system reports progress; refusals and returns stay open until the order is refunded
  in full or cancelled.
- Goods that leave after the order was refunded in full are an anomaly (拦截失败), as is fulfilment
  after a cancellation.
- The refund axis never overwrites fulfilment; see ``sync.refunds`` for how money is counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from orderdesk.sync.mapping.table import MappedStatus
from orderdesk.sync.order_money import FoldLine, OrderMoney
from orderdesk.sync.refunds import LineRefundState, RefundLedger
from orderdesk.sync.states import (
    EVENT_FOR_STATE,
    EVIDENCE,
    AnomalyKind,
    EventKind,
    Fulfilment,
    LineRefund,
    RefundState,
    SourceSystem,
)

__all__ = ["ArrivalFolder", "FoldLine", "FoldObservation", "OrderFolder", "OrderMoney", "Projection", "fold"]

# Exceptions a person must see through to the end: they close with a full refund or a cancellation.
LASTING_SIGNALS = frozenset({"refused", "returning", "returned_to_sender"})


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


class OrderFolder:
    """Folds observations one at a time. Feed them in ``sort_key`` order, or call ``fold`` instead."""

    def __init__(self, money: OrderMoney, created_at_ms: int, channel: str) -> None:
        self.refunds = RefundLedger(money)
        self.p = Projection(lines=self.refunds.lines)
        self.paid_known = money.paid_known
        self.cancelled_at: int | None = None
        self.last_key: tuple[int, int, str] | None = None
        self.evidenced: dict[SourceSystem, Fulfilment] = {}  # the highest state each system has claimed
        self.exceptions: dict[str, tuple[SourceSystem, frozenset[str]]] = {}  # open: anomaly key → system, signals
        created = DerivedEvent("created", EventKind.CREATED, created_at_ms, channel, "channel", "system", None)
        self.p.events[created.key] = created

    def anomaly(self, kind: AnomalyKind, obs: FoldObservation | None, **detail: Any) -> str:
        key = f"{kind.value}:{obs.key}" if obs else kind.value
        self.p.anomalies[key] = Anomaly(key, kind, obs.key if obs else None, detail)
        return key

    def event(self, kind: EventKind, obs: FoldObservation, key: str, line_no: int | None = None) -> bool:
        if key in self.p.events:
            return False
        self.p.events[key] = DerivedEvent(
            key, kind, obs.observed_at_ms, obs.source, obs.source_system, obs.operator, obs.key, line_no
        )
        return True

    def observe(self, obs: FoldObservation) -> None:
        self.last_key = obs.sort_key()
        mapped = obs.mapped
        outcome = "context"
        if mapped.unmapped:
            self.anomaly(AnomalyKind.UNMAPPED_STATUS, obs, source=obs.source)
            outcome = "unmapped"
            if not (mapped.fulfilment or mapped.implies or mapped.refund or mapped.cancelled or mapped.exception):
                self.p.outcomes[obs.key] = outcome
                return
        progress = mapped.fulfilment is not None or mapped.implies is not None
        if progress and not mapped.exception:  # the same system moving on closes what it reported wrong
            self._close_exceptions(obs.source_system)
        if mapped.exception:
            signals = frozenset(mapped.signal.split(",")) if mapped.signal else frozenset()
            key = self.anomaly(AnomalyKind.SOURCE_EXCEPTION, obs, source=obs.source, signal=mapped.signal)
            self.exceptions[key] = (obs.source_system, signals)
            outcome = "exception"
        if mapped.implies is not None:
            outcome = self.implied(obs, mapped.implies) or outcome
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

    def _close_exceptions(self, system: SourceSystem) -> None:
        for key, (raised_by, signals) in list(self.exceptions.items()):
            if raised_by is system and not signals & LASTING_SIGNALS:
                del self.exceptions[key]
                self.p.anomalies.pop(key, None)

    def implied(self, obs: FoldObservation, state: Fulfilment) -> str | None:
        """A status that means "at least this far" (a trade closed after payment was paid)."""
        current = self.p.fulfilment
        if current is not None and current.rank >= state.rank:
            return None
        self._advance(obs, state)
        return "applied"

    def fulfilment(self, obs: FoldObservation, claimed: Fulfilment) -> str:
        system = obs.source_system
        if system not in EVIDENCE[claimed]:
            self.anomaly(
                AnomalyKind.EVIDENCE_VIOLATION,
                obs,
                claimed=claimed.value,
                source_system=system.value,
                allowed=sorted(s.value for s in EVIDENCE[claimed]),
            )
            return "anomaly"
        own = self.evidenced.get(system)
        if own is not None and claimed.rank < own.rank:
            self.anomaly(
                AnomalyKind.REGRESSION,
                obs,
                current=self.p.fulfilment.value if self.p.fulfilment else None,
                claimed=claimed.value,
                evidenced=own.value,  # what this same system had already said
                established_by=system.value,
                same_source=True,
            )
            return "anomaly"
        self.evidenced[system] = claimed
        current = self.p.fulfilment
        if current is not None and claimed.rank <= current.rank:  # evidence of a step already passed
            kind = EVENT_FOR_STATE[claimed]
            recorded = kind is not None and self.event(kind, obs, kind.value)
            return "evidence" if recorded else "corroborating"
        self._advance(obs, claimed)
        return "applied"

    def _advance(self, obs: FoldObservation, state: Fulfilment) -> None:
        current = self.p.fulfilment
        if self.cancelled_at is not None and state.rank >= Fulfilment.SHIPPED.rank:
            self.anomaly(AnomalyKind.AFTER_CANCEL, obs, claimed=state.value)
        first_shipment = state.rank >= Fulfilment.SHIPPED.rank and (
            current is None or current.rank < Fulfilment.SHIPPED.rank
        )
        if first_shipment and self.refunds.fully_refunded:
            self.anomaly(
                AnomalyKind.SHIPPED_AFTER_REFUND, obs, claimed=state.value, refunded_fen=self.refunds.state()[1]
            )
        self.p.fulfilment = state
        self.p.fulfilment_source = obs.source
        self.p.fulfilment_at_ms = obs.observed_at_ms
        kind = EVENT_FOR_STATE[state]
        if kind is not None:
            self.event(kind, obs, kind.value)

    def refund(self, obs: FoldObservation, claimed: LineRefund) -> str:
        lines = self.p.lines
        target = None if obs.mapped.refund_scope == "order" else obs.line_no  # None: the whole order
        if target is not None and target not in lines:
            self.anomaly(AnomalyKind.UNKNOWN_LINE, obs, line_no=target, known=sorted(lines))
            return "anomaly"
        regressed: list[int] = []

        def regression(line_no: int, state: LineRefund) -> None:
            regressed.append(line_no)
            self.anomaly(AnomalyKind.REFUND_REGRESSION, obs, line_no=line_no, claimed=state.value)

        changed = self.refunds.claim(
            claimed,
            system=obs.source_system,
            targets=None if target is None else [target],
            refund_id=obs.refund_id,
            refund_fen=obs.refund_fen,
            regression=regression,
        )
        identity = obs.refund_id or "-"
        for each in sorted(lines) if target is None else [target]:
            if each in regressed:
                continue
            if claimed is LineRefund.REFUNDED:
                self.event(EventKind.REFUNDED, obs, f"refunded:{each}:{identity}", each)
            elif claimed is LineRefund.REFUNDING:
                self.event(EventKind.REFUND_REQUESTED, obs, f"refund_requested:{each}:{identity}", each)
        if regressed:
            return "anomaly"
        return "applied" if changed else "corroborating"

    def finish(self, paid_amount_known: bool | None = None) -> Projection:
        """The projection so far. Folding may go on afterwards; call again for the newer one."""
        p = self.p
        known = self.paid_known if paid_amount_known is None else paid_amount_known
        if self.refunds.seen:
            p.refund, p.refunded_fen = self.refunds.state()
        if p.refund is RefundState.REFUNDED or p.cancelled:  # refusals and returns end with the money back
            for key, (_, signals) in list(self.exceptions.items()):
                if signals & LASTING_SIGNALS:
                    p.anomalies.pop(key, None)
        missing = AnomalyKind.MISSING_PAID_AMOUNT.value
        if not known and p.fulfilment is not None and p.fulfilment.rank >= Fulfilment.PAID.rank:
            self.anomaly(AnomalyKind.MISSING_PAID_AMOUNT, None)
        else:
            p.anomalies.pop(missing, None)
        return p


def _money(money: OrderMoney | None, lines: Iterable[FoldLine] | None, paid_amount_known: bool) -> OrderMoney:
    if money is not None:
        return money
    return OrderMoney.of_lines(lines or (), paid_known=paid_amount_known)


def fold(
    observations: Iterable[FoldObservation],
    *,
    money: OrderMoney | None = None,
    lines: Iterable[FoldLine] | None = None,
    created_at_ms: int,
    channel: str,
    paid_amount_known: bool = True,
) -> Projection:
    """The canonical projection of an order from the set of its observations (``money``, or ``lines``
    alone when the order has no discount or postage to count)."""
    folder = OrderFolder(_money(money, lines, paid_amount_known), created_at_ms, channel)
    unique = {obs.key: obs for obs in observations}
    for obs in sorted(unique.values(), key=FoldObservation.sort_key):
        folder.observe(obs)
    return folder.finish()


class ArrivalFolder:
    """Folds observations in the order they arrive and tells each change of canonical state: the
    basis of the audit trail. The projection itself still depends only on the set (see ``fold``)."""

    def __init__(
        self, money: OrderMoney, created_at_ms: int, channel: str, earlier: Iterable[FoldObservation] = ()
    ) -> None:
        self._start = (money, created_at_ms, channel)
        self._seen = sorted(earlier, key=FoldObservation.sort_key)
        self._folder = OrderFolder(*self._start)
        for obs in self._seen:
            self._folder.observe(obs)
        self.state = self._folder.finish().state()

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
        before, after = self.state, self._folder.finish().state()
        if after == before:
            return None
        self.state = after
        return before, after

    def projection(self) -> Projection:
        return self._folder.finish()
