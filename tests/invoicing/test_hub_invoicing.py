"""Invoices made by the hub from order state, over loopback against the real hub and the local
诺诺-protocol platform: signed and paid → issued → the PDF on the order; a merge of three orders the
clerk confirms; a partial refund on a merged invoice → a red-letter of exactly that line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import order, token_for
from tests.invoicing.hub_fixture import COMPANY, Invoicing, invoicing_setup


@pytest.fixture
def inv(tmp_path: Path) -> Iterator[Invoicing]:
    yield from invoicing_setup(tmp_path)


def test_signed_and_paid_is_issued_with_its_pdf_on_the_order(inv: Invoicing) -> None:
    domain_id = inv.signed_order("DD-1")
    inv.invoicer.until_quiet()
    [invoice] = inv.invoices_of(domain_id)
    assert invoice["state"] == "issued" and len(invoice["number"]) == 20 and invoice["orders"] == [domain_id]
    assert invoice["total_fen"] == 2500 and invoice["buyer"]["taxpayer_id"] == COMPANY["taxpayer_id"]
    pdf = inv.clerk.get(f"/v1/invoices/{invoice['order_no']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xml = inv.clerk.get(f"/v1/invoices/{invoice['order_no']}/xml").text
    assert invoice["number"] in xml and "杭州云帆科技有限公司" in xml
    shown = inv.clerk.get(f"/v1/invoices/{invoice['order_no']}").json()
    assert [h["after"] for h in shown["history"] if h["before"] != h["after"]] == ["ready", "submitted", "issued"]
    assert shown["history"][-1]["detail"] == {"files": ["pdf", "xml"]}
    changes = inv.clerk.get("/v1/changes", params={"limit": 5000}).json()["changes"]
    fed = [c["body"] for c in changes if c["kind"] == "invoice"]
    assert fed[-1]["state"] == "issued" and fed[-1]["buyer"]["title"] == COMPANY["title"]
    packer = {"Authorization": f"Bearer {token_for(inv.hub.url, 'packer')}"}
    packer_feed = inv.clerk.get("/v1/changes", params={"limit": 5000}, headers=packer).json()["changes"]
    assert packer_feed and not [c for c in packer_feed if c["kind"] == "invoice"]
    assert len(inv.platform.issued()) == 1
    figures = inv.clerk.get("/v1/invoices/figures").json()
    assert figures["states"] == {"issued": 1} and figures["latency"]["invoices"] == 1
    assert figures["latency"]["due"]["within_2h"] == 1.0 and figures["latency"]["signed"]["p50_min"] > 120


def test_an_order_not_signed_or_without_a_request_is_not_invoiced(inv: Invoicing) -> None:
    inv.put([order("DD-2", invoice=COMPANY)], [])
    inv.signed_order("DD-3", invoice=None)
    inv.invoicer.until_quiet()
    assert inv.clerk.get("/v1/invoices").json()["invoices"] == [] and inv.platform.calls == []


def test_a_merge_of_three_confirmed_then_a_partial_refund_red_letters_exactly_that_line(inv: Invoicing) -> None:
    big = [{"line_no": 1, "sku": "SKU-A", "title": "外套", "quantity": 1, "unit_price_fen": 20000},
           {"line_no": 2, "sku": "SKU-B", "title": "围巾", "quantity": 2, "unit_price_fen": 3000}]  # fmt: skip
    ids = [inv.signed_order(f"DD-M{i}", lines=big, paid_amount_fen=26000) for i in range(3)]
    inv.invoicer.until_quiet()
    [proposal] = inv.clerk.get("/v1/invoices", params={"state": "requested"}).json()["invoices"]
    assert proposal["merge"] and sorted(proposal["orders"]) == sorted(ids) and proposal["total_fen"] == 78000
    assert inv.platform.calls == []  # nothing goes out before the clerk confirms
    assert inv.act("invoice_confirm", "confirm-merge-1", invoice=proposal["order_no"]).status_code == 200
    inv.invoicer.until_quiet()
    merged = inv.clerk.get(f"/v1/invoices/{proposal['order_no']}").json()
    assert merged["state"] == "issued" and len(merged["lines"]) == 6

    inv.refund("DD-M1", 2, 3000, "AS-1")  # one scarf of the second order back
    inv.invoicer.until_quiet()
    blue = inv.clerk.get(f"/v1/invoices/{proposal['order_no']}").json()
    assert blue["state"] == "partly_red" and blue["balance_fen"] == 75000
    [red] = [i for i in inv.invoices_of(ids[1]) if i["red_of"]]
    assert red["state"] == "issued" and red["orders"] == [ids[1]] and red["red_reason"] == "02"
    assert [(x["line_no"], x["included_fen"], x["quantity"]) for x in red["lines"]] == [(2, -3000, -1)]
    assert blue["red_numbers"] == [red["number"]]
    assert len(inv.platform.issued()) == 2
    # the other orders of the merge keep their lines
    assert all(not [i for i in inv.invoices_of(d) if i["red_of"]] for d in (ids[0], ids[2]))


def test_a_refund_before_issuing_invoices_only_the_net(inv: Invoicing) -> None:
    domain_id = inv.signed_order("DD-N")
    inv.refund("DD-N", 2, 500, "AS-N")
    inv.invoicer.until_quiet()
    [invoice] = [i for i in inv.invoices_of(domain_id) if i["state"] != "withdrawn"]
    assert invoice["total_fen"] == 2000 and [x["line_no"] for x in invoice["lines"]] == [1]


def test_a_clerk_red_letter_beyond_what_remains_is_refused_naming_the_field(inv: Invoicing) -> None:
    domain_id = inv.signed_order("DD-R")
    inv.invoicer.until_quiet()
    [invoice] = inv.invoices_of(domain_id)
    answer = inv.act("invoice_red", "red-too-much", invoice=invoice["order_no"], order=domain_id, lines={"1": 2001})
    assert answer.status_code == 422 and answer.json()["field"] == "refund_fen" and answer.json()["value"] == "2001"
    answer = inv.act("invoice_red", "red-whole", invoice=invoice["order_no"], order=domain_id, reason="01")
    assert answer.status_code == 200, answer.text
    inv.invoicer.until_quiet()
    assert inv.clerk.get(f"/v1/invoices/{invoice['order_no']}").json()["state"] == "red"
    again = inv.act("invoice_red", "red-again", invoice=invoice["order_no"], order=domain_id)
    assert again.status_code == 409 and again.json()["field"] == "state"


def test_a_packer_may_not_read_or_act_on_invoices(inv: Invoicing) -> None:
    import httpx

    packer = {"Authorization": f"Bearer {token_for(inv.hub.url, 'packer')}"}
    assert httpx.get(f"{inv.hub.url}/v1/invoices", headers=packer).status_code == 403
    answer = httpx.post(f"{inv.hub.url}/v1/actions", headers={**packer, "Idempotency-Key": "packer-lock-1"},
                        json={"kind": "month_lock", "payload": {"month": "2026-10"}})  # fmt: skip
    assert answer.status_code == 403 and json.loads(answer.text)["field"] == "role"


def test_the_monthly_list_of_the_month_before_is_made_by_the_fifth(inv: Invoicing, tmp_path: Path) -> None:
    import io
    from datetime import datetime

    import openpyxl

    from orderdesk.sync.china_time import CHINA_TZ

    inv.signed_order("DD-ML")
    inv.invoicer.until_quiet()
    month = datetime.now(CHINA_TZ).strftime("%Y-%m")
    assert inv.clerk.get(f"/v1/invoices/monthly/{month}.xlsx").status_code == 404
    year, number = map(int, month.split("-"))
    inv.invoicer.fixed_today = f"{year + number // 12}-{number % 12 + 1:02d}-03"  # the 3rd of the month after
    inv.invoicer.cycle()
    made = inv.clerk.get(f"/v1/invoices/monthly/{month}.xlsx")
    assert made.status_code == 200
    rows = [r for s in openpyxl.load_workbook(io.BytesIO(made.content), read_only=True).worksheets
            for r in s.iter_rows(min_row=3, values_only=True) if any(r)]  # fmt: skip
    assert len(rows) == 2  # the order's two lines
    assert "杭州云帆科技有限公司" in inv.clerk.get(f"/v1/invoices/monthly/{month}.csv").text
    assert inv.clerk.get("/v1/invoices/monthly/2026-13.csv").status_code == 422
