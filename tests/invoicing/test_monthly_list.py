"""The monthly list read back: the Kingdee workbook has its two header rows and one row per line with
the header cells on the first; the CSV sums per invoice and rate; red invoices read negative."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from orderdesk.invoicing.monthly_list import CSV_HEADER, ListedInvoice, ListedLine, month_of, write_csv, write_xlsx

BLUE = ListedInvoice("26112700000000000001", "2026-11-03", "bs", "北京某某科技有限公司", "91110000600037341L", False,
                     (ListedLine("服装", 3, 1300, 8850, 1150), ListedLine("牛奶", 2, 900, 4587, 413)))  # fmt: skip
RED = ListedInvoice("26112700000000000002", "2026-11-20", "bs", "北京某某科技有限公司", "91110000600037341L", True,
                    (ListedLine("服装", -1, 1300, -2950, -383),))  # fmt: skip
PERSON = ListedInvoice(
    "26112700000000000003", "2026-11-21", "pc", "张三", "", False, (ListedLine("鞋", 1, 1300, 17699, 2301),)
)
OCTOBER = ListedInvoice(
    "26102700000000000009", "2026-10-30", "pc", "李四", "", False, (ListedLine("鞋", 1, 1300, 100, 13),)
)


def test_the_kingdee_workbook_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "2026-11.xlsx"
    counts = write_xlsx(month_of([BLUE, RED, PERSON, OCTOBER], "2026-11"), path)
    assert counts == {"IV_SALESIC": 3, "IV_SALESOC": 1}
    book = openpyxl.load_workbook(path, read_only=True)
    special = list(book["IV_SALESIC"].iter_rows(values_only=True))
    assert special[0][0] == "FBillHead(IV_SALESIC)" and "FINVOICENO" in special[0] and "*发票号码" in special[1]
    keys = special[0]
    first, second, red = (dict(zip(keys, row, strict=True)) for row in special[2:])
    assert first["FINVOICENO"] == BLUE.number and first["FRedBlue"] == "蓝字" and first["FAFTERTOTALTAXFOR"] == 150.0
    assert second["FINVOICENO"] in ("", None) and second["FMATERIALID#Name"] == "牛奶" and second["FTAXRATE"] == 9
    assert red["FRedBlue"] == "红字" and red["FALLAMOUNTFOR"] == -33.33 and red["FPRICEQTY"] == -1
    assert [r[0] for r in book["IV_SALESOC"].iter_rows(min_row=3, values_only=True)] == [PERSON.number]


def test_the_csv_sums_per_invoice_and_rate(tmp_path: Path) -> None:
    path = tmp_path / "2026-11.csv"
    assert write_csv([BLUE, RED, PERSON], path) == 4
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1][2:] == [BLUE.number, "2026-11-03", "蓝字", "9", "45.87", "4.13", "50.00"]
    assert rows[3][4:] == ["红字", "13", "-29.50", "-3.83", "-33.33"]
