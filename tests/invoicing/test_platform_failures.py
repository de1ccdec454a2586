"""Each way the platform fails ends with exactly one invoice: a failure the clerk retries, a seal
failure issued again, an answer too late, a duplicate orderNo, an answer lost. And 资料缺失: a wrong
taxpayer id is fixed by the clerk (the fix checked as typed: a bad one refused naming the field)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orderdesk.hub.invoicer import CycleReport
from orderdesk.invoicing.platform.local import MODES
from tests.invoicing.hub_fixture import COMPANY, Invoicing, invoicing_setup


@pytest.fixture
def inv(tmp_path: Path) -> Iterator[Invoicing]:
    yield from invoicing_setup(tmp_path, timeout=0.4)


@pytest.mark.parametrize("mode", MODES)
def test_each_failure_ends_with_exactly_one_invoice(inv: Invoicing, mode: str) -> None:
    inv.platform.script(mode)
    domain_id = inv.signed_order("DD-F")
    inv.invoicer.until_quiet(most=30, pause=0.1)
    [invoice] = inv.invoices_of(domain_id)
    if mode == "failed":
        assert invoice["state"] == "failed" and invoice["reason"]["zh"].startswith("开票失败")
        assert inv.act("invoice_retry", "retry-1", invoice=invoice["order_no"]).status_code == 200
        inv.invoicer.until_quiet(most=30, pause=0.1)
        invoice = inv.invoices_of(domain_id)[0]
    assert invoice["state"] == "issued", invoice
    assert len(inv.platform.issued()) == 1 and len(inv.platform.invoices) == 1
    if mode == "seal_failed":
        assert "nuonuo.OpeMplatform.reInvoice" in inv.platform.calls


def test_a_wrong_taxpayer_id_waits_in_needs_data_until_the_clerk_fixes_it(inv: Invoicing) -> None:
    wrong = COMPANY["taxpayer_id"][:17] + ("0" if COMPANY["taxpayer_id"][17] != "0" else "1")
    domain_id = inv.signed_order("DD-W", invoice={**COMPANY, "taxpayer_id": wrong})
    inv.invoicer.until_quiet()
    [invoice] = inv.invoices_of(domain_id)
    assert invoice["state"] == "needs_data" and invoice["problems"][0]["field"] == "invoice.taxpayer_id"
    assert inv.platform.calls == []
    refused = inv.act("invoice_fix", "fix-bad", invoice=invoice["order_no"], buyer={"taxpayer_id": "91330100MA27U8Q10"})
    assert refused.status_code == 422 and refused.json()["field"] == "invoice.taxpayer_id"
    refused = inv.act(
        "invoice_fix",
        "fix-bank",
        invoice=invoice["order_no"],
        buyer={"taxpayer_id": COMPANY["taxpayer_id"], "account": "62x2"},
    )
    assert refused.status_code == 422 and "account" in refused.json()["field"]
    fixed = inv.act(
        "invoice_fix", "fix-good", invoice=invoice["order_no"], buyer={"taxpayer_id": COMPANY["taxpayer_id"]}
    )
    assert fixed.status_code == 200, fixed.text
    again = inv.act(
        "invoice_fix", "fix-good", invoice=invoice["order_no"], buyer={"taxpayer_id": COMPANY["taxpayer_id"]}
    )
    assert again.headers.get("Idempotent-Replayed") == "true"
    inv.invoicer.until_quiet()
    states = sorted(i["state"] for i in inv.invoices_of(domain_id))
    assert states == ["issued", "withdrawn"] and len(inv.platform.issued()) == 1


def test_a_person_asking_for_a_special_invoice_is_refused_when_fixed_that_way(inv: Invoicing) -> None:
    person = {"kind": "bs", "buyer_type": "person", "title": "张伟"}
    domain_id = inv.signed_order("DD-P", invoice=person)
    inv.invoicer.until_quiet()
    [invoice] = inv.invoices_of(domain_id)
    assert invoice["state"] == "needs_data"
    refused = inv.act("invoice_fix", "fix-person", invoice=invoice["order_no"], buyer={"title": "张伟伟"})
    assert refused.status_code == 422 and refused.json()["field"].startswith("invoice.")
    fixed = inv.act("invoice_fix", "fix-kind", invoice=invoice["order_no"], buyer={"kind": "pc"})
    assert fixed.status_code == 200
    inv.invoicer.until_quiet()
    assert "issued" in {i["state"] for i in inv.invoices_of(domain_id)}


def test_a_locked_month_keeps_a_late_change_aside(inv: Invoicing) -> None:
    domain_id = inv.signed_order("DD-L")
    inv.invoicer.until_quiet()
    assert inv.act("month_lock", "lock-bad", month="2026-13").json()["field"] == "month"
    assert inv.act("month_lock", "lock-nov", month="2026-11").status_code == 200
    inv.refund("DD-L", 1, 1000, "AS-L")
    inv.invoicer.until_quiet()
    figures = inv.clerk.get("/v1/invoices/figures").json()
    assert "2026-11" in figures["locks"]
    [kept] = figures["locked_changes"]
    assert kept["order"] == domain_id and kept["month"] == "2026-11"
    assert any(i["red_of"] for i in inv.invoices_of(domain_id))  # the red-letter still goes out, this month


def test_a_clerks_merge_of_one_buyers_invoices_and_a_merge_across_buyers_refused(inv: Invoicing) -> None:
    other = {"kind": "pc", "buyer_type": "person", "title": "张伟"}
    # Two of one buyer, each alone (different addresses), planned but not yet sent; one of another buyer.
    first = inv.signed_order("DD-A1", created_at="2026-01-20T14:00:00+08:00")
    second = inv.signed_order("DD-A2", receiver={"name": "龘张伟", "phone": "13800138000", "province": "浙江省",
                                                 "city": "杭州市", "address": "西湖区文三路2号"})  # fmt: skip
    third = inv.signed_order("DD-A3", invoice=other)
    inv.invoicer._fold(CycleReport())
    inv.invoicer._plan(CycleReport())
    ready = {o: b["order_no"] for o in (first, second, third) for b in inv.invoices_of(o)}
    refused = inv.act("invoice_merge", "merge-across", invoices=[ready[first], ready[third]])
    assert (
        refused.status_code == 422 and refused.json()["field"] == "invoices" and refused.json()["value"] == ready[third]
    )
    assert "张伟" in refused.json()["detail_zh"]
    merged = inv.act("invoice_merge", "merge-one-buyer", invoices=[ready[first], ready[second]])
    assert merged.status_code == 200, merged.text
    inv.invoicer.until_quiet(most=30, pause=0.1)
    live = [b for b in inv.invoices_of(first) if b["state"] == "issued"]
    assert len(live) == 1 and sorted(live[0]["orders"]) == sorted([first, second]) and len(live[0]["lines"]) == 4
