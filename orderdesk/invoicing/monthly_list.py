"""The monthly list (《进项税额抵扣清单》 in the seed): every invoice issued in a month, blue and red,
by customer, number, amount, rate and tax — as XLSX in the Kingdee 云星空 import layout
(`resources/invoicing/kingdee_layout.json`, one sheet per form: 普票 IV_SALESOC, 专票 IV_SALESIC) and
as CSV (one row per invoice and rate). Money is written in yuan with two decimals from integer fen;
red invoices carry negative amounts and 红字."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from orderdesk.invoicing.amounts import yuan_text
from orderdesk.invoicing.xlsx_stream import Cell, Workbook
from orderdesk.sync.resources import RESOURCES

LAYOUT_FILE = RESOURCES / "invoicing" / "kingdee_layout.json"


@dataclass(frozen=True, slots=True)
class ListedLine:
    goods_name: str
    quantity: int  # negative on a red invoice (0: an amount-only line)
    rate_bp: int
    excluded_fen: int
    tax_fen: int

    @property
    def included_fen(self) -> int:
        return self.excluded_fen + self.tax_fen


@dataclass(frozen=True, slots=True)
class ListedInvoice:
    number: str  # 20 digits
    date: str  # YYYY-MM-DD, China time
    kind: str  # "pc" / "bs"
    customer: str
    taxpayer_id: str
    red: bool
    lines: tuple[ListedLine, ...]

    @property
    def tax_fen(self) -> int:
        return sum(line.tax_fen for line in self.lines)

    @property
    def total_fen(self) -> int:
        return sum(line.included_fen for line in self.lines)


def listed(body: dict[str, Any]) -> ListedInvoice:
    """An issued invoice as the hub serves it (hub/invoice_store.py), as the list needs it."""
    from datetime import datetime

    from orderdesk.sync.china_time import CHINA_TZ

    date = datetime.fromtimestamp(body["issued_at_ms"] / 1000, CHINA_TZ).date().isoformat()
    lines = tuple(ListedLine(x["goods_name"], x["quantity"], x["rate_bp"], x["excluded_fen"], x["tax_fen"])
                  for x in body["lines"])  # fmt: skip
    return ListedInvoice(body["number"], date, body["kind"], body["buyer"]["title"], body["buyer"].get("taxpayer_id", ""),
                         bool(body.get("red_of")), lines)  # fmt: skip


@cache
def layout() -> dict[str, Any]:
    return json.loads(LAYOUT_FILE.read_text(encoding="utf-8"))


def _values(invoice: ListedInvoice, index: int, line: ListedLine) -> dict[str, Any]:
    """Cell values by layout name: text, or numbers in yuan (floats of exact fen: 2 decimals)."""
    unit = round(line.included_fen / 100 / line.quantity, 8) if line.quantity else 0.0
    return {
        "bill_no": invoice.number, "date": invoice.date, "customer": invoice.customer,
        "taxpayer_id": invoice.taxpayer_id, "number": invoice.number, "red_blue": "红字" if invoice.red else "蓝字",
        "invoice_tax": invoice.tax_fen / 100, "invoice_total": invoice.total_fen / 100, "line_index": index,
        "goods_name": line.goods_name, "quantity": line.quantity, "unit_price_with_tax": unit,
        "rate_percent": line.rate_bp / 100, "amount": line.excluded_fen / 100, "tax": line.tax_fen / 100,
        "total": line.included_fen / 100,
    }  # fmt: skip


def write_xlsx(invoices: Iterable[ListedInvoice], path: Path) -> dict[str, int]:
    """The Kingdee import workbook. Returns the rows written per sheet (form). Header cells only on an
    invoice's first line."""
    spec = layout()
    columns = [(c["value"], c["header"]) for c in spec["columns"]]
    by_form: dict[str, list[ListedInvoice]] = {}
    for invoice in invoices:
        by_form.setdefault(spec["forms"][invoice.kind], []).append(invoice)

    def rows(form: str, listed: list[ListedInvoice]) -> Iterable[list[Cell]]:
        yield [f"FBillHead({form})", *(c["key"] for c in spec["columns"])]
        yield ["", *(("*" if c["required"] else "") + c["label"] for c in spec["columns"])]
        for invoice in listed:
            for index, line in enumerate(invoice.lines, 1):
                values = _values(invoice, index, line)
                first = index == 1
                yield [invoice.number if first else None,
                       *(values[name] if first or not header else None for name, header in columns)]  # fmt: skip

    book = Workbook(path)
    try:
        return {form: book.sheet(form, rows(form, listed)) - 2 for form, listed in sorted(by_form.items())}
    finally:
        book.close()


CSV_HEADER = ("客户名称", "纳税人识别号", "发票号码", "开票日期", "蓝/红", "税率(%)", "金额", "税额", "价税合计")


def write_csv(invoices: Iterable[ListedInvoice], path: Path) -> int:
    """One row per invoice and rate, as the seed's list has it. Returns the rows written."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # with a BOM: Excel opens it as UTF-8
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for invoice in invoices:
            by_rate: dict[int, list[int]] = {}
            for line in invoice.lines:
                sums = by_rate.setdefault(line.rate_bp, [0, 0])
                sums[0] += line.excluded_fen
                sums[1] += line.tax_fen
            for rate, (amount, tax) in sorted(by_rate.items()):
                writer.writerow((invoice.customer, invoice.taxpayer_id, invoice.number, invoice.date,
                                 "红字" if invoice.red else "蓝字", f"{rate / 100:g}", yuan_text(amount), yuan_text(tax),
                                 yuan_text(amount + tax)))  # fmt: skip
                count += 1
    return count


def month_of(invoices: Sequence[ListedInvoice], month: str) -> list[ListedInvoice]:
    """The invoices of one month (YYYY-MM), by their date."""
    return [i for i in invoices if i.date.startswith(month)]
