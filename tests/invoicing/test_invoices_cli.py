"""`orderdesk invoices …` against a cache synced from the real hub whose invoicer issues on the local
platform: list and show (offline, from the cache), a merge confirmed with --hub, a bad month refused
naming it, the monthly list written as XLSX and read back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from orderdesk.app.cli.main import main
from orderdesk.sync.china_time import CHINA_TZ
from tests.conftest import token_for
from tests.invoicing.hub_fixture import Invoicing, invoicing_setup

BIG = [{"line_no": 1, "sku": "SKU-A", "title": "外套", "quantity": 1, "unit_price_fen": 20000}]


@pytest.fixture
def inv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoicing]:
    for found in invoicing_setup(tmp_path):
        monkeypatch.setenv("ORDERDESK_TOKEN", token_for(found.hub.url, "clerk"))
        yield found


def cli(capsys: pytest.CaptureFixture[str], cache: Path, *args: str) -> tuple[int, str]:
    code = main(["--cache", str(cache), *args])
    return code, capsys.readouterr().out


def test_list_confirm_show_and_the_monthly_list(inv: Invoicing, tmp_path: Path, capsys) -> None:
    cache = tmp_path / "cache.sqlite3"
    inv.signed_order("DD-1", invoice={"kind": "pc", "buyer_type": "person", "title": "张伟"})
    ids = [inv.signed_order(f"DD-M{i}", lines=BIG, paid_amount_fen=20000) for i in range(3)]
    inv.invoicer.until_quiet()
    assert cli(capsys, cache, "sync", "--hub", inv.hub.url)[0] == 0
    code, out = cli(capsys, cache, "--json", "invoices", "list", "merge")
    [merge] = json.loads(out)
    assert code == 0 and sorted(merge["orders"]) == sorted(ids)
    code, out = cli(capsys, cache, "invoices", "show", merge["order_no"])
    assert code == 0 and "服装" in out and "待确认合并" in out
    code, out = cli(capsys, cache, "--json", "invoices", "confirm", merge["order_no"], "--hub", inv.hub.url)
    assert code == 0 and json.loads(out)["sync"]["actions_pushed"] == 1
    inv.invoicer.until_quiet()
    cli(capsys, cache, "sync", "--hub", inv.hub.url)
    issued = json.loads(cli(capsys, cache, "--json", "invoices", "list", "issued")[1])
    assert len(issued) == 2 and all(len(b["number"]) == 20 for b in issued)
    code, out = cli(capsys, cache, "invoices", "lock", "2026-13")
    assert code == 2
    month = datetime.now(CHINA_TZ).strftime("%Y-%m")
    target = tmp_path / "list.xlsx"
    code, out = cli(capsys, cache, "--json", "invoices", "monthly-list", month, "--out", str(target))
    assert code == 0, out
    sheets = openpyxl.load_workbook(target, read_only=True).worksheets
    rows = [r for sheet in sheets for r in sheet.iter_rows(min_row=3, values_only=True) if any(r)]
    assert len(rows) == 5  # two lines of the person's invoice, three of the merge
    code, out = cli(capsys, cache, "invoices", "show", "nope")
    assert code == 1
