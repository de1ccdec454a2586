"""The `orderdesk` command line, in process and once through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from orderdesk.app.cli.main import main
from orderdesk.sync.mapping.registry import bundled_documents
from tests.conftest import obs, order, ref


@pytest.fixture
def run(tmp_path, capsys):
    cache = str(tmp_path / "cli.sqlite3")

    def invoke(*args: str, expect: int = 0):
        code = main(["--cache", cache, *args])
        out, err = capsys.readouterr()
        assert code == expect, err
        return out, err

    return invoke


def _json(run, *args, expect=0):
    out, _ = run("--json", *args, expect=expect)
    return json.loads(out)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--source", "douyin", "--status", "5"],
            {"fulfilment": "CUSTOMER_CONFIRMED", "refund": None, "cancelled": False, "unmapped": False},
        ),
        (
            ["--source", "douyin", "--status", "4", "--field", "main_status=22"],
            {"fulfilment": None, "refund": "refunded", "cancelled": False},
        ),
        (["--source", "douyin", "--status", "4"], {"fulfilment": None, "unmapped": True}),
        (["--source", "taobao", "--status", "TRADE_CLOSED_BY_TAOBAO"], {"cancelled": True, "refund": None}),
        (
            ["--source", "pdd", "--status", "3", "--field", "receive_time=2026-01-26"],
            {"fulfilment": "CUSTOMER_CONFIRMED"},
        ),
        (["--source", "kuaidi100", "--status", "304"], {"fulfilment": "CARRIER_DELIVERED"}),
        (["--source", "finance", "--status", "SETTLED"], {"fulfilment": "SETTLED", "mapping_version": "finance@1.1.0"}),
        (
            [
                "--source",
                "douyin",
                "--status-field",
                "after_sale_status",
                "--status",
                "28",
                "--field",
                "refund_status=1",
            ],
            {"refund": "none"},
        ),
    ],
)
def test_mapping_map(run, args, expected):
    result = _json(run, "mapping", "map", *args)
    assert {k: result[k] for k in expected} == expected


def test_mapping_import_refuses_a_bad_file_and_keeps_the_table_in_force(run, tmp_path):
    document = next(d for d in bundled_documents() if d["source"] == "douyin")
    bad = json.loads(json.dumps(document))
    bad["version"] = "1.2.0"
    bad["rules"][4]["then"]["fulfilment"] = "SHIPPED_MAYBE"
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False))
    _, err = run("mapping", "import", str(tmp_path / "bad.json"), expect=2)
    assert "$.rules[4].then.fulfilment" in err
    (tmp_path / "broken.json").write_text("{not json")
    _, err = run("mapping", "import", str(tmp_path / "broken.json"), expect=2)
    assert "line 1" in err
    assert _json(run, "mapping", "map", "--source", "douyin", "--status", "5")["mapping_version"] == "douyin@1.1.0"

    good = json.loads(json.dumps(document))
    good["version"] = "1.2.0"
    good["rules"].insert(0, {"id": "douyin.order.custom", "when": {"order_status": 42}, "then": {"fulfilment": "PAID"},
                             "label": {"zh": "自定义", "en": "Custom"}})  # fmt: skip
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False))
    assert _json(run, "mapping", "import", str(tmp_path / "good.json"))["mapping_version"] == "douyin@1.2.0"
    assert _json(run, "mapping", "map", "--source", "douyin", "--status", "42")["fulfilment"] == "PAID"
    _, err = run("mapping", "import", str(tmp_path / "good.json"), expect=2)
    assert "$.version" in err
    assert _json(run, "audit", "verify")["ok"] is True


def test_import_show_export_and_verify(run, tmp_path):
    records = tmp_path / "batch.jsonl"
    lines = [
        {"order": order()},
        {"order": order("DD-2", receiver={"name": "赵\x07六"})},
        {"observation": obs("douyin", 105, "2026-01-24T14:01:00+08:00")},
        {"observation": obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF24008872"})},
        {"observation": obs("douyin", 5, "2026-01-27T10:00:00+08:00", ref())},
    ]
    records.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n")
    report = _json(run, "orders", "import", str(records), expect=5)  # imported; some records refused
    assert report["orders_new"] == 1 and report["observations_new"] == 3
    assert sorted(e["field"] for q in report["quarantined"] for e in q["errors"]) == ["$", "receiver.name"]

    shown = _json(run, "orders", "show", "DD20260124008872")
    assert shown["domain_id"].startswith("DB20260124")
    assert (shown["fulfilment"], shown["refund"], shown["cancelled"]) == ("CUSTOMER_CONFIRMED", "none", False)
    assert [o["outcome"] for o in shown["observations"]] == ["applied", "applied", "applied"]
    assert [e["kind"] for e in shown["events"]] == ["created", "paid", "carrier_delivered", "customer_confirmed"]
    assert shown["anomalies"] == [] and shown["outcome"] == "completed"  # a carrier signature implies shipment
    assert [a["action"] for a in shown["audit"]] == ["order.created", "order.state", "order.state", "order.state"]
    assert shown["audit"][2]["source_system"] == "logistics" and shown["audit"][2]["payload"] == {"state": 3}
    assert _json(run, "orders", "show", "SF24008872")["domain_id"] == shown["domain_id"]
    assert _json(run, "orders", "show", shown["domain_id"])["channel_order_no"] == "DD20260124008872"
    _, err = run("orders", "show", "NOPE", expect=1)
    assert "NOPE" in err

    out, _ = run("orders", "export", "--format", "jsonl")
    [exported] = [json.loads(line) for line in out.splitlines()]
    assert {k: exported[k] for k in ("domain_id", "channel", "channel_order_no", "fulfilment", "refund", "cancelled")} == {
        "domain_id": shown["domain_id"], "channel": "douyin", "channel_order_no": "DD20260124008872",
        "fulfilment": "CUSTOMER_CONFIRMED", "refund": "none", "cancelled": False,
    }  # fmt: skip

    open_entries = _json(run, "quarantine", "list")
    assert len(open_entries) == 2
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(order("DD-2"), ensure_ascii=False))
    receiver_entry = next(e for e in open_entries if e["errors"][0]["field"] == "receiver.name")
    run("quarantine", "resubmit", str(receiver_entry["id"]), str(fixed))
    broken_entry = next(e for e in open_entries if e["errors"][0]["field"] == "$")
    run("quarantine", "discard", str(broken_entry["id"]), "--reason", "garbage line")
    assert _json(run, "quarantine", "list") == []

    verified = _json(run, "audit", "verify")
    assert verified["ok"] and verified["entries"] >= 7
    head = _json(run, "audit", "head")["head"]
    run("audit", "verify", "--expect-head", head)
    run("audit", "verify", "--expect-head", "999:" + "0" * 64, expect=1)


def test_messages_are_chinese_by_default_and_english_on_request(run):
    out, _ = run("mapping", "map", "--source", "taobao", "--status", "TRADE_FINISHED")
    assert out.startswith("交易成功")
    out, _ = run("--lang", "en", "mapping", "map", "--source", "taobao", "--status", "TRADE_FINISHED")
    assert out.startswith("Trade finished")
    _, err = run("--lang", "en", "mapping", "map", "--source", "nowhere", "--status", "1", expect=2)
    assert "unknown source" in err


def test_argparse_speaks_the_language_asked_for(capsys, monkeypatch):
    monkeypatch.delenv("ORDERDESK_LANG", raising=False)
    for argv, expected in ((["report", "weekly"], "错误:参数 report_command:无效的选项:'weekly'"),
                           (["--lang", "en", "report", "weekly"], "error: argument report_command: invalid choice"),
                           (["mapping", "map"], "缺少必需的参数"), (["mapping", "map", "--bogus"], "用法:")):  # fmt: skip
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2 and expected in capsys.readouterr().err


def test_the_installed_console_script_runs(tmp_path):
    executable = shutil.which("orderdesk")
    assert executable, "the console script is installed by ./dev"
    result = subprocess.run(
        [executable, "--cache", str(tmp_path / "c.sqlite3"), "--json", "audit", "verify"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True


def test_refused_records_say_why_in_chinese_by_default_and_in_english_on_request(run, tmp_path):
    records = tmp_path / "bad.jsonl"
    bad = order("DD-BAD", paid_amount_fen=-5, receiver={"name": "张\x07三", "phone": "138-abc"})
    records.write_text(json.dumps({"order": bad}, ensure_ascii=False) + "\n")
    out, err = run("orders", "import", str(records), expect=5)
    assert "1 条记录被拒绝" in err
    assert "应不小于 0" in out and "控制符" in out and "电话号码只能包含" in out
    out, _ = run("--lang", "en", "quarantine", "list")
    assert "control or invisible character U+0007" in out or "greater than or equal to 0" in out
    [entry] = _json(run, "quarantine", "list")
    assert {e["field"] for e in entry["errors"]} == {"paid_amount_fen", "receiver.name", "receiver.phone"}
    assert all(e["message"] and e["message_zh"] for e in entry["errors"])


def test_a_reader_that_stops_early_gets_no_error(tmp_path):
    from orderdesk.hub.demo import records
    from orderdesk.sync.cache import Cache
    from orderdesk.sync.cache.apply import CacheWriter

    with Cache(tmp_path / "c.sqlite3") as cache:
        data = list(records(3000, 2))
        CacheWriter(cache).apply([o for o, _ in data], [])
    export = subprocess.Popen([shutil.which("orderdesk"), "--cache", str(tmp_path / "c.sqlite3"), "orders", "export"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    export.stdout.readline()
    export.stdout.close()  # like `| head -1`
    _, err = export.communicate(timeout=60)
    assert err == b"", err.decode()
