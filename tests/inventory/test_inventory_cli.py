"""`orderdesk inventory …` against a real hub over loopback (bench.inventory_storm.stocked_hub), the
token from ORDERDESK_TOKEN as for any unattended run: receive, show and list (text and --json), a hold
reserved, confirmed and one released, a refused move naming the field and the value (exit 2), the
ledger check before (exit 0) and after (exit 1) a level is corrupted in the database, a tripped SKU
resumed, and a hub that cannot be reached said in words."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.inventory_storm import Stocked, stocked_hub, token
from orderdesk.app.cli.main import main


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stocked]:
    with stocked_hub("sqlite", tmp_path) as made:
        monkeypatch.setenv("ORDERDESK_TOKEN", token(made.hub.url, "supervisor"))
        yield made


def cli(capsys: pytest.CaptureFixture[str], hub: Stocked, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--hub", hub.hub.url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_receive_show_list_and_holds(hub: Stocked, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, hub, "inventory", "receive", "TEA-1", "5", "--title", "龙井 250g", "--ref", "RK-9")
    assert code == 0 and "TEA-1" in out and "已入库" in out
    code, out, _ = cli(capsys, hub, "--json", "inventory", "receive", "TEA-2", "3", "--title", "碧螺春")
    assert code == 0 and json.loads(out)["movement"]["quantity"] == 3
    assert cli(capsys, hub, "inventory", "quota", "TEA-1", "douyin", "4", "--campaign", "618")[0] == 0

    code, out, _ = cli(capsys, hub, "inventory", "reserve", "TEA-1", "2", "--channel", "douyin", "--campaign", "618",
                       "--key", "hold-cli-0001")  # fmt: skip
    assert code == 0 and "hold-cli-0001" in out
    again = cli(capsys, hub, "--json", "inventory", "reserve", "TEA-1", "2", "--channel", "douyin", "--campaign", "618",
                "--key", "hold-cli-0001")  # fmt: skip
    assert again[0] == 0 and json.loads(again[1])["state"] == "held"  # the same key: served once
    code, out, _ = cli(capsys, hub, "--json", "inventory", "reserve", "TEA-1", "1", "--channel", "tmall")
    second = json.loads(out)["key"]
    assert hub.pools("TEA-1") == {"sellable": 2, "reserved": 3, "committed": 0, "quality_check": 0, "in_transit": 0}

    code, out, _ = cli(capsys, hub, "inventory", "show", "TEA-1")
    assert code == 0
    assert "龙井 250g" in out and "可售 2" in out and "预占 3" in out and "正常" in out
    assert "douyin/618" in out and "已用 2 / 4" in out and "hold-cli-0001" in out and "剩余 14 分钟" in out

    code, out, _ = cli(capsys, hub, "--lang", "en", "inventory", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 and lines[0].startswith("TEA-1  龙井 250g  sellable 2, reserved 3")
    assert "holds 2" in lines[0] and "selling" in lines[0] and lines[1].startswith("TEA-2  碧螺春  sellable 3")
    code, out, _ = cli(capsys, hub, "--json", "inventory", "list")
    assert code == 0 and [b["sku"] for b in json.loads(out)["skus"]] == ["TEA-1", "TEA-2"]

    code, out, _ = cli(capsys, hub, "inventory", "confirm", "hold-cli-0001")
    assert code == 0 and "已确认" in out and "confirmed" in out
    code, out, _ = cli(capsys, hub, "--lang", "en", "inventory", "release", second)
    assert code == 0 and "released" in out
    assert hub.pools("TEA-1") == {"sellable": 3, "reserved": 0, "committed": 2, "quality_check": 0, "in_transit": 0}
    code, out, _ = cli(capsys, hub, "--lang", "en", "inventory", "release", "hold-cli-0001")
    assert code == 2 and not out  # confirmed already: refused, naming the hold

    code, out, _ = cli(capsys, hub, "--json", "inventory", "movements", "TEA-1", "--limit", "2")
    found = json.loads(out)["movements"]
    assert code == 0 and [m["reason"] for m in found] == ["released", "confirmed"]  # newest first
    code, out, _ = cli(capsys, hub, "inventory", "movements", "TEA-1")
    assert code == 0 and len(out.splitlines()) == 5 and "receipt:RK-9" in out.splitlines()[-1]


def test_a_refusal_names_the_field_and_the_value(hub: Stocked, capsys: pytest.CaptureFixture[str]) -> None:
    hub.receive(5, sku="TEA-1", title="龙井")
    code, out, err = cli(capsys, hub, "inventory", "move", "TEA-1", "99", "--from", "sellable", "--to",
                         "quality_check", "--reason", "transfer")  # fmt: skip
    assert code == 2 and not out
    assert err.count("\n") == 1 and "quantity 99" in err and "可售仅剩 5" in err and "Traceback" not in err
    code, _, err = cli(capsys, hub, "--lang", "en", "inventory", "move", "TEA-1", "0", "--from", "sellable", "--to",
                       "in_transit", "--reason", "transfer")  # fmt: skip
    assert code == 2 and "the hub refused (422): quantity 0: a whole number" in err
    code, _, err = cli(capsys, hub, "--lang", "en", "inventory", "show", "NOPE")
    assert code == 1 and "sku 'NOPE'" in err and "no SKU NOPE" in err
    with pytest.raises(SystemExit) as bad:  # not a number: argparse says so, in the language asked for
        main(["inventory", "receive", "TEA-1", "five", "--hub", hub.hub.url])
    assert bad.value.code == 2 and "参数 quantity:无效的 int 值:'five'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        main(["--lang", "en", "inventory", "receive", "TEA-1", "five", "--hub", hub.hub.url])
    assert bad.value.code == 2 and "invalid int value: 'five'" in capsys.readouterr().err
    assert hub.pools("TEA-1")["sellable"] == 5  # nothing moved


def test_differences_before_and_after_a_level_is_corrupted(hub: Stocked, capsys: pytest.CaptureFixture[str]) -> None:
    hub.receive(5, sku="TEA-1")
    code, out, _ = cli(capsys, hub, "inventory", "differences")
    assert code == 0 and out.strip() == "台账与库存一致"
    assert cli(capsys, hub, "--lang", "en", "inventory", "differences")[1].strip() == "the ledger and the levels agree"
    with hub.store.guarded() as c:
        c.exec_driver_sql("UPDATE inv_levels SET quantity = quantity + 1")
    code, out, _ = cli(capsys, hub, "--lang", "en", "inventory", "differences")
    assert code == 1 and out.strip() == "differs: TEA-1 @ MAIN sellable: level 6, ledger 5"
    code, out, _ = cli(capsys, hub, "--json", "inventory", "differences")
    assert code == 1 and json.loads(out)["count"] == 1


def test_a_tripped_sku_is_resumed(hub: Stocked, capsys: pytest.CaptureFixture[str]) -> None:
    hub.receive(5, sku="TEA-1", title="龙井")
    with httpx.Client(base_url=hub.hub.url, timeout=30,
                      headers={"Authorization": f"Bearer {token(hub.hub.url, 'channel')}"}) as channel:  # fmt: skip
        for n, quantity in enumerate((15, 25)):
            channel.post("/v1/inventory/sales", headers={"Idempotency-Key": f"sale-{uuid.uuid4().hex}"},
                         json={"sku": "TEA-1", "quantity": quantity, "channel": "douyin", "order_ref": f"DY-{n}"},
                         ).raise_for_status()  # fmt: skip
    code, out, _ = cli(capsys, hub, "inventory", "list")
    assert code == 0 and "  熔断  " in out and "已付待发 5" in out
    code, out, _ = cli(capsys, hub, "inventory", "show", "TEA-1")
    assert (
        "熔断器:熔断(5 分钟内超卖 35 件" in out
        and "/ 累计 35 件" in out
        and "system:breaker" in out
        and "douyin 下架" in out
    )
    code, _, err = cli(capsys, hub, "inventory", "reserve", "TEA-1", "1", "--channel", "douyin")
    assert code == 2 and "sku 'TEA-1'" in err and "超卖熔断" in err
    code, out, _ = cli(capsys, hub, "inventory", "resume", "TEA-1", "--note", "盘点后确认库存")
    assert code == 0 and "douyin" in out
    code, out, _ = cli(capsys, hub, "--json", "inventory", "show", "TEA-1")
    body = json.loads(out)
    assert body["breaker"]["state"] == "closed" and body["breaker_history"][0]["actor"] == "supervisor"
    code, out, _ = cli(capsys, hub, "--lang", "en", "inventory", "show", "TEA-1")
    assert "breaker: selling" in out and "resumed  supervisor  盘点后确认库存" in out and "douyin resume" in out
    code, out, _ = cli(capsys, hub, "--lang", "en", "inventory", "status")
    assert code == 0 and "fast path: off" in out and "more than 30 units oversold within 300 s" in out
    code, out, _ = cli(capsys, hub, "--json", "inventory", "figures", "--hours", "1")
    assert code == 0 and json.loads(out)["breaker"]["trips"] == 1


def test_a_hub_that_cannot_be_reached(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERDESK_TOKEN", "any")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["inventory", "list", "--hub", f"http://127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code != 0 and "连不上订单中心" in err and "Traceback" not in err


def test_a_drill_is_counted_by_the_hub_and_read_by_the_self_check(
    hub: Stocked, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from datetime import date

    from orderdesk.insights import selfcheck
    from orderdesk.insights.measures import HubFacts
    from orderdesk.sync.cache import Cache

    code, out, _ = cli(capsys, hub, "inventory", "drill", "--requests", "300", "--stock", "40", "--json")
    verdict = json.loads(out)
    assert code == 0 and verdict["units_held"] == 40 and verdict["oversold"] == 0 and verdict["differences"] == 0
    assert verdict["holds"] == 40 and verdict["refused"] == 260 and verdict["other"] == 0
    with httpx.Client(base_url=hub.hub.url, headers={"Authorization": f"Bearer {token(hub.hub.url, 'packer')}"}) as c:
        latest = c.get("/v1/inventory/drills/latest").json()["drill"]
        sku = c.get(f"/v1/inventory/skus/{latest['sku']}").json()
        shelf = [body["sku"] for body in c.get("/v1/inventory", params={"limit": 1000}).json()["skus"]]
    assert latest["sku"].startswith("DRILL-") and latest["requests"] == 300
    assert shelf == []  # the drill's SKU (the only one this hub has) is scratch, not the shelf
    assert sku["totals"]["sellable"] == 40 and sku["totals"]["reserved"] == 0  # every hold released
    with Cache(tmp_path / "empty.sqlite3") as cache, cache.read() as c:
        row = selfcheck.run(c, date.today(), HubFacts(drill=latest)).items[1]
    assert row.value == "300 并发 / 超卖 0" and not row.passed  # a drill of 300 is no proof of 1,000
    code, out, _ = cli(capsys, hub, "inventory", "drill", "--requests", "0")
    assert code == 2
