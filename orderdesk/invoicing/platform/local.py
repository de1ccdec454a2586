"""A local e-invoice platform speaking the 诺诺 protocol over HTTP, for the demo and the tests.

It checks each request's signature and seller, keeps every request by ``orderNo`` (a second request
with the same one answers E9106 and makes nothing), issues 20-digit numbers a moment after a request
(results are asynchronous, as the real platform's), makes a real PDF (``invoicing.document``) and an
XML of every invoice, and takes red-letter confirmation forms (专票: the buyer confirms a moment later).

It fails on demand: ``script(mode, order_no=None)`` makes the next request (or that order's) end
``failed`` (22, with a cause), ``seal_failed`` (24, until reInvoice), ``timeout`` (kept, answered
too late), ``duplicate`` (kept, answered E9106) or ``lost_answer`` (kept, the answer dropped: 502).
``failure_rate`` spreads those at random (seeded) for the demo."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from fastapi import FastAPI, Request, Response

from orderdesk.hub.server import LoopbackServer
from orderdesk.invoicing.amounts import InvoiceLine
from orderdesk.invoicing.document import IssuedInvoice, Seller, invoice_pdf
from orderdesk.invoicing.nuonuo_sign import verify
from orderdesk.invoicing.profile import BuyerProfile, BuyerType, InvoiceKind
from orderdesk.invoicing.tax_table import TaxItem, rate_bp
from orderdesk.sync.china_time import CHINA_TZ

MODES = ("failed", "seal_failed", "timeout", "duplicate", "lost_answer")
FAIL_CAUSES = ("购方名称与税号不一致", "开票服务器繁忙,请稍后重试", "授信额度不足")
DEMO_SELLER = Seller("OrderDesk 演示商贸有限公司", "91330100MA27U8Q10Y", "杭州市西湖区文三路 90 号 0571-88886666",
                     "招商银行杭州分行 571900000000001")  # fmt: skip


def fen(yuan: str) -> int:
    whole, _, part = yuan.strip().partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole or "0")) * 100 + int((part + "00")[:2]))


@dataclass(slots=True)
class _Invoice:
    order_no: str
    request: dict[str, Any]
    lines: list[InvoiceLine]
    buyer: BuyerProfile
    ready_at: float
    mode: str = ""
    fail_cause: str = ""
    number: str = ""
    issued_at_ms: int = 0
    red_of: str = ""  # a red invoice: the blue one's number
    red_fen: dict[int, int] = field(default_factory=dict)  # blue detail index → fen red-lettered (positive)
    pdf: bytes = b""
    xml: bytes = b""


def _line(index: int, d: dict[str, Any]) -> InvoiceLine:
    item = TaxItem(str(d["goodsName"]), str(d["goodsCode"]), rate_bp(str(d["taxRate"])), str(d.get("unit", "")),
                   str(d.get("specType", "")))  # fmt: skip
    quantity = int(float(d.get("num") or 0))
    return InvoiceLine(index, item, quantity, fen(d["taxIncludedAmount"]), fen(d["taxExcludedAmount"]), fen(d["tax"]))


class LocalPlatform:
    def __init__(self, *, app_key: str = "demo-app", app_secret: str = "demo-secret", seller: Seller = DEMO_SELLER,
                 delay: float = 0.2, answer_late: float = 3.0, failure_rate: float = 0.0, seed: int = 11) -> None:  # fmt: skip
        self.app_key, self.app_secret, self.seller = app_key, app_secret, seller
        self.delay, self.answer_late, self.failure_rate = delay, answer_late, failure_rate
        self._rnd = random.Random(seed)
        self._lock = threading.Lock()
        self.invoices: dict[str, _Invoice] = {}
        self.forms: dict[str, dict[str, Any]] = {}
        self._next_modes: deque[str] = deque()
        self._order_modes: dict[str, str] = {}
        self._serial = 0
        self.calls: list[str] = []  # every method called, in order (the tests read it)
        self.app = self._make_app()
        self.server: LoopbackServer | None = None

    # -- running ---------------------------------------------------------------------------------
    def start(self) -> str:
        self.server = LoopbackServer(self.app)
        return self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def script(self, mode: str, order_no: str | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode {mode!r}: one of {', '.join(MODES)}")
        with self._lock:
            if order_no is None:
                self._next_modes.append(mode)
            else:
                self._order_modes[order_no] = mode

    def issued(self) -> list[_Invoice]:
        with self._lock:
            return [i for i in self.invoices.values() if i.number]

    # -- the protocol ----------------------------------------------------------------------------
    def _make_app(self) -> FastAPI:
        app = FastAPI(title="Local e-invoice platform (诺诺 protocol)")

        @app.post("/open/v1/services")
        async def services(request: Request) -> Response:
            body = (await request.body()).decode()
            q, h = request.query_params, request.headers
            parts = {"app_key": q.get("appkey", ""), "sender_id": q.get("senid", ""), "nonce": q.get("nonce", ""),
                     "timestamp": q.get("timestamp", ""), "body": body}  # fmt: skip
            if parts["app_key"] != self.app_key or not verify(self.app_secret, h.get("X-Nuonuo-Sign", ""), **parts):
                return _answer("E9101", "签名校验失败")
            if h.get("userTax") != self.seller.taxpayer_id:
                return _answer("E9102", f"税号 {h.get('userTax')} 未授权")
            method = h.get("method", "")
            self.calls.append(method)
            try:
                content = json.loads(body)
            except ValueError:
                return _answer("E9103", "请求体不是 JSON")
            handler = {
                "nuonuo.OpeMplatform.requestBillingNew": self._billing,
                "nuonuo.OpeMplatform.queryInvoiceResult": self._query,
                "nuonuo.OpeMplatform.reInvoice": self._reinvoice,
                "nuonuo.OpeMplatform.saveInvoiceRedConfirm": self._red_confirm,
            }.get(method)
            if handler is None:
                return _answer("E9104", f"未知方法 {method}")
            try:
                code, describe, result, mode = handler(content)
            except (KeyError, TypeError, ValueError) as exc:
                return _answer("E9105", f"参数错误:{exc}")
            if mode == "timeout":
                time.sleep(self.answer_late)  # kept already; the caller has given up by now
            if mode == "lost_answer":
                return Response(status_code=502)
            return _answer(code, describe, result)

        @app.get("/files/{name}")
        def files(name: str) -> Response:
            number, _, ext = name.partition(".")
            with self._lock:
                found = next((i for i in self.invoices.values() if i.number == number), None)
            if found is None or ext not in ("pdf", "xml"):
                return Response(status_code=404)
            if not found.pdf:  # made when first asked for: issuing stays quick
                self._render(found)
            return Response(found.pdf if ext == "pdf" else found.xml,
                            media_type="application/pdf" if ext == "pdf" else "application/xml")  # fmt: skip

        return app

    def _mode(self, order_no: str) -> str:
        if order_no in self._order_modes:
            return self._order_modes.pop(order_no)
        if self._next_modes:
            return self._next_modes.popleft()
        if self.failure_rate and self._rnd.random() < self.failure_rate:
            return self._rnd.choice(("failed", "seal_failed", "lost_answer", "duplicate"))
        return ""

    def _billing(self, content: dict[str, Any]) -> tuple[str, str, Any, str]:
        order = content["order"]
        order_no = str(order["orderNo"])
        if order.get("salerTaxNum") != self.seller.taxpayer_id:
            return "E9107", f"销方税号 {order.get('salerTaxNum')} 与授权不符", None, ""
        with self._lock:
            if order_no in self.invoices:
                return "E9106", f"订单编号 {order_no} 已存在", None, ""
            mode = self._mode(order_no)
            buyer = BuyerProfile(InvoiceKind(order.get("invoiceLine", "pc")),
                                 BuyerType.COMPANY if order.get("buyerTaxNum") else BuyerType.PERSON,
                                 str(order["buyerName"]), str(order.get("buyerTaxNum", "")), str(order.get("buyerAddress", "")),
                                 str(order.get("buyerTel", "")), str(order.get("buyerAccount", "")), "", str(order.get("email", "")))  # fmt: skip
            lines = [_line(i, d) for i, d in enumerate(order["invoiceDetail"], 1)]
            invoice = _Invoice(order_no, order, lines, buyer, time.monotonic() + self.delay, mode)
            if mode == "failed":
                invoice.fail_cause = self._rnd.choice(FAIL_CAUSES)
            self.invoices[order_no] = invoice
            self._serial += 1
            serial = f"{self._serial:020d}"
        if mode == "duplicate":
            return "E9106", f"订单编号 {order_no} 已存在", None, mode
        return "E0000", "开票提交成功", {"invoiceSerialNum": serial}, mode

    def _finish(self, invoice: _Invoice, now: float) -> str:
        """The status code the invoice has now; issues it once its moment has come."""
        if now < invoice.ready_at:
            return "20"
        if invoice.mode == "failed":
            return "22"
        if invoice.mode == "seal_failed":
            return "24"
        if not invoice.number:
            self._issue(invoice)
        return "2"

    def _issue(self, invoice: _Invoice) -> None:
        moment = time.time()
        day = time.strftime("%y", time.localtime(moment))
        invoice.number = f"{day}33{len([i for i in self.invoices.values() if i.number]) + 1:016d}"
        invoice.issued_at_ms = int(moment * 1000)

    def _render(self, invoice: _Invoice) -> None:
        moment = invoice.issued_at_ms / 1000
        blue = self.invoices.get(invoice.request.get("blueOrderNo", "")) if invoice.red_of else None
        shown = IssuedInvoice(invoice.number, _china(moment), invoice.buyer, self.seller, invoice.lines,
                              red_of=blue.number if blue else (invoice.red_of or None),
                              remark=str(invoice.request.get("remark", "")))  # fmt: skip
        invoice.pdf = invoice_pdf(shown)
        invoice.xml = _xml(shown)

    def _query(self, content: dict[str, Any]) -> tuple[str, str, Any, str]:
        now = time.monotonic()
        found = []
        with self._lock:
            for order_no in content.get("orderNos", [])[:50]:
                invoice = self.invoices.get(str(order_no))
                if invoice is None:
                    continue
                status = self._finish(invoice, now)
                found.append({
                    "orderNo": invoice.order_no, "status": status, "failCause": invoice.fail_cause,
                    "allElectronicInvoiceNumber": invoice.number, "invoiceTime": invoice.issued_at_ms,
                    "pdfUrl": f"{self.url}/files/{invoice.number}.pdf" if invoice.number else "",
                    "xmlUrl": f"{self.url}/files/{invoice.number}.xml" if invoice.number else "",
                    "statusMsg": {"2": "开票完成", "20": "开票中", "22": "开票失败", "24": "签章失败"}[status],
                })  # fmt: skip
        return "E0000", "查询成功", found, ""

    def _reinvoice(self, content: dict[str, Any]) -> tuple[str, str, Any, str]:
        with self._lock:
            invoice = self.invoices.get(str(content["orderNo"]))
            if invoice is None:
                return "E9108", f"订单编号 {content['orderNo']} 不存在", None, ""
            if invoice.mode not in ("seal_failed", "failed"):
                return "E9109", "该发票无需重开", None, ""
            invoice.mode, invoice.fail_cause, invoice.ready_at = "", "", time.monotonic() + self.delay
        return "E0000", "重新开具已提交", None, ""

    def _red_confirm(self, content: dict[str, Any]) -> tuple[str, str, Any, str]:
        bill_id = str(content["billId"])
        with self._lock:
            if bill_id in self.forms:
                return "E9106", f"红字确认单 {bill_id} 已存在", None, ""
            blue = next((i for i in self.invoices.values() if i.number == content["blueElecInvoiceNumber"]), None)
            if blue is None or blue.red_of:
                return "E9110", f"蓝字发票 {content['blueElecInvoiceNumber']} 不存在", None, ""
            lines = []
            for d in content["detail"]:
                index = int(d["blueDetailIndex"])
                original = blue.lines[index - 1]
                amount = -fen(d["taxIncludedAmount"])
                if amount <= 0 or blue.red_fen.get(index, 0) + amount > original.included_fen:
                    return "E9111", f"第 {index} 行冲红金额超过蓝字发票剩余金额", None, ""
                lines.append((index, _line(index, d)))
            for index, line in lines:
                blue.red_fen[index] = blue.red_fen.get(index, 0) - line.included_fen
            state = "02" if blue.buyer.kind is InvoiceKind.SPECIAL else "01"  # 专票: the buyer confirms
            red = _Invoice(bill_id, {"blueOrderNo": blue.order_no, "remark": f"对应正数发票代码:{blue.number}"},
                           [line for _, line in lines], blue.buyer, time.monotonic() + self.delay * (2 if state == "02" else 1),
                           red_of=blue.number)  # fmt: skip
            self.invoices[bill_id] = red
            self.forms[bill_id] = {"state": "04" if state == "02" else "01", "blue": blue.number}
        return "E0000", "红字确认单已提交", {"billNo": bill_id, "billStatus": state}, ""


def _answer(code: str, describe: str, result: Any = None) -> Response:
    return Response(json.dumps({"code": code, "describe": describe, "result": result}, ensure_ascii=False),
                    media_type="application/json")  # fmt: skip


def _china(moment: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(moment, CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


def _xml(invoice: IssuedInvoice) -> bytes:
    root = ElementTree.Element("EInvoice")
    head = ElementTree.SubElement(root, "Header")
    ElementTree.SubElement(head, "EIid").text = invoice.number
    ElementTree.SubElement(head, "IssueTime").text = invoice.issued_at
    ElementTree.SubElement(head, "InvoiceType").text = "红字" if invoice.red_of else "蓝字"
    if invoice.red_of:
        ElementTree.SubElement(head, "BlueInvoiceNumber").text = invoice.red_of
    buyer = ElementTree.SubElement(root, "BuyerInformation")
    ElementTree.SubElement(buyer, "BuyerName").text = invoice.buyer.title
    ElementTree.SubElement(buyer, "BuyerIdNum").text = invoice.buyer.taxpayer_id
    seller = ElementTree.SubElement(root, "SellerInformation")
    ElementTree.SubElement(seller, "SellerName").text = invoice.seller.name
    ElementTree.SubElement(seller, "SellerIdNum").text = invoice.seller.taxpayer_id
    items = ElementTree.SubElement(root, "IssuItemInformation")
    for line in invoice.lines:
        item = ElementTree.SubElement(items, "Item")
        for tag, value in (("ItemName", line.item.goods_name), ("TaxClassificationCode", line.item.code),
                           ("Quantity", str(line.quantity)), ("Amount", f"{line.excluded_fen / 100:.2f}"),
                           ("TaxRate", line.item.rate_text), ("ComTaxAm", f"{line.tax_fen / 100:.2f}")):  # fmt: skip
            ElementTree.SubElement(item, tag).text = value
    totals = ElementTree.SubElement(root, "TotalAmount")
    ElementTree.SubElement(totals, "TotalTax-includedAmount").text = f"{invoice.total_fen / 100:.2f}"
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
