"""The invoice invariants over random sequences against the real hub and the local platform (the
in-memory model's are in test_book.py): orders of a few buyers signed, lines refunded in part or in
full before or after issuing, the platform failing (failed, seal failed, answers too late, duplicate
orderNos, lost answers), merges confirmed or split, failures retried, the invoicer cycling between.

- never two live blue invoices for one order line;
- no invoice's balance below zero, and the platform issued exactly the invoices the hub knows;
- once everything is settled, per order: blue − red = paid − refunded."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from orderdesk.hub import invoice_store as book
from orderdesk.hub.demo import _uscc
from orderdesk.invoicing.platform.local import MODES
from orderdesk.invoicing.states import InvoiceState
from tests.invoicing.hub_fixture import Invoicing, invoicing_setup

BUYERS = [{"kind": "pc", "buyer_type": "company", "title": t, "taxpayer_id": _uscc(random.Random(t))}
          for t in ("杭州云帆科技有限公司", "上海浦江贸易有限公司")] + [{"kind": "pc", "buyer_type": "person", "title": "张伟"}]  # fmt: skip
LINES = [{"line_no": 1, "sku": "SKU-A", "title": "外套", "quantity": 2, "unit_price_fen": 15000},
         {"line_no": 2, "sku": "SKU-B", "title": "围巾", "quantity": 1, "unit_price_fen": 5000}]  # fmt: skip
PAID = {1: 30000, 2: 5000}
S = InvoiceState
ISSUED = (S.ISSUED.value, S.PARTLY_RED.value, S.RED.value)


class HubInvoicing(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.setup = invoicing_setup(self.folder, timeout=0.4)
        self.inv: Invoicing = next(self.setup)
        self.orders: dict[str, str] = {}  # channel order no. → unified id
        self.refunded: dict[tuple[str, int], int] = defaultdict(int)
        self.keys = 0

    def teardown(self) -> None:
        if hasattr(self, "setup"):
            self.setup.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _key(self) -> str:
        self.keys += 1
        return f"k{self.keys}"

    def _invoices(self) -> list[dict[str, Any]]:
        with self.inv.store.read() as c:
            return [b for _, b in book.page(c, 0, 10_000)]

    @rule(buyer=st.sampled_from(range(len(BUYERS))))
    def sign(self, buyer: int) -> None:
        no = f"DD-H{len(self.orders)}"
        self.orders[no] = self.inv.signed_order(no, invoice=BUYERS[buyer], lines=LINES, paid_amount_fen=35000)

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), line=st.sampled_from([1, 2]), whole=st.booleans())
    def refund(self, data: st.DataObject, line: int, whole: bool) -> None:
        no = data.draw(st.sampled_from(sorted(self.orders)))
        left = PAID[line] - self.refunded[(no, line)]
        if left <= 0:
            return
        fen = left if whole else max(1, left // 3)
        self.refunded[(no, line)] += fen
        self.inv.refund(no, line, fen, f"R{no}-{line}-{self.refunded[(no, line)]}")

    @rule(mode=st.sampled_from(MODES))
    def platform_fails_next(self, mode: str) -> None:
        self.inv.platform.script(mode)

    @rule()
    def cycle(self) -> None:
        self.inv.invoicer.cycle()

    @rule(split=st.booleans())
    def clerk_decides_merges(self, split: bool) -> None:
        for body in self._invoices():
            if body["state"] == S.REQUESTED and body.get("merge"):
                kind = "invoice_split" if split else "invoice_confirm"
                assert self.inv.act(kind, self._key(), invoice=body["order_no"]).status_code == 200

    @rule()
    def clerk_retries(self) -> None:
        for body in self._invoices():
            if body["state"] == S.FAILED:
                assert self.inv.act("invoice_retry", self._key(), invoice=body["order_no"]).status_code == 200

    @invariant()
    def never_two_live_blue_invoices_for_a_line(self) -> None:
        if not hasattr(self, "inv"):
            return
        seen: dict[tuple[str, int], str] = {}
        for body in self._invoices():
            if body["red_of"] is None and body["state"] in book.LIVE_BLUE:
                for x in body["lines"]:
                    key = (x["order"], x["line_no"])
                    assert key not in seen, f"{key} on {seen[key]} and {body['order_no']}"
                    seen[key] = body["order_no"]
            assert body["balance_fen"] >= 0 or body["red_of"], body

    def settle(self) -> None:
        for _ in range(12):
            self.clerk_decides_merges(False)
            self.clerk_retries()
            self.inv.invoicer.until_quiet(most=30, pause=0.05)
        bodies = self._invoices()
        assert not [b for b in bodies if b["state"] in (S.READY, S.SUBMITTED, S.FAILED, S.REQUESTED)], bodies
        hub_numbers = {b["number"] for b in bodies if b["state"] in ISSUED}
        assert hub_numbers == {i.number for i in self.inv.platform.issued()}  # nothing issued twice or unknown
        net: dict[tuple[str, int], int] = defaultdict(int)
        by_id = {v: k for k, v in self.orders.items()}
        for b in bodies:
            if b["state"] in ISSUED:
                for x in b["lines"]:
                    net[(by_id[x["order"]], x["line_no"])] += x["included_fen"]
        for no in self.orders:
            for line, paid in PAID.items():
                assert net[(no, line)] == paid - self.refunded[(no, line)], (no, line, net[(no, line)])


class Settled(HubInvoicing):
    def teardown(self) -> None:
        try:
            if hasattr(self, "inv"):
                self.settle()
        finally:
            super().teardown()


Settled.TestCase.settings = settings(max_examples=int(os.environ.get("ORDERDESK_INVARIANT_EXAMPLES", "6")), stateful_step_count=14, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
test_invoice_invariants_over_random_sequences = Settled.TestCase
