"""The refund axis of one order: which requests are open, and how much money went back.

The contract (also in docs/orders.md, "Refunds"):

- A refund observation names a line (``line_no``) or the whole order (no line, or a rule whose
  ``refund_scope`` is ``order``). An amount (``refund_fen``) is what that refund returned; without one,
  the refund returns the whole line, or the whole order with its postage.
- An amount larger than its line's share spills over to the postage (channels count postage in the
  refunded amount); nothing ever goes back beyond what was paid.
- One refund is counted once. It is told apart by ``refund_id``; without one, by its line and amount
  (two refunds of 300 and 200 on a line are two refunds; the same 300 read twice is one). The channel's
  and finance's records of the same money are not added up: each source system's refunds are summed,
  and a line has had back the most any one system has seen.
- Requests are told apart by ``refund_id`` too. A request that was refunded and is later reported open
  or closed under the same id is a refund regression. A report without an id speaks for the line as a
  whole (Pinduoduo's order-level ``refund_status``): "closed" or "refunded" closes every open request
  on it, "refunding" opens a new one, and nothing it says is a regression.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from orderdesk.sync.order_money import OrderMoney
from orderdesk.sync.states import LineRefund, RefundState, SourceSystem

WHOLE_LINE = "-"  # a request reported without an id


@dataclass(slots=True)
class LineRefundState:
    amount_fen: int  # the line's share of what was paid (or the postage)
    requests: dict[str, LineRefund] = field(default_factory=dict)
    money: dict[tuple[str, str], int] = field(default_factory=dict)  # (source system, refund) → fen

    def by(self, system: str) -> int:
        return sum(fen for (s, _), fen in self.money.items() if s == system)

    @property
    def refunded_fen(self) -> int:
        systems = {s for s, _ in self.money}
        return min(self.amount_fen, max((self.by(s) for s in systems), default=0))

    @property
    def open(self) -> bool:
        return any(state is LineRefund.REFUNDING for state in self.requests.values())

    @property
    def state(self) -> LineRefund:
        if self.open:
            return LineRefund.REFUNDING
        return LineRefund.REFUNDED if self.refunded_fen > 0 else LineRefund.NONE


Regression = Callable[[int, LineRefund], None]  # (line_no, claimed): a refunded request reported otherwise


class RefundLedger:
    def __init__(self, money: OrderMoney) -> None:
        self.money = money
        self.lines = {line.line_no: LineRefundState(line.amount_fen) for line in money.lines}
        self.postage = LineRefundState(money.freight_fen)
        self.seen = False  # nothing to compute until a refund observation comes

    def claim(
        self,
        claimed: LineRefund,
        *,
        system: SourceSystem,
        targets: Iterable[int] | None,  # line numbers; None: the whole order
        refund_id: str | None,
        refund_fen: int | None,
        regression: Regression,
    ) -> bool:
        """Apply one refund claim; True when it changed the order's refund axis."""
        self.seen = True
        whole_order = targets is None
        numbers = sorted(self.lines) if targets is None else list(targets)
        before = self.snapshot()
        for line_no in numbers:
            self._request(line_no, claimed, refund_id, regression)
        if claimed is LineRefund.REFUNDED:
            scope = "order" if whole_order else ",".join(map(str, numbers))
            identity = refund_id or f"~{scope}:{'all' if refund_fen is None else refund_fen}"
            self._allocate(system.value, identity, numbers, refund_fen, postage=whole_order or refund_fen is not None)
        return self.snapshot() != before

    def _request(self, line_no: int, claimed: LineRefund, refund_id: str | None, regression: Regression) -> None:
        requests = self.lines[line_no].requests
        if refund_id is not None:
            if requests.get(refund_id) is LineRefund.REFUNDED and claimed is not LineRefund.REFUNDED:
                regression(line_no, claimed)
                return
            requests[refund_id] = claimed
        elif claimed is LineRefund.REFUNDING:
            requests[WHOLE_LINE] = claimed
        else:  # closed or refunded, for the line as a whole: every open request ends with it
            for key, state in requests.items():
                if state is LineRefund.REFUNDING:
                    requests[key] = claimed

    def _allocate(self, system: str, identity: str, numbers: list[int], budget: int | None, *, postage: bool) -> None:
        buckets = [self.lines[n] for n in numbers] + ([self.postage] if postage else [])
        for bucket in (*self.lines.values(), self.postage):  # the same refund read again replaces itself
            bucket.money.pop((system, identity), None)
        for bucket in buckets:
            room = bucket.amount_fen - bucket.by(system)
            take = room if budget is None else min(room, budget)
            if take > 0:
                bucket.money[(system, identity)] = take
                if budget is not None:
                    budget -= take

    def snapshot(self) -> tuple[object, ...]:
        lines = [(n, line.state, line.refunded_fen) for n, line in sorted(self.lines.items())]
        return (*lines, self.postage.refunded_fen)

    def state(self) -> tuple[RefundState, int]:
        """The order's refund state and the money returned (never more than was paid)."""
        lines = list(self.lines.values())
        refunded = min(self.money.refundable_fen, sum(line.refunded_fen for line in lines) + self.postage.refunded_fen)
        if refunded > 0 and lines and all(line.refunded_fen >= line.amount_fen for line in lines):
            return RefundState.REFUNDED, refunded
        if any(line.open for line in lines):
            return RefundState.REFUNDING, refunded
        if refunded > 0:
            return RefundState.PARTIALLY_REFUNDED, refunded
        return RefundState.NONE, refunded

    @property
    def fully_refunded(self) -> bool:
        return self.seen and self.state()[0] is RefundState.REFUNDED
