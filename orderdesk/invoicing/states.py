"""An invoice's states and the moves between them (every move leaves an audit entry, as order states do).

requested → needs_data | ready;  needs_data → ready;  ready → submitted;  submitted → issued | failed;
failed → submitted (retry) | needs_data (the platform refused the buyer's data);
issued → partly_red | red;  partly_red → partly_red | red;
requested | needs_data | ready | failed → withdrawn (never issued, no longer wanted)."""

from __future__ import annotations

from enum import StrEnum

from orderdesk.sync.errors import BilingualError


class InvoiceState(StrEnum):
    REQUESTED = "requested"
    NEEDS_DATA = "needs_data"
    READY = "ready"
    SUBMITTED = "submitted"
    ISSUED = "issued"
    FAILED = "failed"
    PARTLY_RED = "partly_red"
    RED = "red"
    WITHDRAWN = "withdrawn"  # never issued, and no longer wanted (a refund, a split merge, a fix after a failure)


MOVES: dict[InvoiceState, frozenset[InvoiceState]] = {
    InvoiceState.REQUESTED: frozenset({InvoiceState.NEEDS_DATA, InvoiceState.READY, InvoiceState.WITHDRAWN}),
    InvoiceState.NEEDS_DATA: frozenset({InvoiceState.READY, InvoiceState.WITHDRAWN}),
    InvoiceState.READY: frozenset({InvoiceState.SUBMITTED, InvoiceState.NEEDS_DATA, InvoiceState.WITHDRAWN}),
    InvoiceState.SUBMITTED: frozenset({InvoiceState.ISSUED, InvoiceState.FAILED}),
    InvoiceState.FAILED: frozenset({InvoiceState.SUBMITTED, InvoiceState.NEEDS_DATA, InvoiceState.WITHDRAWN}),
    InvoiceState.ISSUED: frozenset({InvoiceState.PARTLY_RED, InvoiceState.RED}),
    InvoiceState.PARTLY_RED: frozenset({InvoiceState.PARTLY_RED, InvoiceState.RED}),
    InvoiceState.RED: frozenset(),
    InvoiceState.WITHDRAWN: frozenset(),
}

STATE_LABELS: dict[InvoiceState, tuple[str, str]] = {
    InvoiceState.REQUESTED: ("已申请", "requested"),
    InvoiceState.NEEDS_DATA: ("资料缺失", "needs data"),
    InvoiceState.READY: ("待开票", "ready"),
    InvoiceState.SUBMITTED: ("开票中", "being issued"),
    InvoiceState.ISSUED: ("已开票", "issued"),
    InvoiceState.FAILED: ("开票失败", "failed"),
    InvoiceState.PARTLY_RED: ("部分冲红", "partly red-lettered"),
    InvoiceState.RED: ("全额冲红", "red-lettered in full"),
    InvoiceState.WITHDRAWN: ("已撤回", "withdrawn"),
}


class InvalidMove(BilingualError, ValueError):
    """A move between two states that no invoice may make, naming both."""

    def __init__(self, before: InvoiceState, after: InvoiceState) -> None:
        zh_before, en_before = STATE_LABELS[before]
        zh_after, en_after = STATE_LABELS[after]
        super().__init__(en=f"an invoice that is {en_before} cannot become {en_after}",
                         zh=f"「{zh_before}」的发票不能变为「{zh_after}」")  # fmt: skip
        self.before, self.after = before, after


def move(before: InvoiceState, after: InvoiceState) -> InvoiceState:
    """``after``, if an invoice may go there from ``before``; else InvalidMove."""
    if after not in MOVES[before]:
        raise InvalidMove(before, after)
    return after
