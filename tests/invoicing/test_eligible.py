"""The orders due an invoice come from the cache by outcome (completed: never a returned or closed
one), for the net of refunds; `orderdesk invoices plan` shows the plan in words and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from orderdesk.app.cli.main import main
from orderdesk.invoicing.eligible import eligible_orders
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from tests.conftest import obs, order, ref

CONFIRMED = [("douyin", 105, "2026-11-24T14:01:00+08:00"), ("douyin", 3, "2026-11-24T18:00:00+08:00"),
             ("douyin", 5, "2026-11-26T10:00:00+08:00")]  # fmt: skip


def _cache(path: Path) -> Cache:
    cache = Cache(path)
    writer = CacheWriter(cache)
    for no in ("DD-1", "DD-2", "DD-3", "DD-4"):
        writer.apply([order(no)], [obs(s, st, at, ref(no)) for s, st, at in CONFIRMED])
    writer.apply([], [obs("douyin", 12, "2026-11-27T10:00:00+08:00", ref("DD-2"), status_field="after_sale_status",
                          fields={"refund_status": 3}, line_no=1, refund_id="AS1", refund_fen=500)])  # fmt: skip
    writer.apply([], [obs("douyin", 4, "2026-11-27T11:00:00+08:00", ref("DD-3"), fields={"main_status": 22})])
    writer.apply([order("DD-5")], [obs("douyin", 105, "2026-11-24T14:01:00+08:00", ref("DD-5"))])  # not signed
    return cache


def test_only_completed_orders_for_the_net_of_their_refunds(tmp_path: Path) -> None:
    with _cache(tmp_path / "c.sqlite3") as cache, cache.read() as c:
        due = {o.domain_id: o for o in eligible_orders(c)}
        numbers = {r[0]: r[1] for r in c.exec_driver_sql("SELECT domain_id, channel_order_no FROM orders")}
    assert sorted(numbers[d] for d in due) == ["DD-1", "DD-2", "DD-4"]  # DD-3 was returned, DD-5 is not signed
    two = next(o for d, o in due.items() if numbers[d] == "DD-2")
    one = next(o for d, o in due.items() if numbers[d] == "DD-1")
    assert sum(p for *_, p in two.lines) == sum(p for *_, p in one.lines) - 500 and one.day == "2026-11-26"


def test_the_plan_command_in_json(tmp_path: Path, capsys) -> None:
    _cache(tmp_path / "c.sqlite3").close()
    assert main(["--cache", str(tmp_path / "c.sqlite3"), "--json", "invoices", "plan", "--today", "2026-11-28"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["eligible_orders"] == 3 and sum(i["total_fen"] for i in answer["invoices"]) > 0
    assert {i["kind"] for i in answer["invoices"]} <= {"single", "merged"}
