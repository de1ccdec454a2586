"""The buyer's invoice request travels with the order: the own mini-program's incomplete 专票 request
is refused at the hub naming the field; a channel's incomplete one is taken and waits in 资料缺失;
the cache keeps it and `orders show` shows it; orders without one look exactly as before."""

from __future__ import annotations

from pathlib import Path

from orderdesk.invoicing.eligible import eligible_orders
from orderdesk.invoicing.plan import PlanKind, plan
from orderdesk.invoicing.tax_table import bundled
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.queries import find_orders, order_document
from tests.conftest import obs, order, ref
from tests.hub.test_observations_follow_orders import client, ingest

COMPANY = {"kind": "bs", "buyer_type": "company", "title": "北京某某科技有限公司", "taxpayer_id": "91110000600037341L",
           "address": "北京市海淀区中关村大街1号", "phone": "010-62345678", "bank": "中国工商银行北京中关村支行",
           "account": "0200004509088123456"}  # fmt: skip


def test_the_own_mini_programs_incomplete_special_invoice_is_refused_naming_the_field(hub) -> None:
    with client(hub) as c:
        incomplete = order("MP-1", channel="miniapp", invoice={**COMPANY, "bank": ""})
        complete = order("MP-2", channel="miniapp", invoice=COMPANY)
        plain = order("MP-3", channel="miniapp")
        answer = ingest(c, "miniapp", [incomplete, complete, plain])
        [refused] = answer["refused"]
        assert refused["index"] == 0 and "invoice.bank" in refused["errors"][0]["message"]
        assert "开户银行" in refused["errors"][0]["message_zh"]
        kept, without = answer["orders"]
        assert c.get(f"/v1/orders/{kept}").json()["order"]["invoice"]["taxpayer_id"] == COMPANY["taxpayer_id"]
        assert "invoice" not in c.get(f"/v1/orders/{without}").json()["order"]  # as orders looked before


def test_a_channels_incomplete_request_is_taken_and_waits_for_its_data(tmp_path: Path) -> None:
    wrong = {**COMPANY, "kind": "pc", "taxpayer_id": "91110000600037341X"}
    with Cache(tmp_path / "c.sqlite3") as cache:
        signed = [("douyin", 105, "2026-11-24T14:01:00+08:00"), ("douyin", 3, "2026-11-24T18:00:00+08:00"),
                  ("douyin", 5, "2026-11-26T10:00:00+08:00")]  # fmt: skip
        report = CacheWriter(cache).apply(
            [order("DD-9", invoice=wrong)], [obs(s, st, at, ref("DD-9")) for s, st, at in signed]
        )
        assert not report.quarantined
        with cache.read() as c:
            document = order_document(c, find_orders(c, "DD-9")[0])
            due = eligible_orders(c)
    assert document["invoice"]["taxpayer_id"] == wrong["taxpayer_id"]
    (needs,) = plan(due, today="2026-11-28", table=bundled()).of_kind(PlanKind.NEEDS_DATA)
    (problem,) = needs.problems
    assert problem[1] == "invoice.taxpayer_id" and "'L'" in problem[2] and "第 18 位校验码应为 L" in problem[3]
