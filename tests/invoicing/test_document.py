"""The invoice PDF read back with pypdf: number, buyer and seller, each line with rate and tax, totals in
figures and in words; a red one says so. And the platform's request signature."""

from __future__ import annotations

import io

from pypdf import PdfReader

from orderdesk.invoicing.amounts import InvoiceLine
from orderdesk.invoicing.document import IssuedInvoice, Seller, invoice_pdf, orders_remark
from orderdesk.invoicing.nuonuo_sign import sign, verify
from orderdesk.invoicing.profile import BuyerProfile, BuyerType, InvoiceKind
from orderdesk.invoicing.tax_table import bundled

BUYER = BuyerProfile(InvoiceKind.SPECIAL, BuyerType.COMPANY, "北京某某科技有限公司", "91110000600037341L", "北京", "010-1",
                     "工行", "0200")  # fmt: skip
SELLER = Seller("OrderDesk 示例商贸有限公司", "91330100MA27U8Q10Y")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_reads_back() -> None:
    lines = [InvoiceLine.of(1, bundled().item("SKU-1"), 3, 10000), InvoiceLine.of(2, bundled().item("MILK-1"), 2, 5000)]
    pdf = invoice_pdf(IssuedInvoice("26112700000000000001", "2026-11-27 18:00", BUYER, SELLER, lines,
                                    remark=orders_remark(["DB20261127AAAAAAAAAAAA"])))  # fmt: skip
    text = _text(pdf)
    for expected in ("26112700000000000001", "北京某某科技有限公司", "91110000600037341L", "增值税专用发票", "服装", "牛奶",
                     "13%", "9%", "88.50", "11.50", "壹佰伍拾元整", "150.00", "DB20261127AAAAAAAAAAAA"):  # fmt: skip
        assert expected in text, expected


def test_a_red_invoice_says_so_and_names_its_blue_one() -> None:
    red = [InvoiceLine.of(1, bundled().item("SKU-1"), 3, 10000).negated()]
    text = _text(invoice_pdf(IssuedInvoice("26112700000000000002", "2026-11-28 09:00", BUYER, SELLER, red,
                                           red_of="26112700000000000001")))  # fmt: skip
    assert "红字" in text and "-100.00" in text and "负壹佰元整" in text and "26112700000000000001" in text


def test_many_lines_take_more_pages() -> None:
    lines = [InvoiceLine.of(n, bundled().item("SKU-1"), 1, 100 + n) for n in range(1, 60)]
    reader = PdfReader(io.BytesIO(invoice_pdf(IssuedInvoice("1" * 20, "2026-11-27", BUYER, SELLER, lines))))
    assert len(reader.pages) >= 3


def test_the_request_signature() -> None:
    parts = {"app_key": "K", "sender_id": "S1", "nonce": "123456", "timestamp": "1700000000", "body": '{"a":1}'}
    signature = sign("secret", **parts)
    assert verify("secret", signature, **parts)
    assert not verify("secret", signature, **{**parts, "body": '{"a":2}'})
    assert not verify("other", signature, **parts)
