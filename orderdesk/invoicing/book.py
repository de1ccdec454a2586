"""The invoice book of a seller: which order lines are on which invoice, blue and red, and the rules
that keep it true whatever happens (signing, payment, refunds, merges, retries, answers lost).

It is the model the hub's invoice store follows, kept here in memory, Qt-free and store-free, so its
invariants can be checked over any sequence of events (tests/invoicing/test_book.py):

- never two live blue invoices for one order line (a lost answer is asked again under the same
  ``order_no``, the platform's idempotency key: it never makes a second invoice);
- per order, once every invoice is issued, blue minus red equals paid minus refunded;
- no invoice's balance (blue minus its red-letters) is ever below zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from orderdesk.invoicing.amounts import InvoiceLine
from orderdesk.invoicing.red_letter import BlueLine, RedLetterRefused, RedReason, red_lines
from orderdesk.invoicing.states import InvoiceState, move
from orderdesk.invoicing.tax_table import TaxItem


@dataclass(slots=True)
class Invoice:
    order_no: str  # the platform's idempotency key
    state: InvoiceState
    lines: list[BlueLine]
    red_of: str | None = None  # a red-letter invoice: the blue invoice it reverses
    number: str | None = None  # the platform's 20-digit number, once issued
    red: dict[int, int] = field(default_factory=dict)  # blue index → fen red-lettered (blue invoices)

    @property
    def total_fen(self) -> int:
        return sum(bl.line.included_fen for bl in self.lines)

    @property
    def balance_fen(self) -> int:
        return self.total_fen - sum(self.red.values())


@dataclass(slots=True)
class _OrderLine:
    paid_fen: int
    item: TaxItem
    quantity: int
    refunded_fen: int = 0
    blue: str | None = None  # the live blue invoice's order_no


class InvoiceBook:
    def __init__(self) -> None:
        self.invoices: dict[str, Invoice] = {}
        self.lines: dict[tuple[str, int], _OrderLine] = {}
        self._numbers = count(1)

    # -- what happens to orders -------------------------------------------------------------------
    def paid(self, order: str, line_no: int, fen: int, item: TaxItem, quantity: int = 1) -> None:
        self.lines.setdefault((order, line_no), _OrderLine(fen, item, quantity))

    def request(self, orders: list[str]) -> Invoice | None:
        """One blue invoice for the lines of these orders that none covers yet (a merge when several);
        only what was not refunded is invoiced. None when nothing is left to invoice."""
        blue: list[BlueLine] = []
        for order in orders:
            for (o, line_no), ol in sorted(self.lines.items()):
                net = ol.paid_fen - ol.refunded_fen
                if o == order and ol.blue is None and net > 0:
                    blue.append(BlueLine(len(blue) + 1, order, InvoiceLine.of(line_no, ol.item, ol.quantity, net)))
        if not blue:
            return None
        invoice = Invoice(f"OD{next(self._numbers):08d}", InvoiceState.READY, blue)
        self.invoices[invoice.order_no] = invoice
        for bl in blue:
            self.lines[(bl.order, bl.line.order_line_no)].blue = invoice.order_no
        return invoice

    def submitted(self, order_no: str) -> None:
        invoice = self.invoices[order_no]
        invoice.state = move(invoice.state, InvoiceState.SUBMITTED)

    def issued(self, order_no: str, number: str) -> None:
        """The platform's answer (asked again after a lost one: the same order_no, the same invoice)."""
        invoice = self.invoices[order_no]
        if invoice.state is InvoiceState.ISSUED and invoice.number == number:
            return  # the same answer twice
        invoice.state, invoice.number = move(invoice.state, InvoiceState.ISSUED), number

    def failed(self, order_no: str) -> None:
        invoice = self.invoices[order_no]
        invoice.state = move(invoice.state, InvoiceState.FAILED)

    def refund(self, order: str, line_no: int, fen: int, reason: RedReason = RedReason.SALES_RETURN) -> Invoice | None:
        """A refund that succeeded. Before issuing, the invoice waiting for the line is made again for
        the net; after, a red-letter of exactly that money on exactly that line. Returns the red one."""
        ol = self.lines[(order, line_no)]
        fen = min(fen, ol.paid_fen - ol.refunded_fen)
        if fen <= 0:
            return None
        ol.refunded_fen += fen
        blue = self.invoices.get(ol.blue) if ol.blue else None
        if blue is None or blue.state in (InvoiceState.READY, InvoiceState.FAILED, InvoiceState.NEEDS_DATA):
            if blue is not None:  # not issued: withdraw it; its lines are invoiced again for the net
                self._withdraw(blue)
            return None
        if blue.state is InvoiceState.SUBMITTED:
            ol.refunded_fen -= fen  # wait for the answer: the refund is taken again once it is known
            raise RedLetterRefused("state", blue.state.value, en=f"invoice {blue.order_no} is being issued: refund later",
                                   zh=f"发票 {blue.order_no} 正在开具,请稍后再冲红")  # fmt: skip
        lines = red_lines(blue.order_no, blue.lines, order, {line_no: fen}, blue.red, reason)
        red = Invoice(f"OD{next(self._numbers):08d}", InvoiceState.ISSUED, [], red_of=blue.order_no)
        for rl in lines:
            blue.red[rl.blue_index] = blue.red.get(rl.blue_index, 0) - rl.included_fen
            item = blue.lines[rl.blue_index - 1].line.item
            red.lines.append(BlueLine(rl.blue_index, order, InvoiceLine(rl.order_line_no, item, rl.quantity or 0,
                                                                          rl.included_fen, rl.excluded_fen, rl.tax_fen)))  # fmt: skip
        blue.state = move(blue.state, InvoiceState.RED if blue.balance_fen == 0 else InvoiceState.PARTLY_RED)
        self.invoices[red.order_no] = red
        return red

    def _withdraw(self, invoice: Invoice) -> None:
        for bl in invoice.lines:
            self.lines[(bl.order, bl.line.order_line_no)].blue = None
        del self.invoices[invoice.order_no]

    # -- the invariants ---------------------------------------------------------------------------
    def problems(self) -> list[str]:
        found = []
        live: dict[tuple[str, int], list[str]] = {}
        for invoice in self.invoices.values():
            if invoice.red_of is None:
                for bl in invoice.lines:
                    live.setdefault((bl.order, bl.line.order_line_no), []).append(invoice.order_no)
                if invoice.balance_fen < 0:
                    found.append(f"{invoice.order_no}: balance {invoice.balance_fen} below zero")
        found += [f"{key}: on {len(v)} blue invoices" for key, v in live.items() if len(v) > 1]
        issued = (InvoiceState.ISSUED, InvoiceState.PARTLY_RED, InvoiceState.RED)
        for (order, line_no), ol in self.lines.items():  # once issued: blue - red == paid - refunded
            blue = self.invoices.get(ol.blue) if ol.blue else None
            if blue is None or blue.state not in issued:
                continue
            bl = next(b for b in blue.lines if b.order == order and b.line.order_line_no == line_no)
            net = bl.line.included_fen - blue.red.get(bl.index, 0)
            if net != ol.paid_fen - ol.refunded_fen:
                found.append(
                    f"{order} line {line_no}: blue - red {net} != paid - refunded {ol.paid_fen - ol.refunded_fen}"
                )
        return found
