"""`orderdesk labels …` and `orderdesk printers list` end to end, on a real cache file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from orderdesk.app.cli.main import main
from tests.conftest import order, ref


@pytest.fixture
def run(tmp_path, capsys):
    cache = str(tmp_path / "cli.sqlite3")

    def invoke(*args: str, expect: int = 0) -> tuple[str, str]:
        code = main(["--cache", cache, *args])
        out, err = capsys.readouterr()
        assert code == expect, err
        return out, err

    lines = "\n".join(json.dumps({"order": o}, ensure_ascii=False) for o in (
        order("DD2001", receiver={"name": "张龘", "phone": "13800138000", "address": "文三路1号"}),
        order("DD2002", receiver={"name": "王伟", "phone": "13800138001", "address": "文三路2号"}),
    ))  # fmt: skip
    paid = {"source": "douyin", "status": 105, "observed_at": "2026-01-24 14:23:00", "order": ref("DD2002")}
    lines += "\n" + json.dumps({"observation": paid})  # DD2002 is paid; DD2001 is not
    (tmp_path / "orders.jsonl").write_text(lines + "\n", encoding="utf-8")
    invoke("orders", "import", str(tmp_path / "orders.jsonl"))
    return invoke


def test_preflight_by_key_with_json_after_the_subcommand(run) -> None:
    out, _ = run("labels", "preflight", "DD2001", "--profile", "zpl-203-76x130-gb2312", "--json")
    result = json.loads(out)
    assert result["ok"] is False
    assert result["substitutions"] == [{"field": "receiver_name", "char": "龘", "codepoint": "U+9F98",
                                        "method": "pinyin", "replacement": "Dá", "font": None}]  # fmt: skip
    out, _ = run("labels", "preflight", "DD2002", "--profile", "zpl-203-76x130-gb2312", "--json")
    assert json.loads(out)["ok"] is True


def test_render_from_the_document_orders_show_prints(run, tmp_path: Path) -> None:
    out, _ = run("--json", "orders", "show", "DD2001")
    (tmp_path / "order.json").write_text(out, encoding="utf-8")
    label, preview = tmp_path / "label.zpl", tmp_path / "label.png"
    out, _ = run("labels", "render", "--order-json", str(tmp_path / "order.json"), "--profile", "zpl-203-76x130",
                 "--out", str(label), "--preview", str(preview), "--json")  # fmt: skip
    assert json.loads(out)["ok"] is True  # 龘 is in the bundled font: printed as written
    assert label.read_bytes().startswith(b"^XA")
    with Image.open(preview) as image:
        assert image.size == (608, 1039) and image.mode == "1"


def test_render_names_a_bad_document(run, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"channel": "x"}', encoding="utf-8")
    _, err = run("labels", "render", "--order-json", str(tmp_path / "bad.json"), "--profile", "pdf-76x130",
                 "--out", str(tmp_path / "x.pdf"), expect=2)  # fmt: skip
    assert "receiver" in err


def test_print_to_a_folder_then_reprint_needs_a_reason(run, tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    out, _ = run("--json", "labels", "print", "DD2002", "--printer", "pdf-76x130", "--to", f"file:{folder}")
    job = json.loads(out)
    assert job["state"] == "done" and Path(job["delivered_to"]).read_bytes().startswith(b"%PDF")
    _, err = run(
        "--lang", "en", "labels", "print", "DD2002", "--printer", "pdf-76x130", "--to", f"file:{folder}", expect=2
    )
    assert "reprint needs a reason" in err
    run("labels", "print", "DD2002", "--printer", "pdf-76x130", "--to", f"file:{folder}", "--reason", "卡纸")
    out, _ = run("--json", "labels", "jobs", "DD2002")
    assert [(j["state"], j["reason"]) for j in json.loads(out)] == [("done", None), ("done", "卡纸")]


def test_print_to_an_unreachable_printer_exits_3_with_words(run) -> None:
    _, err = run("labels", "print", "DD2002", "--printer", "zpl-203-76x130", "--to", "tcp://127.0.0.1:9", expect=3)
    assert "127.0.0.1:9" in err


def test_scan_and_queue(run) -> None:
    out, _ = run("labels", "scan", "--days", "36500", "--profile", "zpl-203-76x130-gb2312", "--json")
    result = json.loads(out)
    assert result["scanned"] == 2 and result["queued"] == 1
    assert [(o["substitutions"][0]["char"], o["substitutions"][0]["method"]) for o in result["orders"]] == [
        ("龘", "pinyin")
    ]
    out, _ = run("--json", "labels", "queue")
    assert len(json.loads(out)) == 1


def test_a_scan_that_finds_nothing_says_so_and_exits_0(run) -> None:
    out, _ = run("labels", "scan", "--days", "7", "--profile", "zpl-203-76x130-gb2312", "--json")  # orders of January
    result = json.loads(out)
    assert (result["scanned"], result["orders"], result["queued"]) == (0, [], 0)


def test_profiles_are_what_printers_are_made_from_and_a_fresh_machine_prints_pdf_files(run, tmp_path) -> None:
    out, _ = run("printers", "profiles", "--json")
    names = {p["name"]: p for p in json.loads(out)}
    assert names["zpl-203-76x130-gb2312"]["text_mode"] == "resident"
    assert names["escpos-80mm"]["suggested_transport"] == "tcp"
    out, _ = run("printers", "list", "--json")
    (only,) = json.loads(out)  # no printer at a made-up address: one that works anywhere, saying where
    assert (only["name"], only["default"], only["kind"]) == ("pdf-folder", True, "file")
    assert only["where"] == str(tmp_path / "documents" / "labels")


def test_print_refuses_an_unpaid_order_until_told_and_a_cancelled_one_until_overridden(run, tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    _, err = run("labels", "print", "DD2001", "--printer", "pdf-76x130", "--to", f"file:{folder}", expect=2)
    assert "尚未付款" in err and "确认" in err and not folder.exists()
    out, _ = run(
        "--json", "labels", "print", "DD2001", "--printer", "pdf-76x130", "--to", f"file:{folder}", "--confirm"
    )
    assert json.loads(out)["state"] == "done"
    cancelled = {"source": "douyin", "status": 4, "fields": {"main_status": 4}, "observed_at": "2026-01-24 15:00:00",
                 "order": ref("DD2002")}  # fmt: skip
    (tmp_path / "cancel.jsonl").write_text(json.dumps({"observation": cancelled}) + "\n", encoding="utf-8")
    run("orders", "import", str(tmp_path / "cancel.jsonl"))
    _, err = run(
        "labels", "print", "DD2002", "--printer", "pdf-76x130", "--to", f"file:{folder}", "--confirm", expect=2
    )
    assert "已取消" in err and "主管" in err
    out, _ = run("--json", "labels", "print", "DD2002", "--printer", "pdf-76x130", "--to", f"file:{folder}",
                 "--override", "客户改为自提,主管批准")  # fmt: skip
    assert json.loads(out)["state"] == "done"
    out, _ = run("--json", "orders", "show", "DD2002")
    overrides = [a for a in json.loads(out)["audit"] if a["action"] == "label.override"]
    assert len(overrides) == 1 and overrides[0]["payload"]["reason"] == "客户改为自提,主管批准"
