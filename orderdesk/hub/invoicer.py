"""The hub's invoicer: invoices made from order state, continuously, with no clerk involved.

One ``cycle`` does, in order:
1. **Fold** every order the feed has changed since the last cycle and that asked for an invoice
   (``invoicing.order_facts``: the same fold as every console's), and keep its facts.
2. **Refunds**: an order line now worth less than its live blue invoice says is red-lettered for the
   difference (an issued invoice: a red-letter form, the blue one reads 部分冲红 / 全额冲红 at once) or,
   when not issued yet, its invoice is withdrawn and the order planned again for the net.
3. **Plan** the due orders no live invoice covers (``invoicing.plan``): one alone → ready; several of
   one buyer, day and address over the threshold → a merge the clerk confirms; buyer data the
   platform cannot take → 资料缺失; beyond the seller's monthly credit line → held.
4. **Submit** what is ready (blue: requestBillingNew; red: the confirmation form) under its
   ``order_no``, the platform's idempotency key. Moved to submitted *before* the call, so an answer
   lost in between is asked about, never sent as a second invoice.
5. **Poll** what is submitted: issued → number; failed → the reason; seal failed → issued again
   (reInvoice); unknown to the platform a while after sending → sent again, same key.
6. **Files**: the issued invoices' PDF and XML fetched and kept (4–6: hub/invoice_sender.py).
7. By the 5th, **the monthly list** of the month before.

A change to an order whose month is locked is kept for the clerk (``locked_month_changes``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from orderdesk.hub import invoice_store as book
from orderdesk.hub.cycling import Cycling
from orderdesk.hub.invoice_figures import make_monthly_list
from orderdesk.hub.invoice_red import blue_lines, red_letter
from orderdesk.hub.invoice_sender import SYSTEM, CycleReport, InvoiceSender
from orderdesk.hub.schema import changes, meta, observations, orders
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.invoicing.order_facts import OrderFacts, order_facts
from orderdesk.invoicing.plan import AggregationRule, PlanKind, PlannedInvoice, bundled_rule, plan
from orderdesk.invoicing.platform.adapter import InvoicingPlatform
from orderdesk.invoicing.red_letter import RedReason, reason_allowed
from orderdesk.invoicing.states import InvoiceState
from orderdesk.invoicing.tax_table import TaxTable, bundled
from orderdesk.sync.china_time import CHINA_TZ
from orderdesk.sync.contract import InvoiceRequest, deciding_reference
from orderdesk.sync.mapping.registry import MappingRegistry

log = logging.getLogger(__name__)
CURSOR_KEY = "invoicer_seq"
MONTHLY_LIST_BY_DAY = 5  # the list of the month before is made by the 5th
S = InvoiceState
__all__ = ["SYSTEM", "CycleReport", "Invoicer", "red_letter"]


def _buyer(profile: dict[str, Any]) -> dict[str, Any]:
    return InvoiceRequest.model_validate(profile).model_dump(mode="json")


class Invoicer(Cycling):
    thread_name = "invoicer"

    def __init__(self, store: HubStore, platform: InvoicingPlatform, *, table: TaxTable | None = None,
                 rule: AggregationRule | None = None, credit_fen: int | None = None,
                 resend_after_s: float = 20.0, today: str | None = None) -> None:  # fmt: skip
        self.store, self.platform = store, platform
        self.table, self.rule, self.credit_fen = table or bundled(), rule or bundled_rule(), credit_fen
        self.resend_after_ms = int(resend_after_s * 1000)
        self.fixed_today = today
        self.registry = MappingRegistry.bundled()
        self._recheck: set[str] = set()
        self.sender = InvoiceSender(store, platform, resend_after_s=resend_after_s, issued=self._recheck.update)
        super().__init__()
        self.cycles = 0

    def today(self) -> str:
        return self.fixed_today or datetime.now(CHINA_TZ).date().isoformat()

    def cycle(self) -> CycleReport:
        report = CycleReport()
        touched = self._fold(report) | self._recheck
        self._recheck.clear()
        self._refunds(sorted(touched), report)
        self._plan(report)
        self.sender.submit(report)
        self.sender.poll(report)
        self.sender.fetch_files(report)
        self._monthly_list()
        self.cycles += 1
        return report

    def until_quiet(self, most: int = 50, pause: float = 0.05) -> list[CycleReport]:
        """Cycles until one does nothing and nothing waits on the platform (tests, the bench)."""
        reports = []
        for _ in range(most):
            reports.append(self.cycle())
            with self.store.read() as c:
                waiting = book.in_states(c, [S.SUBMITTED, S.READY], limit=1)
            if not reports[-1].busy() and not waiting:
                break
            time.sleep(pause)
        return reports

    # -- 1. fold ---------------------------------------------------------------------------------
    def _fold(self, report: CycleReport) -> set[str]:
        touched: set[str] = set()
        while True:
            with self.store.read() as c:
                after = int(c.execute(select(meta.c.value).where(meta.c.key == CURSOR_KEY)).scalar() or 0)
                ch = changes.c
                rows = list(c.execute(select(ch.seq, ch.kind, ch.entity_key).where(ch.seq > after, ch.kind.in_(("order", "observation")))
                                      .order_by(ch.seq).limit(5000)))  # fmt: skip
                if not rows:
                    return touched
                ids = self._orders_named(c, rows)
                facts, locked = self._facts(c, sorted(ids))
            with self.store.write() as c:
                book.save_facts(c, facts)
                for month, domain_id, detail in locked:
                    book.keep_locked_change(c, month, domain_id, detail)
                c.execute(meta.delete().where(meta.c.key == CURSOR_KEY))
                c.execute(meta.insert().values(key=CURSOR_KEY, value=str(rows[-1].seq)))
            report.folded += len(facts)
            touched.update(f.domain_id for f in facts)

    def _orders_named(self, c: Connection, rows: Sequence[Any]) -> set[str]:
        ids = {r.entity_key for r in rows if r.kind == "order"}
        keys = [r.entity_key for r in rows if r.kind == "observation"]
        by: dict[str, set[str]] = {"domain_id": set(), "channel_key": set(), "waybill_no": set()}
        o = observations.c
        for start in range(0, len(keys), 500):
            query = select(o.ref_domain_id, o.ref_channel_key, o.ref_waybill_no).where(
                o.key.in_(keys[start : start + 500])
            )
            for ref in c.execute(query):
                deciding = deciding_reference(*ref)
                if deciding is not None:
                    by[deciding[0]].add(deciding[1])
        ids |= by["domain_id"]
        wanted = sorted(by["channel_key"] | by["waybill_no"])
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            query = select(orders.c.domain_id).where(
                orders.c.waybill_no.in_(part)  # a channel key as contract.channel_key makes it
                | (orders.c.channel + "\x1f" + orders.c.shop + "\x1f" + orders.c.channel_order_no).in_(part)
            )
            ids.update(c.execute(query).scalars())
        return ids

    def refold(self, c: Connection, domain_id: str) -> None:
        """Fold one order now, in the caller's write transaction (a clerk's request by hand)."""
        facts, locked = self._facts(c, [domain_id])
        book.save_facts(c, facts)
        for month, order, detail in locked:
            book.keep_locked_change(c, month, order, detail)
        self._recheck.add(domain_id)

    def _facts(
        self, c: Connection, ids: Sequence[str]
    ) -> tuple[list[OrderFacts], list[tuple[str, str, dict[str, Any]]]]:
        made, locked = [], []
        months = book.locked_months(c)
        earlier = book.facts_of(c, ids)
        for start in range(0, len(ids), 500):
            query = select(orders.c.id, orders.c.domain_id, orders.c.channel, orders.c.shop, orders.c.channel_order_no,
                           orders.c.waybill_no, orders.c.record_json).where(orders.c.domain_id.in_(ids[start : start + 500]))  # fmt: skip
            rows = [r for r in c.execute(query) if '"invoice":' in r.record_json or r.domain_id in earlier]
            for (_, record_json, observed), row in zip(self.store._with_observations(c, rows), rows, strict=True):
                before = earlier.get(row.domain_id)
                override = before.profile if before is not None and before.manual else None
                facts = order_facts(record_json, observed, self.registry, profile=override)
                if facts is None:
                    continue
                facts.due_at_ms = (before.due_at_ms if before is not None else None) or (
                    now_ms() if facts.due else None
                )
                if before is not None:
                    facts.alone = before.alone
                    change = _locked_change(before, facts, months)
                    if change is not None:
                        locked.append(change)
                made.append(facts)
        return made, locked

    # -- 2. refunds ------------------------------------------------------------------------------
    def _refunds(self, ids: Sequence[str], report: CycleReport) -> None:
        if not ids:
            return
        with self.store.write() as c:
            facts = book.facts_of(c, ids)
            for domain_id, bodies in book.of_orders(c, ids).items():
                order = facts.get(domain_id)
                if order is None:
                    continue
                for body in bodies:
                    if body["red_of"] is None and body["state"] in book.LIVE_BLUE:
                        self._reconcile(c, order, body, report)

    def _reconcile(self, c: Connection, order: OrderFacts, blue: dict[str, Any], report: CycleReport) -> None:
        net = order.net()
        refunded: dict[int, int] = {}
        for x in blue["lines"]:
            if x["order"] != order.domain_id:
                continue
            on_invoice = x["included_fen"] - blue.get("red_fen", {}).get(str(x["index"]), 0)
            if net.get(x["line_no"], 0) < on_invoice:
                refunded[x["line_no"]] = on_invoice - net.get(x["line_no"], 0)
        if not refunded and order.due:
            return
        state = S(blue["state"])
        if state is S.SUBMITTED:
            self._recheck.add(order.domain_id)  # once the platform has answered
            return
        if state in (S.ISSUED, S.PARTLY_RED):
            if refunded:
                reason = RedReason.SALES_RETURN
                if not reason_allowed(reason, blue_lines(blue)):
                    reason = RedReason.SERVICE_STOPPED
                red_letter(c, blue, order.domain_id, refunded, reason, SYSTEM, cause="refund")
                report.red += 1
            return
        book.moved(c, blue, S.WITHDRAWN, SYSTEM, cause="refund before issuing" if refunded else "no longer due",
                   order=order.domain_id)  # fmt: skip
        report.withdrawn += 1

    # -- 3. plan ---------------------------------------------------------------------------------
    def _plan(self, report: CycleReport) -> None:
        with self.store.write() as c:
            due = {f.domain_id: f for f in book.due_without_invoice(c)}
            if not due:
                return
            credit = self.credit_left(c)
            made = plan([f.eligible() for f in due.values()], today=self.today(), table=self.table, rule=self.rule,
                        credit_fen=None if self.credit_fen is None else credit, now_ms=now_ms())  # fmt: skip
            for planned in made.invoices:
                if planned.kind is PlanKind.WAITING:
                    continue
                self._create(c, planned, [due[o] for o in planned.orders])
                report.planned += 1

    def credit_left(self, c: Connection) -> int:
        """What is left of the seller's monthly credit line (授信额度) this month."""
        if self.credit_fen is None:
            return 10**15
        month = self.today()[:7]
        used = sum(b["total_fen"] for b in book.in_states(c, [S.READY, S.SUBMITTED, S.ISSUED, S.PARTLY_RED, S.RED], 100_000)
                   if b["red_of"] is None and b.get("credit_month") == month)  # fmt: skip
        return max(0, self.credit_fen - used)

    def _create(self, c: Connection, planned: PlannedInvoice, members: list[OrderFacts]) -> None:
        state = {PlanKind.SINGLE: S.READY, PlanKind.MERGED: S.REQUESTED, PlanKind.NEEDS_DATA: S.NEEDS_DATA,
                 PlanKind.HELD: S.REQUESTED}[planned.kind]  # fmt: skip
        skus = {(f.domain_id, no): sku for f in members for no, sku, _, _ in f.lines}
        lines = [book.line_body(i, order, line, skus.get((order, line.order_line_no), ""))
                 for i, (order, line) in enumerate(planned.lines, 1)]  # fmt: skip
        problems = [{"order": o, "field": f, "en": en, "zh": zh, "value": members[0].profile.get(f.split(".")[-1], "")}
                    for o, f, en, zh in planned.problems]  # fmt: skip
        problems += [{"order": o, "field": "sku", "value": sku, "en": f"the tax table has no entry for SKU {sku}",
                      "zh": f"税收分类编码表中没有 SKU {sku}"} for o, sku in planned.missing_skus]  # fmt: skip
        reason = None
        if planned.kind is PlanKind.HELD:
            reason = {"code": "credit", "en": "beyond the seller's monthly credit line", "zh": "超出本月授信额度"}
        buyer = _buyer(members[0].profile)
        book.create(c, {
            "order_no": book.new_order_no(), "state": state.value, "red_of": None, "blue_number": None,
            "red_reason": None, "kind": buyer["kind"], "buyer": buyer, "buyer_key": planned.buyer, "day": planned.day,
            "month": planned.day[:7], "credit_month": self.today()[:7], "orders": planned.orders, "lines": lines,
            "merge": planned.kind is PlanKind.MERGED, "part": list(planned.part), "number": None, "reason": reason,
            "problems": problems, "attempts": 0, "red_fen": {}, "reds": [],
            "signed_at_ms": min((f.signed_at_ms or 0) for f in members), "address": planned.address,
            "due_at_ms": max((f.due_at_ms or 0) for f in members) or None,
        }, SYSTEM, plan=planned.kind.value)  # fmt: skip

    # -- 7. the monthly list -----------------------------------------------------------------------
    def _monthly_list(self) -> None:
        """By the 5th, the list of the month before, made once (``orderdesk invoices monthly-list`` and
        the console make any month's on demand)."""
        today = date.fromisoformat(self.today())
        if today.day > MONTHLY_LIST_BY_DAY:
            return
        month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        with self.store.read() as c:
            if book.monthly_list(c, month) is not None:
                return
            bodies = book.issued_in(c, month)
        made = make_monthly_list(bodies)
        with self.store.write() as c:
            book.save_monthly_list(c, month, made[0], made[1], len(bodies))
        log.info("the monthly list of %s: %d invoices", month, len(bodies))


def _locked_change(
    before: OrderFacts, after: OrderFacts, months: dict[str, Any]
) -> tuple[str, str, dict[str, Any]] | None:
    """A change of a signed order's outcome or net lines in a locked month: kept, not applied quietly."""
    if (
        before.signed_at_ms is None
        or before.month not in months
        or (before.outcome, before.lines) == (after.outcome, after.lines)
    ):
        return None
    detail = {"outcome": [before.outcome, after.outcome],
              "net": [before.net(), after.net()] if before.lines != after.lines else None}  # fmt: skip
    return before.month, after.domain_id, detail
