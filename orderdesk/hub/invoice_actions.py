"""What a clerk (or a supervisor) does to invoices through ``POST /v1/actions``, applied in the action's
own transaction, so the action's Idempotency-Key makes it happen once however often it is sent.

Each refusal names the field and the value: an invoice in a state that does not allow the action, a
buyer field that fails its check, a red-letter beyond what remains on the original, a merge across
buyers, a month that is not one."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from orderdesk.hub import invoice_store as book
from orderdesk.hub.invoice_red import red_letter
from orderdesk.hub.invoicer import SYSTEM, Invoicer
from orderdesk.hub.refusals import Refusal
from orderdesk.invoicing.order_facts import OrderFacts
from orderdesk.invoicing.plan import bundled_rule
from orderdesk.invoicing.profile import check_profile
from orderdesk.invoicing.red_letter import RedLetterRefused, RedReason
from orderdesk.invoicing.states import STATE_LABELS, InvoiceState
from orderdesk.sync.contract import InvoiceRequest
from orderdesk.sync.record_errors import describe_errors

S = InvoiceState
INVOICE_KINDS = ("invoice_request", "invoice_fix", "invoice_confirm", "invoice_split", "invoice_merge", "invoice_retry",
                 "invoice_red", "red_invoice_request", "month_lock")  # fmt: skip
_MONTH = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])$")


def _refuse(field: str, value: Any, *, en: str, zh: str, status: int = 422) -> Refusal:
    return Refusal(status, en=en, zh=zh, field=field, value=str(value)[:200])


def _invoice(c: Connection, payload: dict[str, Any], *states: InvoiceState) -> dict[str, Any]:
    order_no = str(payload.get("invoice", ""))
    body = book.get(c, order_no)
    if body is None:
        raise _refuse("invoice", order_no, en=f"no invoice {order_no}", zh=f"没有发票 {order_no}", status=404)
    if states and body["state"] not in states:
        zh, en = STATE_LABELS[S(body["state"])]
        raise _refuse("state", body["state"], en=f"invoice {order_no} is {en}: this cannot be done to it now",
                      zh=f"发票 {order_no} 为「{zh}」,现在不能这样处理", status=409)  # fmt: skip
    return body


def _profile(merged: dict[str, Any]) -> dict[str, Any]:
    try:
        request = InvoiceRequest.model_validate(merged)
    except ValidationError as exc:
        first = describe_errors(exc)[0]
        raise _refuse(f"buyer.{first.field}", first.value, en=first.message, zh=first.message_zh) from None
    errors = check_profile(request.profile())
    if errors:
        first = errors[0]
        raise _refuse(first.field, first.value, en=first.message, zh=first.message_zh)
    return request.model_dump(mode="json")


def apply(c: Connection, invoicer: Invoicer | None, kind: str, order: str | None, payload: dict[str, Any],
          actor: str) -> dict[str, Any]:  # fmt: skip
    """Do the action; what it did, for the action's answer."""
    if kind == "month_lock":
        month = str(payload.get("month", ""))
        if not _MONTH.match(month):
            raise _refuse("month", month, en="a month is written YYYY-MM", zh="月份格式应为 YYYY-MM")
        return {"month": month, "locked": book.lock_month(c, month, actor)}
    if kind == "invoice_request":
        if order is None:
            raise _refuse("order", None, en="name the order to invoice", zh="请指明要开票的订单")
        profile = _profile(payload.get("buyer") or {})
        fact = book.facts_of(c, [order]).get(order)
        if fact is None:  # folded by the next cycle, with this profile
            fact = OrderFacts(order, "open", False, profile, "", None, [], manual=True)
        fact.profile, fact.manual = profile, True
        book.save_facts(c, [fact])
        if invoicer is not None:
            invoicer.refold(c, order)
        return {"order": order}
    if kind == "invoice_confirm":
        body = _invoice(c, payload, S.REQUESTED)
        if not body.get("merge"):
            raise _refuse("invoice", body["order_no"], en="this invoice is not a merge waiting for confirmation",
                          zh="此发票不是待确认的合并发票", status=409)  # fmt: skip
        body["merge"] = False
        book.moved(c, body, S.READY, actor, confirmed_merge=body["orders"])
        return {"invoice": body["order_no"], "state": body["state"]}
    if kind == "invoice_split":
        body = _invoice(c, payload, S.REQUESTED, S.NEEDS_DATA, S.READY)
        facts = book.facts_of(c, body["orders"])
        for f in facts.values():
            f.alone = True
        book.save_facts(c, list(facts.values()))
        book.moved(c, body, S.WITHDRAWN, actor, split=body["orders"])
        return {"invoice": body["order_no"], "state": body["state"]}
    if kind == "invoice_merge":
        return _merge(c, payload, actor)
    if kind == "invoice_fix":
        body = _invoice(c, payload, S.NEEDS_DATA, S.FAILED, S.REQUESTED)
        changes = payload.get("buyer") or {}
        if not isinstance(changes, dict) or not changes:
            raise _refuse("buyer", changes, en="give the buyer fields to change", zh="请给出要修改的购方信息")
        facts = book.facts_of(c, body["orders"])
        fixed = []
        for f in facts.values():
            f.profile, f.manual = _profile({**f.profile, **changes}), True
            fixed.append(f)
        book.save_facts(c, fixed)
        book.moved(c, body, S.WITHDRAWN, actor, fixed={k: str(v)[:100] for k, v in changes.items()})
        return {"invoice": body["order_no"], "state": body["state"]}
    if kind == "invoice_retry":
        body = _invoice(c, payload, S.FAILED)
        body["pending"], body["attempts"] = "reissue", body.get("attempts", 0) + 1
        book.moved(c, body, S.SUBMITTED, actor, retry=body["attempts"])
        return {"invoice": body["order_no"], "state": body["state"]}
    if kind in ("invoice_red", "red_invoice_request"):
        body = _invoice(c, payload, S.ISSUED, S.PARTLY_RED)
        try:
            reason = RedReason(str(payload.get("reason", RedReason.SALES_RETURN.value)))
        except ValueError:
            raise _refuse("reason", payload.get("reason"), en="a red-letter reason is 01, 02, 03 or 04",
                          zh="冲红原因应为 01、02、03 或 04") from None  # fmt: skip
        whose = str(payload.get("order") or order or "")
        if whose not in body["orders"]:
            raise _refuse("order", whose, en=f"order {whose} is not on invoice {body['order_no']}",
                          zh=f"订单 {whose} 不在发票 {body['order_no']} 上")  # fmt: skip
        lines = payload.get("lines")
        red_fen = {int(k): v for k, v in body.get("red_fen", {}).items()}
        mine = {
            x["line_no"]: x["included_fen"] - red_fen.get(x["index"], 0) for x in body["lines"] if x["order"] == whose
        }
        try:
            wanted = {int(k): int(v) for k, v in lines.items()} if isinstance(lines, dict) else mine
        except (TypeError, ValueError):
            raise _refuse(
                "lines", lines, en="lines is {order line no.: fen}", zh="lines 应为 {订单行号: 金额(分)}"
            ) from None
        try:
            red = red_letter(c, body, whose, wanted, reason, actor, cause="clerk")
        except RedLetterRefused as exc:
            raise _refuse(exc.field, exc.value, en=str(exc), zh=exc.zh) from None
        return {"invoice": body["order_no"], "red": red["order_no"], "state": body["state"]}
    raise _refuse("kind", kind, en=f"not an invoicing action: {kind}", zh=f"不是开票操作:{kind}")


def _merge(c: Connection, payload: dict[str, Any], actor: str) -> dict[str, Any]:
    """Invoices not yet sent, of one buyer, made one (the originals withdrawn): a clerk's own merge."""
    numbers = payload.get("invoices")
    if not isinstance(numbers, list) or len(numbers) < 2 or not all(isinstance(n, str) for n in numbers):
        raise _refuse("invoices", numbers, en="name two or more invoices to merge", zh="请指明两张或以上要合并的发票")
    bodies = [_invoice(c, {"invoice": n}, S.READY, S.REQUESTED) for n in dict.fromkeys(numbers)]
    if len(bodies) < 2 or any(b["red_of"] for b in bodies):
        raise _refuse("invoices", numbers, en="name two or more blue invoices to merge", zh="请指明两张或以上蓝字发票")
    first = bodies[0]
    for other in bodies[1:]:
        if other["buyer_key"] != first["buyer_key"] or other["kind"] != first["kind"]:
            raise _refuse("invoices", other["order_no"],
                          en=f"a merge across buyers: {other['order_no']} is {other['buyer']['title']}'s, "
                          f"{first['order_no']} is {first['buyer']['title']}'s",
                          zh=f"不能跨购方合并:{other['order_no']} 属于 {other['buyer']['title']},"
                          f"{first['order_no']} 属于 {first['buyer']['title']}")  # fmt: skip
    lines = [x for b in bodies for x in b["lines"]]
    if len(lines) > bundled_rule().max_lines:
        raise _refuse("invoices", len(lines), en=f"{len(lines)} lines: an invoice holds at most {bundled_rule().max_lines}",
                      zh=f"共 {len(lines)} 行:一张发票最多 {bundled_rule().max_lines} 行")  # fmt: skip
    merged = book.create(c, {
        **first, "order_no": book.new_order_no(), "state": S.READY.value, "merge": False, "reason": None,
        "orders": [o for b in bodies for o in b["orders"]], "lines": [{**x, "index": i} for i, x in enumerate(lines, 1)],
        "day": min(b["day"] for b in bodies), "signed_at_ms": min(b.get("signed_at_ms") or 0 for b in bodies),
        "requested_at_ms": None, "attempts": 0,
    }, actor, merged=[b["order_no"] for b in bodies])  # fmt: skip
    for body in bodies:
        book.moved(c, body, S.WITHDRAWN, actor, merged_into=merged["order_no"])
    return {"invoice": merged["order_no"], "state": merged["state"], "merged": [b["order_no"] for b in bodies]}


__all__ = ["INVOICE_KINDS", "SYSTEM", "apply"]
