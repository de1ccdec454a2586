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
5. **Poll** what is submitted: issued → number, PDF and XML kept; failed → the reason; seal failed →
   issued again (reInvoice); unknown to the platform a while after sending → sent again, same key.

A change to an order whose month is locked is kept for the clerk (``locked_month_changes``)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from hub import invoice_store as book
from hub.schema import changes, meta, observations, orders
from hub.store import HubStore, now_ms
from invoicing.amounts import InvoiceLine
from invoicing.order_facts import OrderFacts, order_facts
from invoicing.plan import AggregationRule, PlanKind, PlannedInvoice, bundled_rule, plan
from invoicing.platform.adapter import (
    BillingRequest,
    InvoicingPlatform,
    PlatformRefused,
    PlatformUnavailable,
    RedForm,
    ResultStatus,
)
from invoicing.red_letter import BlueLine, RedLine, RedReason, reason_allowed, red_lines
from invoicing.states import InvoiceState
from invoicing.tax_table import TaxItem, TaxTable, bundled
from sync.china_time import CHINA_TZ
from sync.contract import InvoiceRequest, deciding_reference
from sync.mapping.registry import MappingRegistry

log = logging.getLogger(__name__)
CURSOR_KEY = "invoicer_seq"
MONTHLY_LIST_BY_DAY = 5  # the list of the month before is made by the 5th
SYSTEM = "system:invoicer"
S = InvoiceState


@dataclass(slots=True)
class CycleReport:
    folded: int = 0
    planned: int = 0
    red: int = 0
    withdrawn: int = 0
    submitted: int = 0
    issued: int = 0
    failed: int = 0
    files: int = 0
    errors: list[str] = field(default_factory=list)

    def busy(self) -> bool:
        return any(
            (self.folded, self.planned, self.red, self.withdrawn, self.submitted, self.issued, self.failed, self.files)
        )


def blue_lines(body: dict[str, Any]) -> list[BlueLine]:
    return [BlueLine(x["index"], x["order"], _line(x)) for x in body["lines"]]


def _line(x: dict[str, Any]) -> InvoiceLine:
    item = TaxItem(x["goods_name"], x["code"], x["rate_bp"], x["unit"], x["spec"])
    return InvoiceLine(x["line_no"], item, x["quantity"], x["included_fen"], x["excluded_fen"], x["tax_fen"])


def _buyer(profile: dict[str, Any]) -> dict[str, Any]:
    return InvoiceRequest.model_validate(profile).model_dump(mode="json")


class Invoicer:
    def __init__(self, store: HubStore, platform: InvoicingPlatform, *, table: TaxTable | None = None,
                 rule: AggregationRule | None = None, credit_fen: int | None = None,
                 resend_after_s: float = 20.0, today: str | None = None) -> None:  # fmt: skip
        self.store, self.platform = store, platform
        self.table, self.rule, self.credit_fen = table or bundled(), rule or bundled_rule(), credit_fen
        self.resend_after_ms = int(resend_after_s * 1000)
        self.fixed_today = today
        self.registry = MappingRegistry.bundled()
        self._recheck: set[str] = set()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.cycles = 0

    # -- running ---------------------------------------------------------------------------------
    def start(self, interval: float = 1.0) -> Invoicer:
        self._thread = threading.Thread(target=self._run, args=(interval,), name="invoicer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)

    def wake(self) -> None:
        self._wake.set()

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.cycle()
            except Exception:  # the next cycle tries again; the log says what happened
                log.exception("invoicing cycle failed")
            self._wake.wait(interval)
            self._wake.clear()

    def today(self) -> str:
        return self.fixed_today or datetime.now(CHINA_TZ).date().isoformat()

    def cycle(self) -> CycleReport:
        report = CycleReport()
        touched = self._fold(report) | self._recheck
        self._recheck = set()
        self._refunds(sorted(touched), report)
        self._plan(report)
        self._submit(report)
        self._poll(report)
        self._fetch_files(report)
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
            query = select(orders.c.domain_id, orders.c.channel, orders.c.shop, orders.c.channel_order_no).where(
                orders.c.waybill_no.in_(part)  # a channel key as contract.channel_key makes it
                | (orders.c.channel + "\x1f" + orders.c.shop + "\x1f" + orders.c.channel_order_no).in_(part)
            )
            for domain_id, *_ in c.execute(query):
                ids.add(domain_id)
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
                        credit_fen=None if self.credit_fen is None else credit)  # fmt: skip
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
        }, SYSTEM, plan=planned.kind.value)  # fmt: skip

    # -- 4. submit -------------------------------------------------------------------------------
    def _submit(self, report: CycleReport) -> None:
        with self.store.write() as c:
            ready = book.in_states(c, [S.READY], limit=200)
            for body in ready:
                body["attempts"] = body.get("attempts", 0) + 1
                body["submitted_at_ms"] = now_ms()
                body["reason"] = None
                book.moved(c, body, S.SUBMITTED, SYSTEM, attempt=body["attempts"])
        for body in ready:
            self._send(body, report)

    def _send(self, body: dict[str, Any], report: CycleReport) -> None:
        try:
            if body["red_of"]:
                self.platform.red_confirm(self._red_form(body))
            else:
                self.platform.submit(self._billing(body))
            report.submitted += 1
        except PlatformUnavailable as exc:  # sent or not: the poll asks, and sends again under the same key
            log.warning("no answer for invoice %s: %s", body["order_no"], exc)
            report.errors.append(str(exc))
        except PlatformRefused as exc:
            with self.store.write() as c:
                fresh = book.get(c, body["order_no"])
                if fresh is not None and fresh["state"] == S.SUBMITTED:
                    fresh["reason"] = {"code": exc.code, "en": f"the platform refused it: {exc.describe}",
                                       "zh": f"开票平台拒绝:{exc.describe}"}  # fmt: skip
                    book.moved(c, fresh, S.FAILED, SYSTEM, code=exc.code, describe=exc.describe)
            report.failed += 1

    def _billing(self, body: dict[str, Any]) -> BillingRequest:
        buyer = InvoiceRequest.model_validate(body["buyer"]).profile()
        remark = "订单 " + "、".join(body["orders"][:20]) + (" 等" if len(body["orders"]) > 20 else "")
        return BillingRequest(body["order_no"], buyer, [_line(x) for x in body["lines"]], remark)

    def _red_form(self, body: dict[str, Any]) -> RedForm:
        with self.store.read() as c:
            blue = book.get(c, body["red_of"])
        assert blue is not None
        by_index = {x["index"]: _line(x) for x in blue["lines"]}
        lines = [(RedLine(x["index"], x["order"], x["line_no"], x["quantity"] or None, x["included_fen"],
                          x["excluded_fen"], x["tax_fen"]), by_index[x["index"]]) for x in body["lines"]]  # fmt: skip
        return RedForm(body["order_no"], body["blue_number"] or "", RedReason(body["red_reason"]), lines)

    # -- 5. poll ---------------------------------------------------------------------------------
    def _poll(self, report: CycleReport) -> None:
        with self.store.read() as c:
            waiting = book.in_states(c, [S.SUBMITTED], limit=500)
        if not waiting:
            return
        for body in [b for b in waiting if b.get("pending") == "reissue"]:
            try:
                self.platform.reissue(body["order_no"])
            except (PlatformUnavailable, PlatformRefused) as exc:
                report.errors.append(str(exc))
                continue
            with self.store.write() as c:
                fresh = book.get(c, body["order_no"])
                if fresh is not None:
                    fresh.pop("pending", None)
                    book.changed(c, fresh, SYSTEM, reissued=True)
        try:
            results = self.platform.query([b["order_no"] for b in waiting])
        except (PlatformUnavailable, PlatformRefused) as exc:
            report.errors.append(str(exc))
            return
        by_no = {b["order_no"]: b for b in waiting}
        for result in results:
            body = by_no[result.order_no]
            if result.status is ResultStatus.DONE:
                self._issued(body, result.number, result.issued_at_ms, result.pdf_url, result.xml_url, report)
            elif result.status is ResultStatus.FAILED:
                with self.store.write() as c:
                    body["reason"] = {"code": "22", "en": f"the platform failed it: {result.fail_cause}",
                                      "zh": f"开票失败:{result.fail_cause}"}  # fmt: skip
                    book.moved(c, body, S.FAILED, SYSTEM, cause=result.fail_cause)
                report.failed += 1
            elif result.status is ResultStatus.SEAL_FAILED:
                try:
                    self.platform.reissue(body["order_no"])
                except (PlatformUnavailable, PlatformRefused) as exc:
                    report.errors.append(str(exc))
                    continue
                with self.store.write() as c:
                    book.changed(c, body, SYSTEM, seal_failed=True, reissued=True)
            elif (
                result.status is ResultStatus.UNKNOWN
                and now_ms() - body.get("submitted_at_ms", 0) > self.resend_after_ms
            ):
                body["submitted_at_ms"] = now_ms()
                with self.store.write() as c:
                    book.changed(c, body, SYSTEM, resent="the platform had not received it")
                self._send(body, report)

    def _issued(self, body: dict[str, Any], number: str, at_ms: int, pdf_url: str, xml_url: str,
                report: CycleReport) -> None:  # fmt: skip
        with self.store.write() as c:
            fresh = book.get(c, body["order_no"])
            if fresh is None or fresh["state"] != S.SUBMITTED:
                return
            fresh.update(number=number, issued_at_ms=at_ms or now_ms(), has_pdf=False, pdf_url=pdf_url,
                         xml_url=xml_url, reason=None)  # fmt: skip
            book.moved(c, fresh, S.ISSUED, SYSTEM, number=number)
            if fresh["red_of"]:
                blue = book.get(c, fresh["red_of"])
                if blue is not None:
                    blue.setdefault("red_numbers", []).append(number)
                    book.changed(c, blue, SYSTEM, red_issued=number)
        report.issued += 1
        self._recheck.update(body["orders"])

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

    # -- 6. files --------------------------------------------------------------------------------
    def _fetch_files(self, report: CycleReport, most: int = 200, budget_s: float = 0.5) -> None:
        """The issued invoices' PDF and XML, kept on the hub: after issuing, and for at most ``budget_s``
        a cycle, so fetching files never holds up issuing (a platform makes a PDF in ~0.1 s)."""
        with self.store.read() as c:
            waiting = book.without_files(c, most)
        deadline = time.monotonic() + budget_s
        for body in waiting:
            if time.monotonic() > deadline:
                report.files += 1  # more wait: the cycle is not quiet
                return
            try:
                pdf = self.platform.download(body["pdf_url"])
                xml = self.platform.download(body["xml_url"]) if body.get("xml_url") else b""
            except PlatformUnavailable as exc:
                report.errors.append(str(exc))
                return  # the next cycle asks again
            with self.store.write() as c:
                fresh = book.get(c, body["order_no"])
                if fresh is None:
                    continue
                book.attach_files(c, fresh["order_no"], pdf, xml)
                fresh["has_pdf"] = True
                book.changed(c, fresh, SYSTEM, files=["pdf", "xml"] if xml else ["pdf"])
            report.files += 1


def red_letter(
    c: Connection,
    blue: dict[str, Any],
    order: str,
    refunded: dict[int, int],
    reason: RedReason,
    actor: str,
    **detail: Any,
) -> dict[str, Any]:
    """A red invoice (ready to submit) for these fen of these lines of ``order`` on ``blue``; the blue
    one reads 部分冲红 / 全额冲红 at once. RedLetterRefused if more than remains."""
    already = {int(k): v for k, v in blue.get("red_fen", {}).items()}
    lines = red_lines(blue["number"] or blue["order_no"], blue_lines(blue), order, refunded, already, reason)
    by_index = {x["index"]: x for x in blue["lines"]}
    red_body = [{**by_index[r.blue_index], "quantity": r.quantity or 0, "included_fen": r.included_fen,
                 "excluded_fen": r.excluded_fen, "tax_fen": r.tax_fen} for r in lines]  # fmt: skip
    red = book.create(c, {
        "order_no": book.new_order_no(), "state": S.READY.value, "red_of": blue["order_no"],
        "blue_number": blue["number"], "red_reason": reason.value, "kind": blue["kind"], "buyer": blue["buyer"],
        "buyer_key": blue["buyer_key"], "day": blue["day"], "month": blue["month"], "orders": [order],
        "lines": red_body, "merge": False, "number": None, "reason": None, "problems": [], "attempts": 0,
        "signed_at_ms": blue.get("signed_at_ms"),
    }, actor, **detail)  # fmt: skip
    red_fen = blue.setdefault("red_fen", {})
    for r in lines:
        red_fen[str(r.blue_index)] = red_fen.get(str(r.blue_index), 0) - r.included_fen
    blue.setdefault("reds", []).append(red["order_no"])
    remaining = blue["total_fen"] - sum(red_fen.values())
    book.moved(c, blue, S.RED if remaining == 0 else S.PARTLY_RED, actor, red=red["order_no"], **detail)
    return red


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


def make_monthly_list(bodies: Sequence[dict[str, Any]]) -> tuple[bytes, bytes]:
    """(XLSX in the Kingdee layout, CSV) of these issued invoices."""
    import tempfile
    from pathlib import Path

    from invoicing.monthly_list import listed, write_csv, write_xlsx

    invoices = [listed(b) for b in bodies]
    with tempfile.TemporaryDirectory() as folder:
        write_xlsx(invoices, Path(folder) / "list.xlsx")
        write_csv(invoices, Path(folder) / "list.csv")
        return (Path(folder) / "list.xlsx").read_bytes(), (Path(folder) / "list.csv").read_bytes()


def latency(bodies: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Signed → issued, in minutes, over issued blue invoices (the seed wants it within 2 hours)."""
    waits = sorted((b["issued_at_ms"] - b["signed_at_ms"]) / 60000 for b in bodies
                   if b["red_of"] is None and b.get("issued_at_ms") and b.get("signed_at_ms"))  # fmt: skip
    if not waits:
        return {"invoices": 0}
    pick = lambda q: round(waits[min(len(waits) - 1, int(q * len(waits)))], 1)  # noqa: E731
    return {"invoices": len(waits), "p50_min": pick(0.5), "p90_min": pick(0.9), "max_min": round(waits[-1], 1),
            "within_2h": sum(w <= 120 for w in waits) / len(waits)}  # fmt: skip
