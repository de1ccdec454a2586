"""`orderdesk printers …` end to end: set printers up, make one the default, test-print onto a
recording raw-9100 printer, and refusals that name the field and the value; exit codes say whether
retrying can help (3) or a setting must change (4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orderdesk.app.cli.main import main
from tests.conftest import order


@pytest.fixture
def run(tmp_path, capsys):
    def invoke(*args: str, expect: int = 0) -> tuple[str, str]:
        code = main(["--cache", str(tmp_path / "cli.sqlite3"), *args])
        out, err = capsys.readouterr()
        assert code == expect, err
        return out, err

    return invoke


def test_set_up_a_network_printer_make_it_default_and_test_print(run, printer_server) -> None:
    out, _ = run("--json", "printers", "add", "packing-1", "--profile", "zpl-203-76x130",
                 "--to", f"tcp://127.0.0.1:{printer_server.port}", "--default")  # fmt: skip
    assert json.loads(out)["transport"] == {"kind": "tcp", "host": "127.0.0.1", "port": printer_server.port,
                                            "timeout_s": 5.0}  # fmt: skip
    out, _ = run("printers", "list", "--json")
    assert [(p["name"], p["default"]) for p in json.loads(out)] == [("pdf-folder", False), ("packing-1", True)]
    out, _ = run("printers", "test")  # the default printer
    assert out.strip() == f"测试面单:已发送到打印机 127.0.0.1:{printer_server.port}"
    assert len(printer_server.received) == 1 and printer_server.received[0].startswith(b"^XA")


def test_edit_rename_and_remove(run, tmp_path: Path) -> None:
    run("printers", "add", "a", "--profile", "pdf-76x130", "--to", f"file:{tmp_path / 'a'}")
    run("printers", "default", "a")
    out, _ = run("--json", "printers", "edit", "a", "--rename", "b", "--profile", "pdf-100x150")
    assert (json.loads(out)["name"], json.loads(out)["profile"]) == ("b", "pdf-100x150")
    out, _ = run("--json", "printers", "remove", "b")
    assert json.loads(out) == {"removed": "b", "default": "pdf-folder"}


def test_refusals_name_the_field_and_value_and_exit_2(run) -> None:
    _, err = run("--lang", "en", "printers", "add", "x", "--profile", "zpl-203-76x130", "--to", "tcp://10.0.0.300:9100",
                 expect=2)  # fmt: skip
    assert "host '10.0.0.300': not an IPv4 address" in err
    _, err = run("printers", "add", "x", "--profile", "pdf-76x130", "--to", "queue:my queue", expect=2)
    assert "queue 'my queue'" in err and "队列名不能含空格" in err
    _, err = run("printers", "remove", "pdf-folder", expect=2)
    assert "内置打印机不能删除" in err


def test_labels_print_on_the_default_printer_and_exit_4_when_a_setting_must_change(run, tmp_path: Path) -> None:
    (tmp_path / "o.jsonl").write_text(json.dumps({"order": order("DD8001")}, ensure_ascii=False) + "\n")
    run("orders", "import", str(tmp_path / "o.jsonl"))
    out, _ = run(
        "--json", "labels", "print", "DD8001", "--confirm"
    )  # unpaid, yes; no --printer: the built-in PDF folder printer
    job = json.loads(out)
    assert job["delivered_to"].startswith(str(tmp_path / "documents" / "labels")) and job["delivered_zh"].startswith(
        "已保存为"
    )
    run("printers", "add", "far", "--profile", "zpl-203-76x130", "--to", "tcp://printer-nowhere.invalid:9100")
    _, err = run("labels", "print", "DD8001", "--printer", "far", "--reason", "test", "--confirm", expect=4)
    assert "找不到名为 printer-nowhere.invalid" in err
    _, err = run("labels", "print", "DD8001", "--printer", "zpl-203-76x130", "--reason", "x", "--confirm", expect=2)
    assert "没有此打印机:这是打印机配置" in err  # a profile is not a printer (with --to it may stand for one)
