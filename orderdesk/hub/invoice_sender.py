"""The hub's invoicer, platform side: what is ready goes to the e-invoice platform under its
``order_no`` (the platform's idempotency key), what is submitted is asked about, and what is issued
has its PDF and XML fetched (hub/invoicer.py runs these as steps 4–6 of a cycle).

An invoice is moved to submitted *before* the call, so an answer lost in between is asked about and,
if the platform never got it, sent again under the same key — never a second invoice."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from orderdesk.hub import invoice_store as book
from orderdesk.hub.invoice_red import invoice_line
from orderdesk.hub.store import HubStore, now_ms
from orderdesk.invoicing.platform.adapter import (
    BillingRequest,
    InvoicingPlatform,
    PlatformRefused,
    PlatformUnavailable,
    RedForm,
    ResultStatus,
)
from orderdesk.invoicing.red_letter import RedLine, RedReason
from orderdesk.invoicing.states import InvoiceState
from orderdesk.sync.contract import InvoiceRequest

log = logging.getLogger(__name__)
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


class InvoiceSender:
    def __init__(self, store: HubStore, platform: InvoicingPlatform, *, resend_after_s: float,
                 issued: Callable[[Iterable[str]], None]) -> None:  # fmt: skip
        self.store, self.platform = store, platform
        self.resend_after_ms = int(resend_after_s * 1000)
        self.on_issued = issued  # the orders of an invoice just issued: their refunds are looked at again

    # -- 4. submit -------------------------------------------------------------------------------
    def submit(self, report: CycleReport) -> None:
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
        return BillingRequest(body["order_no"], buyer, [invoice_line(x) for x in body["lines"]], remark)

    def _red_form(self, body: dict[str, Any]) -> RedForm:
        with self.store.read() as c:
            blue = book.get(c, body["red_of"])
        assert blue is not None
        by_index = {x["index"]: invoice_line(x) for x in blue["lines"]}
        lines = [(RedLine(x["index"], x["order"], x["line_no"], x["quantity"] or None, x["included_fen"],
                          x["excluded_fen"], x["tax_fen"]), by_index[x["index"]]) for x in body["lines"]]  # fmt: skip
        return RedForm(body["order_no"], body["blue_number"] or "", RedReason(body["red_reason"]), lines)

    # -- 5. poll ---------------------------------------------------------------------------------
    def poll(self, report: CycleReport) -> None:
        with self.store.read() as c:
            waiting = book.in_states(c, [S.SUBMITTED], limit=500)
        if not waiting:
            return
        for body in [b for b in waiting if b.get("pending") == "reissue"]:  # a clerk's retry
            self._reissue(body["order_no"], report, reissued=True)
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
                    fresh = book.get(c, body["order_no"])
                    if fresh is not None and fresh["state"] == S.SUBMITTED:
                        fresh["reason"] = {"code": "22", "en": f"the platform failed it: {result.fail_cause}",
                                           "zh": f"开票失败:{result.fail_cause}"}  # fmt: skip
                        book.moved(c, fresh, S.FAILED, SYSTEM, cause=result.fail_cause)
                report.failed += 1
            elif result.status is ResultStatus.SEAL_FAILED:
                self._reissue(body["order_no"], report, seal_failed=True, reissued=True)
            elif (
                result.status is ResultStatus.UNKNOWN
                and now_ms() - body.get("submitted_at_ms", 0) > self.resend_after_ms
            ):
                body["submitted_at_ms"] = now_ms()
                with self.store.write() as c:
                    book.changed(c, body, SYSTEM, resent="the platform had not received it")
                self._send(body, report)

    def _reissue(self, order_no: str, report: CycleReport, **detail: Any) -> None:
        """reInvoice, then recorded (the clerk's retry is no longer pending); the next poll tells."""
        try:
            self.platform.reissue(order_no)
        except (PlatformUnavailable, PlatformRefused) as exc:
            report.errors.append(str(exc))
            return
        with self.store.write() as c:
            fresh = book.get(c, order_no)
            if fresh is not None:
                fresh.pop("pending", None)
                book.changed(c, fresh, SYSTEM, **detail)

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
        self.on_issued(body["orders"])

    # -- 6. files --------------------------------------------------------------------------------
    def fetch_files(self, report: CycleReport, most: int = 200, budget_s: float = 0.5) -> None:
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
