"""The hub's invoices: stored with the orders they cover, every move audited, every change in the feed.

An invoice's body (``body_json``) is what the hub serves: state, buyer, orders, lines, totals, what a
clerk must know (the reason it failed or waits, the problems of its buyer data) and its times. Only
clerks and supervisors read it: a packer's feed goes without invoice changes (hub/routes/changes.py)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from orderdesk.hub import bulk
from orderdesk.hub.schema import (
    invoice_audit,
    invoice_links,
    invoice_orders,
    invoices,
    locked_month_changes,
    month_locks,
    monthly_lists,
)
from orderdesk.hub.store import now_ms
from orderdesk.invoicing.amounts import InvoiceLine
from orderdesk.invoicing.order_facts import OrderFacts
from orderdesk.invoicing.states import InvoiceState, move
from orderdesk.sync.china_time import CHINA_TZ
from orderdesk.sync.contract import canonical_json

LIVE_BLUE = tuple(s.value for s in (InvoiceState.REQUESTED, InvoiceState.NEEDS_DATA, InvoiceState.READY,
                                     InvoiceState.SUBMITTED, InvoiceState.FAILED, InvoiceState.ISSUED,
                                     InvoiceState.PARTLY_RED))  # fmt: skip


ISSUED = (InvoiceState.ISSUED.value, InvoiceState.PARTLY_RED.value, InvoiceState.RED.value)


def new_order_no() -> str:
    """OD + 14 digits + 4 hex: unique per seller without a counter shared between hub processes."""
    return f"OD{now_ms():014d}{secrets.token_hex(2).upper()}"


def line_body(index: int, order: str, line: InvoiceLine, sku: str = "") -> dict[str, Any]:
    item = line.item
    return {"index": index, "order": order, "line_no": line.order_line_no, "sku": sku, "goods_name": item.goods_name,
            "code": item.code, "rate_bp": item.rate_bp, "spec": item.spec, "unit": item.unit, "quantity": line.quantity,
            "included_fen": line.included_fen, "excluded_fen": line.excluded_fen, "tax_fen": line.tax_fen}  # fmt: skip


def feed_body(body: dict[str, Any]) -> dict[str, Any]:
    """As the feed and the listing serve it (everything: only clerks and supervisors read invoices)."""
    return body


def totals(body: dict[str, Any]) -> dict[str, Any]:
    body["total_fen"] = sum(line["included_fen"] for line in body["lines"])
    body["tax_fen"] = sum(line["tax_fen"] for line in body["lines"])
    body["balance_fen"] = body["total_fen"] - sum(body.get("red_fen", {}).values())
    return body


def _write(c: Connection, body: dict[str, Any], *, new: bool) -> None:
    body["updated_at_ms"] = now_ms()
    values = {"state": body["state"], "body_json": canonical_json(body), "updated_at_ms": body["updated_at_ms"],
              "issued_month": _china_month(body["issued_at_ms"]) if body.get("issued_at_ms") else None}  # fmt: skip
    if new:
        c.execute(insert(invoices).values(order_no=body["order_no"], red_of=body.get("red_of"), month=body["month"],
                                          **values))  # fmt: skip
        c.execute(insert(invoice_links), [{"order_no": body["order_no"], "domain_id": o} for o in body["orders"]])
    else:
        c.execute(update(invoices).where(invoices.c.order_no == body["order_no"]).values(**values))
    bulk.append_changes(c, [("invoice", body["order_no"], canonical_json(feed_body(body)))], now_ms())


def _china_month(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, CHINA_TZ).strftime("%Y-%m")


def issued_in(c: Connection, month: str) -> list[dict[str, Any]]:
    """The invoices issued in a month (China time), blue and red, in the order they were issued."""
    query = select(invoices.c.body_json).where(invoices.c.issued_month == month, invoices.c.state.in_(ISSUED))
    return sorted((json.loads(t) for t in c.execute(query).scalars()), key=lambda b: b["issued_at_ms"])


def save_monthly_list(c: Connection, month: str, xlsx: bytes, csv: bytes, count: int) -> None:
    c.execute(delete(monthly_lists).where(monthly_lists.c.month == month))
    c.execute(insert(monthly_lists).values(month=month, xlsx=xlsx, csv=csv, invoices=count, made_at_ms=now_ms()))


def monthly_list(c: Connection, month: str) -> Any:
    return c.execute(select(monthly_lists).where(monthly_lists.c.month == month)).first()


def audit(c: Connection, order_no: str, actor: str, before: str | None, after: str, **detail: Any) -> None:
    c.execute(insert(invoice_audit).values(order_no=order_no, at_ms=now_ms(), actor=actor, before=before, after=after,
                                           detail_json=canonical_json(detail)))  # fmt: skip


def create(c: Connection, body: dict[str, Any], actor: str, **detail: Any) -> dict[str, Any]:
    body["requested_at_ms"] = body.get("requested_at_ms") or now_ms()
    totals(body)
    _write(c, body, new=True)
    audit(c, body["order_no"], actor, None, body["state"], **detail)
    return body


def moved(c: Connection, body: dict[str, Any], after: InvoiceState, actor: str, **detail: Any) -> dict[str, Any]:
    """The invoice moved to ``after`` (InvalidMove if it may not), audited and fed."""
    before = body["state"]
    body["state"] = move(InvoiceState(before), after).value
    totals(body)
    _write(c, body, new=False)
    audit(c, body["order_no"], actor, before, body["state"], **detail)
    return body


def changed(c: Connection, body: dict[str, Any], actor: str, **detail: Any) -> dict[str, Any]:
    """The invoice changed without a move (a reason, an attempt, a fix), audited and fed."""
    totals(body)
    _write(c, body, new=False)
    audit(c, body["order_no"], actor, body["state"], body["state"], **detail)
    return body


def attach_files(c: Connection, order_no: str, pdf: bytes, xml: bytes) -> None:
    c.execute(update(invoices).where(invoices.c.order_no == order_no).values(pdf=pdf, xml=xml))


def without_files(c: Connection, limit: int) -> list[dict[str, Any]]:
    """Issued invoices (blue or red) whose PDF the hub has not fetched yet."""
    query = select(invoices.c.body_json).where(invoices.c.state.in_(ISSUED), invoices.c.pdf.is_(None))
    bodies = [json.loads(t) for t in c.execute(query.order_by(invoices.c.id).limit(limit)).scalars()]
    return [b for b in bodies if b.get("pdf_url")]


def get(c: Connection, order_no: str) -> dict[str, Any] | None:
    text = c.execute(select(invoices.c.body_json).where(invoices.c.order_no == order_no)).scalar()
    return json.loads(text) if text else None


def file_of(c: Connection, order_no: str, kind: str) -> bytes | None:
    column = invoices.c.pdf if kind == "pdf" else invoices.c.xml
    return c.execute(select(column).where(invoices.c.order_no == order_no)).scalar()


def in_states(c: Connection, states: Iterable[InvoiceState], limit: int = 500) -> list[dict[str, Any]]:
    query = select(invoices.c.body_json).where(invoices.c.state.in_([s.value for s in states]))
    return [json.loads(t) for t in c.execute(query.order_by(invoices.c.id).limit(limit)).scalars()]


def of_orders(c: Connection, domain_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Every invoice of these orders, blue and red, oldest first."""
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(domain_ids), 500):
        query = (select(invoice_links.c.domain_id, invoices.c.body_json)
                 .join(invoices, invoices.c.order_no == invoice_links.c.order_no)
                 .where(invoice_links.c.domain_id.in_(list(domain_ids[start : start + 500]))).order_by(invoices.c.id))  # fmt: skip
        for domain_id, text in c.execute(query):
            found.setdefault(domain_id, []).append(json.loads(text))
    return found


def page(c: Connection, after_id: int, limit: int, state: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    query = select(invoices.c.id, invoices.c.body_json).where(invoices.c.id > after_id)
    if state:
        query = query.where(invoices.c.state == state)
    return [(i, json.loads(t)) for i, t in c.execute(query.order_by(invoices.c.id).limit(limit))]


def history(c: Connection, order_no: str) -> list[dict[str, Any]]:
    a = invoice_audit.c
    rows = c.execute(
        select(a.at_ms, a.actor, a.before, a.after, a.detail_json).where(a.order_no == order_no).order_by(a.id)
    )
    return [{"at_ms": r.at_ms, "actor": r.actor, "before": r.before, "after": r.after, "detail": json.loads(r.detail_json)}
            for r in rows]  # fmt: skip


# -- the orders' facts ------------------------------------------------------------------------------
def save_facts(c: Connection, facts: Sequence[OrderFacts]) -> None:
    if not facts:
        return
    ids = [f.domain_id for f in facts]
    known = set(c.execute(select(invoice_orders.c.domain_id).where(invoice_orders.c.domain_id.in_(ids))).scalars())
    at = now_ms()
    rows = [
        {"domain_id": f.domain_id, "due": int(f.due), "facts_json": f.to_json(), "updated_at_ms": at} for f in facts
    ]
    new = [r for r in rows if r["domain_id"] not in known]
    if new:
        c.execute(insert(invoice_orders), new)
    for r in rows:
        if r["domain_id"] in known:
            c.execute(update(invoice_orders).where(invoice_orders.c.domain_id == r["domain_id"])
                      .values(due=r["due"], facts_json=r["facts_json"], updated_at_ms=at))  # fmt: skip


def facts_of(c: Connection, domain_ids: Sequence[str]) -> dict[str, OrderFacts]:
    found = {}
    for start in range(0, len(domain_ids), 500):
        query = select(invoice_orders.c.facts_json).where(
            invoice_orders.c.domain_id.in_(list(domain_ids[start : start + 500]))
        )
        for text in c.execute(query).scalars():
            facts = OrderFacts.from_json(text)
            found[facts.domain_id] = facts
    return found


def due_without_invoice(c: Connection) -> list[OrderFacts]:
    """Orders due an invoice that no live blue invoice covers."""
    covered = (select(invoice_links.c.domain_id).join(invoices, invoices.c.order_no == invoice_links.c.order_no)
               .where(invoices.c.red_of.is_(None), invoices.c.state.in_(LIVE_BLUE)))  # fmt: skip
    query = select(invoice_orders.c.facts_json).where(invoice_orders.c.due == 1,
                                                       invoice_orders.c.domain_id.not_in(covered))  # fmt: skip
    return [OrderFacts.from_json(t) for t in c.execute(query).scalars()]


# -- month locks ------------------------------------------------------------------------------------
def locked_months(c: Connection) -> dict[str, tuple[str, int]]:
    return {
        m: (actor, at)
        for m, actor, at in c.execute(select(month_locks.c.month, month_locks.c.actor, month_locks.c.at_ms))
    }


def lock_month(c: Connection, month: str, actor: str) -> bool:
    if c.execute(select(month_locks.c.month).where(month_locks.c.month == month)).first():
        return False
    c.execute(insert(month_locks).values(month=month, actor=actor, at_ms=now_ms()))
    bulk.append_changes(c, [("invoice", f"lock:{month}", canonical_json({"lock": month, "actor": actor}))], now_ms())
    return True


def keep_locked_change(c: Connection, month: str, domain_id: str, detail: dict[str, Any]) -> None:
    text = canonical_json(detail)
    t = locked_month_changes.c
    if c.execute(select(t.id).where(t.domain_id == domain_id, t.detail_json == text)).first() is None:
        c.execute(
            insert(locked_month_changes).values(month=month, domain_id=domain_id, detail_json=text, at_ms=now_ms())
        )


def locked_changes(c: Connection, month: str | None = None) -> list[dict[str, Any]]:
    t = locked_month_changes.c
    query = select(t.month, t.domain_id, t.detail_json, t.at_ms)
    if month:
        query = query.where(t.month == month)
    return [
        {"month": m, "order": d, "detail": json.loads(j), "at_ms": at}
        for m, d, j, at in c.execute(query.order_by(t.id))
    ]
