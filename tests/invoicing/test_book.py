"""The invoice book's invariants over any sequence of payments, requests (merges), answers (lost and
repeated), failures, retries and refunds: never two live blue invoices for an order line; once issued,
blue minus red equals paid minus refunded; no balance below zero. And red-letters of exactly the
refunded lines of exactly one order, on a merged invoice too."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from orderdesk.invoicing.amounts import InvoiceLine
from orderdesk.invoicing.book import InvoiceBook
from orderdesk.invoicing.red_letter import BlueLine, RedLetterRefused, RedReason, red_lines
from orderdesk.invoicing.states import InvalidMove, InvoiceState
from orderdesk.invoicing.tax_table import bundled

CLOTHES = bundled().item("SKU-1")
SERVICE = bundled().item("SVC-1")
ORDERS = [f"O{n}" for n in range(4)]


class Seller(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.book = InvoiceBook()
        self.numbers = 0

    @rule(order=st.sampled_from(ORDERS), line=st.integers(1, 3), fen=st.integers(1, 50000), quantity=st.integers(1, 4))
    def pay(self, order, line, fen, quantity):
        self.book.paid(order, line, fen, CLOTHES, quantity)

    @rule(orders=st.lists(st.sampled_from(ORDERS), min_size=1, max_size=3, unique=True))
    def sign_and_request(self, orders):
        self.book.request(orders)

    @rule(data=st.data(), lost=st.booleans())
    def issue(self, data, lost):
        waiting = [i for i in self.book.invoices.values() if i.state in (InvoiceState.READY, InvoiceState.FAILED)]
        if not waiting:
            return
        invoice = data.draw(st.sampled_from(waiting))
        self.book.submitted(invoice.order_no)
        self.numbers += 1
        number = f"{self.numbers:020d}"
        if not lost:
            self.book.issued(invoice.order_no, number)
        self.book.issued(invoice.order_no, number)  # asked again after a lost answer: the same invoice
        with pytest.raises(InvalidMove):
            self.book.submitted(invoice.order_no)  # an issued invoice is never sent again

    @rule(data=st.data())
    def fail(self, data):
        sent = [i for i in self.book.invoices.values() if i.state is InvoiceState.READY]
        if sent:
            invoice = data.draw(st.sampled_from(sent))
            self.book.submitted(invoice.order_no)
            self.book.failed(invoice.order_no)

    @rule(data=st.data())
    def send_and_lose_the_answer(self, data):
        ready = [i for i in self.book.invoices.values() if i.state is InvoiceState.READY]
        if ready:
            self.book.submitted(data.draw(st.sampled_from(ready)).order_no)  # no answer yet

    @rule(data=st.data())
    def the_answer_comes_later(self, data):
        sent = [i for i in self.book.invoices.values() if i.state is InvoiceState.SUBMITTED]
        if sent:
            self.numbers += 1
            self.book.issued(data.draw(st.sampled_from(sent)).order_no, f"{self.numbers:020d}")

    @rule(key=st.sampled_from([(o, n) for o in ORDERS for n in (1, 2, 3)]), fen=st.integers(1, 60000))
    def refund(self, key, fen):
        if key in self.book.lines:
            before = self.book.lines[key].refunded_fen
            try:
                self.book.refund(*key, fen)
            except RedLetterRefused as waiting:  # its invoice is being issued: nothing changed, try later
                assert waiting.field == "state" and self.book.lines[key].refunded_fen == before

    @invariant()
    def the_book_holds(self):
        assert self.book.problems() == []


TestSeller = Seller.TestCase
TestSeller.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)


def _merged() -> tuple[InvoiceBook, str]:
    book = InvoiceBook()
    for order in ("A", "B", "C"):
        book.paid(order, 1, 20000, CLOTHES, 2)
        book.paid(order, 2, 5000, CLOTHES, 1)
    invoice = book.request(["A", "B", "C"])
    assert invoice is not None and len(invoice.lines) == 6 and invoice.total_fen == 75000
    book.submitted(invoice.order_no)
    book.issued(invoice.order_no, "2" * 20)
    return book, invoice.order_no


def test_a_partial_refund_on_a_merged_invoice_reverses_exactly_that_orders_line() -> None:
    book, blue = _merged()
    red = book.refund("B", 1, 10000)
    assert red is not None and red.red_of == blue
    (line,) = red.lines
    assert (line.order, line.line.order_line_no, line.line.quantity, line.line.included_fen) == ("B", 1, -1, -10000)
    assert book.invoices[blue].state is InvoiceState.PARTLY_RED and book.invoices[blue].balance_fen == 65000
    assert book.problems() == []


def test_refunding_everything_reads_red_in_full() -> None:
    book, blue = _merged()
    for order in ("A", "B", "C"):
        for line in (1, 2):
            book.refund(order, line, 10**6)
    assert book.invoices[blue].state is InvoiceState.RED and book.invoices[blue].balance_fen == 0


def test_a_refund_before_issuing_means_only_the_net_is_invoiced() -> None:
    book = InvoiceBook()
    book.paid("A", 1, 20000, CLOTHES, 2)
    first = book.request(["A"])
    assert first is not None
    book.refund("A", 1, 10000)
    again = book.request(["A"])
    assert again is not None and again.total_fen == 10000 and first.order_no not in book.invoices


def test_a_red_letter_beyond_what_remains_is_refused_in_words() -> None:
    blue = [BlueLine(1, "A", InvoiceLine.of(1, CLOTHES, 2, 20000))]
    with pytest.raises(RedLetterRefused) as refused:
        red_lines("2" * 20, blue, "A", {1: 15000}, {1: 10000})
    assert "¥100.00 left" in str(refused.value) and "仅剩 ¥100.00" in refused.value.zh and refused.value.value == 15000


def test_the_reason_must_fit_the_invoice() -> None:
    goods = [BlueLine(1, "A", InvoiceLine.of(1, CLOTHES, 1, 1000))]
    services = [BlueLine(1, "A", InvoiceLine.of(1, SERVICE, 1, 1000))]
    with pytest.raises(RedLetterRefused):
        red_lines("X", goods, "A", {1: 1000}, {}, RedReason.SERVICE_STOPPED)
    with pytest.raises(RedLetterRefused):
        red_lines("X", services, "A", {1: 1000}, {}, RedReason.SALES_RETURN)
    (line,) = red_lines("X", services, "A", {1: 300}, {}, RedReason.SERVICE_STOPPED)
    assert line.quantity is None and line.included_fen == -300 and line.excluded_fen + line.tax_fen == -300
