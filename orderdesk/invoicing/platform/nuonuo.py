"""The 诺诺 open platform's protocol, as its public SDKs speak it (DOMAIN-FACTS.md, Invoices).

Every call is a POST to ``/open/v1/services`` naming its ``method`` in a header, with the body signed
(``invoicing.nuonuo_sign``) and the app key, sender id, nonce and time in the query. An answer is
``{"code": "E0000", "describe": …, "result": …}``; E9106 means the ``orderNo`` is known already (a
retry after a lost answer: nothing new was made). Amounts travel as yuan with two decimals."""

from __future__ import annotations

import json
import secrets
import socket
import time
from collections.abc import Sequence
from typing import Any

import httpx

from orderdesk.invoicing.amounts import InvoiceLine, yuan_text
from orderdesk.invoicing.nuonuo_sign import sign
from orderdesk.invoicing.platform.adapter import (
    BillingRequest,
    PlatformRefused,
    PlatformResult,
    PlatformUnavailable,
    RedForm,
    ResultStatus,
    Submitted,
)
from orderdesk.invoicing.profile import BuyerProfile
from orderdesk.invoicing.red_letter import NUONUO_REASON

OK, DUPLICATE = "E0000", "E9106"
STATUS = {"2": ResultStatus.DONE, "20": ResultStatus.IN_PROGRESS, "21": ResultStatus.IN_PROGRESS,
          "22": ResultStatus.FAILED, "24": ResultStatus.SEAL_FAILED}  # fmt: skip
QUERY_MOST = 50  # queryInvoiceResult takes at most 50 orderNos


def detail(line: InvoiceLine) -> dict[str, Any]:
    return {
        "goodsName": line.item.goods_name, "goodsCode": line.item.code, "specType": line.item.spec,
        "unit": line.item.unit, "num": str(line.quantity), "price": line.unit_price if line.quantity else "",
        "withTaxFlag": "1", "taxRate": line.item.rate_text, "taxExcludedAmount": yuan_text(line.excluded_fen),
        "tax": yuan_text(line.tax_fen), "taxIncludedAmount": yuan_text(line.included_fen), "invoiceLineProperty": "0",
    }  # fmt: skip


def billing_order(request: BillingRequest, seller_tax_num: str) -> dict[str, Any]:
    b: BuyerProfile = request.buyer
    return {
        "buyerName": b.title, "buyerTaxNum": b.taxpayer_id, "buyerTel": b.phone, "buyerAddress": b.address,
        "buyerAccount": f"{b.bank} {b.account}".strip(), "email": b.email, "salerTaxNum": seller_tax_num,
        "orderNo": request.order_no, "invoiceDate": time.strftime("%Y-%m-%d %H:%M:%S"), "invoiceType": "1",
        "invoiceLine": b.kind.value, "remark": request.remark,
        "invoiceDetail": [detail(line) for line in request.lines],
    }  # fmt: skip


def _field(result: Any, name: str) -> Any:
    """A field of an answer's result object ("" when there is none); an answer of another shape is no answer."""
    if result is None:
        return ""
    if not isinstance(result, dict):
        raise PlatformUnavailable(f"a result that is not an object: {str(result)[:200]!r}")
    return result.get(name, "")


class NuonuoPlatform:
    """The adapter for 诺诺 (and the local platform, which speaks the same protocol)."""

    def __init__(self, base_url: str, *, app_key: str, app_secret: str, tax_num: str, access_token: str = "",
                 timeout: float = 10.0, client: httpx.Client | None = None) -> None:  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self.app_key, self.app_secret, self.tax_num, self.access_token = app_key, app_secret, tax_num, access_token
        # TCP_NODELAY: a request's headers and body go in two writes; with Nagle's algorithm the body waited
        # for the server's delayed ACK (40 ms a call, measured: 48 ms per submission, 5 ms without).
        nodelay = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self._client = client or httpx.Client(timeout=timeout, transport=nodelay)

    def close(self) -> None:
        self._client.close()

    def call(self, method: str, content: dict[str, Any]) -> tuple[str, str, Any]:
        """(code, describe, result) of one signed call; PlatformUnavailable when no answer came."""
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        sender, nonce, stamp = secrets.token_hex(16), str(secrets.randbelow(10**9)), str(int(time.time()))
        signature = sign(
            self.app_secret, app_key=self.app_key, sender_id=sender, nonce=nonce, timestamp=stamp, body=body
        )
        headers = {"X-Nuonuo-Sign": signature, "accessToken": self.access_token, "userTax": self.tax_num,
                   "method": method, "Content-Type": "application/json"}  # fmt: skip
        params = {"senid": sender, "nonce": nonce, "timestamp": stamp, "appkey": self.app_key}
        try:
            answer = self._client.post(f"{self.base_url}/open/v1/services", params=params, headers=headers,
                                       content=body.encode())  # fmt: skip
        except httpx.HTTPError as exc:
            raise PlatformUnavailable(f"{method}: {type(exc).__name__}: {exc}") from exc
        if answer.status_code >= 500:
            raise PlatformUnavailable(f"{method}: HTTP {answer.status_code}")
        try:
            document = answer.json()
            return str(document["code"]), str(document.get("describe", "")), document.get("result")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise PlatformUnavailable(f"{method}: an answer that is not the protocol's: {answer.text[:200]!r}") from exc

    def submit(self, request: BillingRequest) -> Submitted:
        code, describe, result = self.call("nuonuo.OpeMplatform.requestBillingNew",
                                           {"order": billing_order(request, self.tax_num)})  # fmt: skip
        if code == DUPLICATE:
            return Submitted(request.order_no, "", duplicate=True)
        if code != OK:
            raise PlatformRefused(code, describe)
        return Submitted(request.order_no, str(_field(result, "invoiceSerialNum")))

    def query(self, order_nos: Sequence[str]) -> list[PlatformResult]:
        found: list[PlatformResult] = []
        for start in range(0, len(order_nos), QUERY_MOST):
            part = list(order_nos[start : start + QUERY_MOST])
            code, describe, result = self.call("nuonuo.OpeMplatform.queryInvoiceResult",
                                               {"serialNos": [], "orderNos": part, "isOfferInvoiceDetail": "0"})  # fmt: skip
            if code != OK:
                raise PlatformRefused(code, describe)
            if not isinstance(result or [], list) or not all(isinstance(r, dict) for r in result or []):
                raise PlatformUnavailable(
                    f"queryInvoiceResult: a result that is not a list of invoices: {str(result)[:200]!r}"
                )
            known = {str(r.get("orderNo")): r for r in result or []}
            for order_no in part:
                r = known.get(order_no)
                if r is None:
                    found.append(PlatformResult(order_no, ResultStatus.UNKNOWN))
                    continue
                try:
                    found.append(PlatformResult(
                        order_no, STATUS.get(str(r.get("status")), ResultStatus.IN_PROGRESS),
                        number=str(r.get("allElectronicInvoiceNumber") or ""), issued_at_ms=int(r.get("invoiceTime") or 0),
                        pdf_url=str(r.get("pdfUrl") or ""), xml_url=str(r.get("xmlUrl") or ""),
                        fail_cause=str(r.get("failCause") or ""),
                    ))  # fmt: skip
                except (TypeError, ValueError) as exc:
                    raise PlatformUnavailable(f"queryInvoiceResult: {order_no}: {exc}") from exc
        return found

    def reissue(self, order_no: str) -> None:
        code, describe, _ = self.call("nuonuo.OpeMplatform.reInvoice", {"orderNo": order_no})
        if code != OK:
            raise PlatformRefused(code, describe)

    def red_confirm(self, form: RedForm) -> str:
        content = {
            "billId": form.bill_id, "blueElecInvoiceNumber": form.blue_number, "redReason": NUONUO_REASON[form.reason],
            "applySource": "0", "sellerTaxNo": self.tax_num,
            "detail": [{**detail(InvoiceLine(blue.order_line_no, blue.item, red.quantity or 0, red.included_fen,
                                             red.excluded_fen, red.tax_fen)), "blueDetailIndex": str(red.blue_index)}
                       for red, blue in form.lines],
        }  # fmt: skip
        code, describe, result = self.call("nuonuo.OpeMplatform.saveInvoiceRedConfirm", content)
        if code == DUPLICATE:
            return "duplicate"
        if code != OK:
            raise PlatformRefused(code, describe)
        return str(_field(result, "billStatus"))

    def download(self, url: str) -> bytes:
        try:
            answer = self._client.get(url)
        except httpx.HTTPError as exc:
            raise PlatformUnavailable(f"download {url}: {exc}") from exc
        if answer.status_code != 200:
            raise PlatformUnavailable(f"download {url}: HTTP {answer.status_code}")
        return answer.content
