"""/v1/invoices: the invoices the hub made from order state, for clerks and supervisors: a keyset
listing (the console's first load; the feed keeps it current), one invoice with its history, its
PDF and XML, an order's invoices, the month locks, and the figures (states, signed → issued latency,
the seller's credit line)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from orderdesk.hub import invoice_store as book
from orderdesk.hub.deps import Caller, Store, require_role
from orderdesk.hub.invoice_figures import latency
from orderdesk.hub.refusals import Refusal, responses
from orderdesk.hub.routes.actions import FINANCE
from orderdesk.hub.schema import invoices
from orderdesk.invoicing.states import InvoiceState

router = APIRouter(prefix="/v1", tags=["invoices"])
ORDER_NO = Path(pattern=r"^[A-Z0-9]{6,32}$", description="the invoice's order_no (its key at the platform)")


class InvoicePage(BaseModel):
    invoices: list[dict[str, Any]]
    next: int | None


def _finance(who: Any, *, doing_en: str, doing_zh: str) -> None:
    require_role(who, FINANCE, doing_en=doing_en, doing_zh=doing_zh)


@router.get("/invoices", response_model=InvoicePage, responses=responses(401, 403, 422))
def list_invoices(
    who: Caller,
    store: Store,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    state: Annotated[InvoiceState | None, Query()] = None,
) -> InvoicePage:
    _finance(who, doing_en="read invoices", doing_zh="查看发票")
    with store.read() as c:
        rows = book.page(c, after, limit, state.value if state else None)
    return InvoicePage(invoices=[book.feed_body(b) for _, b in rows], next=rows[-1][0] if len(rows) == limit else None)


@router.get("/invoices/figures", responses=responses(401, 403))
def figures(who: Caller, store: Store, request: Request) -> dict[str, Any]:
    """Invoices per state, signed → issued latency, the month locks, changes kept for locked months."""
    _finance(who, doing_en="read invoice figures", doing_zh="查看开票统计")
    from sqlalchemy import func, select

    with store.read() as c:
        states: dict[str, int] = dict(
            c.execute(select(invoices.c.state, func.count()).group_by(invoices.c.state)).all()
        )
        issued = book.in_states(c, [InvoiceState.ISSUED, InvoiceState.PARTLY_RED, InvoiceState.RED], limit=100_000)
        locks = {m: {"actor": a, "at_ms": t} for m, (a, t) in book.locked_months(c).items()}
        kept = book.locked_changes(c)
    invoicer = getattr(request.app.state, "invoicer", None)
    credit = None
    if invoicer is not None and invoicer.credit_fen is not None:
        with store.read() as c:
            left = invoicer.credit_left(c)
        credit = {
            "month": invoicer.today()[:7],
            "limit_fen": invoicer.credit_fen,
            "used_fen": invoicer.credit_fen - left,
        }
    return {"states": states, "latency": latency(issued), "locks": locks, "locked_changes": kept, "credit": credit}


@router.get(
    "/invoices/monthly/{month}.{form}",
    responses={**responses(401, 403, 404), 200: {"content": {"application/octet-stream": {}}}},
)
def monthly_list(who: Caller, store: Store, month: Annotated[str, Path(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")],
                 form: Annotated[str, Path(pattern="^(xlsx|csv)$")]) -> Response:  # fmt: skip
    """The monthly list the hub made by the 5th for the month before (Kingdee XLSX, or CSV)."""
    _finance(who, doing_en="read the monthly list", doing_zh="查看月度清单")
    with store.read() as c:
        found = book.monthly_list(c, month)
    if found is None:
        raise Refusal(404, en=f"no monthly list of {month} yet (made by the 5th of the month after)",
                      zh=f"还没有 {month} 的月度清单(次月 5 日前生成)", field="month", value=month)  # fmt: skip
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if form == "xlsx" else "text/csv"
    return Response(found.xlsx if form == "xlsx" else found.csv, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="monthly-list-{month}.{form}"'})  # fmt: skip


@router.get("/invoices/{order_no}", responses=responses(401, 403, 404))
def show_invoice(who: Caller, store: Store, order_no: Annotated[str, ORDER_NO]) -> dict[str, Any]:
    """One invoice in full (the buyer's contact details too) with every move it made."""
    _finance(who, doing_en="read invoices", doing_zh="查看发票")
    with store.read() as c:
        body = book.get(c, order_no)
        if body is None:
            raise Refusal(404, en=f"no invoice {order_no}", zh=f"没有发票 {order_no}", field="order_no", value=order_no)
        return {**body, "history": book.history(c, order_no)}


@router.get(
    "/invoices/{order_no}/{kind}", responses={**responses(401, 403, 404), 200: {"content": {"application/pdf": {}}}}
)
def invoice_file(who: Caller, store: Store, order_no: Annotated[str, ORDER_NO],
                 kind: Annotated[str, Path(pattern="^(pdf|xml)$")]) -> Response:  # fmt: skip
    """The issued invoice's PDF or XML, as the platform made it."""
    _finance(who, doing_en="read invoices", doing_zh="查看发票")
    with store.read() as c:
        data = book.file_of(c, order_no, kind)
    if not data:
        raise Refusal(404, en=f"invoice {order_no} has no {kind} (not issued yet?)", zh=f"发票 {order_no} 还没有 {kind} 文件",
                      field="order_no", value=order_no)  # fmt: skip
    return Response(data, media_type="application/pdf" if kind == "pdf" else "application/xml",
                    headers={"Content-Disposition": f'inline; filename="{order_no}.{kind}"'})  # fmt: skip


@router.get("/orders/{domain_id}/invoices", responses=responses(401, 403))
def order_invoices(who: Caller, store: Store, domain_id: Annotated[str, Path(pattern=r"^DB[0-9]{8}[0-9A-HJ-NP-Z]{12}$")]) -> dict[str, Any]:  # fmt: skip
    """An order's invoices, blue and red, oldest first (each with its PDF at /v1/invoices/{order_no}/pdf)."""
    _finance(who, doing_en="read invoices", doing_zh="查看发票")
    with store.read() as c:
        return {"order": domain_id, "invoices": book.of_orders(c, [domain_id]).get(domain_id, [])}
