"""A red-letter invoice made on the hub: negative lines for exactly what is reversed of one order's
lines on a blue invoice, the blue one reading 部分冲红 / 全额冲红 at once (the invoicer on a refund, a
clerk's invoice_red action)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from orderdesk.hub import invoice_store as book
from orderdesk.invoicing.amounts import InvoiceLine
from orderdesk.invoicing.red_letter import BlueLine, RedReason, red_lines
from orderdesk.invoicing.states import InvoiceState
from orderdesk.invoicing.tax_table import TaxItem

S = InvoiceState


def blue_lines(body: dict[str, Any]) -> list[BlueLine]:
    return [BlueLine(x["index"], x["order"], invoice_line(x)) for x in body["lines"]]


def invoice_line(x: dict[str, Any]) -> InvoiceLine:
    item = TaxItem(x["goods_name"], x["code"], x["rate_bp"], x["unit"], x["spec"])
    return InvoiceLine(x["line_no"], item, x["quantity"], x["included_fen"], x["excluded_fen"], x["tax_fen"])


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
