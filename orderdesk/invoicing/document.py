"""An issued invoice as a PDF (reportlab): buyer and seller, every line with its rate and tax, the totals
in figures and in words. What the local e-invoice platform hands back with the 20-digit number; the
legal original on a real platform is its OFD, this is the readable copy attached to the orders."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from orderdesk.invoicing.amounts import InvoiceLine, in_words, yuan_text
from orderdesk.invoicing.profile import KIND_LABELS, BuyerProfile
from orderdesk.printing.fonts import FONTS_DIR

LATIN, CJK = "OrderDesk-Invoice-Latin", "OrderDesk-Invoice-CJK"


@cache
def _fonts() -> tuple[str, str]:
    """DejaVu Sans for Latin letters, digits and signs; Droid Sans Fallback for Chinese (it has no Latin)."""
    pdfmetrics.registerFont(TTFont(LATIN, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(CJK, str(FONTS_DIR / "DroidSansFallbackFull.ttf")))
    return LATIN, CJK


def _runs(text: str) -> list[tuple[str, str]]:
    """(font, text) runs: each character in the face that has it."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = LATIN if ord(ch) < 0x2E80 else CJK
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


class _Writer:
    """Text on a canvas in mixed faces, at a size."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self.size = 8.0

    def width(self, text: str) -> float:
        return sum(pdfmetrics.stringWidth(t, f, self.size) for f, t in _runs(text))

    def left(self, x: float, y: float, text: str) -> None:
        for font, part in _runs(text):
            self.c.setFont(font, self.size)
            self.c.drawString(x, y, part)
            x += pdfmetrics.stringWidth(part, font, self.size)

    def right(self, x: float, y: float, text: str) -> None:
        self.left(x - self.width(text), y, text)

    def centre(self, x: float, y: float, text: str) -> None:
        self.left(x - self.width(text) / 2, y, text)


@dataclass(frozen=True, slots=True)
class Seller:
    name: str
    taxpayer_id: str
    address_phone: str = ""
    bank_account: str = ""


@dataclass(frozen=True, slots=True)
class IssuedInvoice:
    number: str  # 20 digits
    issued_at: str  # China time, as shown
    buyer: BuyerProfile
    seller: Seller
    lines: Sequence[InvoiceLine]
    red_of: str | None = None  # the blue invoice's number, on a red one
    remark: str = ""

    @property
    def excluded_fen(self) -> int:
        return sum(line.excluded_fen for line in self.lines)

    @property
    def tax_fen(self) -> int:
        return sum(line.tax_fen for line in self.lines)

    @property
    def total_fen(self) -> int:
        return sum(line.included_fen for line in self.lines)


def _rate(rate_bp: int) -> str:
    return f"{rate_bp / 100:g}%"


def invoice_pdf(invoice: IssuedInvoice) -> bytes:
    """The PDF of one invoice; more pages when its lines need them."""
    _fonts()
    width, height = landscape(A5)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height), pageCompression=1, invariant=1)
    w = _Writer(c)
    kind = KIND_LABELS[invoice.buyer.kind][0]
    c.setTitle(f"{kind} {invoice.number}")
    c.setCreator("OrderDesk")
    columns = [(12, "项目名称"), (62, "规格型号"), (82, "单位"), (94, "数量"), (110, "单价"), (132, "金额"), (154, "税率"),
               (168, "税额")]  # fmt: skip

    def page_head() -> float:
        w.size = 14
        plain = "增值税专用发票" if invoice.buyer.kind.value == "bs" else "普通发票"
        title = f"电子发票({'红字' if invoice.red_of else ''}{plain})"
        w.centre(width / 2, height - 14 * mm, title)
        w.size = 8
        w.right(width - 10 * mm, height - 12 * mm, f"发票号码:{invoice.number}")
        w.right(width - 10 * mm, height - 16 * mm, f"开票日期:{invoice.issued_at}")
        b, s = invoice.buyer, invoice.seller
        y = height - 26 * mm
        w.left(10 * mm, y, f"购买方 名称:{b.title}")
        w.left(10 * mm, y - 4 * mm, f"统一社会信用代码/纳税人识别号:{b.taxpayer_id or '—'}")
        w.left(width / 2, y, f"销售方 名称:{s.name}")
        w.left(width / 2, y - 4 * mm, f"统一社会信用代码/纳税人识别号:{s.taxpayer_id}")
        y -= 12 * mm
        for x, label in columns:
            w.left(x * mm, y, label)
        c.line(10 * mm, y - 1.5 * mm, width - 10 * mm, y - 1.5 * mm)
        return y - 5 * mm

    y = page_head()
    for line in invoice.lines:
        if y < 32 * mm:
            c.showPage()
            y = page_head()
        cells = [line.item.goods_name, line.item.spec, line.item.unit, str(line.quantity) if line.quantity else "",
                 line.unit_price if line.quantity else "", yuan_text(line.excluded_fen), _rate(line.item.rate_bp),
                 yuan_text(line.tax_fen)]  # fmt: skip
        w.size = 8
        for (x, _), text in zip(columns, cells, strict=True):
            w.left(x * mm, y, text)
        y -= 4.5 * mm
    c.line(10 * mm, y + 1.5 * mm, width - 10 * mm, y + 1.5 * mm)
    w.left(12 * mm, y - 2 * mm, "合计")
    w.left(132 * mm, y - 2 * mm, f"¥{yuan_text(invoice.excluded_fen)}")
    w.left(168 * mm, y - 2 * mm, f"¥{yuan_text(invoice.tax_fen)}")
    w.size = 9
    w.left(12 * mm, y - 8 * mm, f"价税合计(大写) {in_words(invoice.total_fen)}")
    w.left(132 * mm, y - 8 * mm, f"(小写) ¥{yuan_text(invoice.total_fen)}")
    remark = invoice.remark + (f" 对应蓝字发票:{invoice.red_of}" if invoice.red_of else "")
    if remark.strip():
        w.size = 8
        w.left(12 * mm, y - 13 * mm, f"备注:{remark.strip()}")
    c.save()
    return out.getvalue()


def orders_remark(orders: Sequence[str]) -> str:
    """The orders an invoice covers, for its remark."""
    return "订单:" + "、".join(orders)
