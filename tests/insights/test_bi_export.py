"""The BI export: real caches of demo orders exported and read back with pyarrow and the csv module."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.app.cli.main import main
from orderdesk.hub.demo import records
from orderdesk.insights import bi_export
from orderdesk.insights.bi_export import DAILY, SALT_KEY, TABLES, WHOLE, customer_keyer, export_bi, schema_document
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter

ROOT = Path(__file__).resolve().parents[2]
CSV_READ = pcsv.ParseOptions(newlines_in_values=True)


def _build(path: Path, count: int = 600) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """600 demo orders, one every 12 minutes: six days of them (China time)."""
    data = list(records(count, seed=5, spacing_s=720))
    with Cache(path) as cache:
        CacheWriter(cache, operator="test").apply([o for o, _ in data], [x for _, obs in data for x in obs])
    return data


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    path = tmp_path / "cache.sqlite3"
    return path, _build(path)


def _export(cache_path: Path, out: Path, **options: Any) -> bi_export.ExportReport:
    with Cache(cache_path) as cache:
        return export_bi(cache, out, **options)


def _sql(cache_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with Cache(cache_path) as cache, cache.read() as c:
        return [tuple(r) for r in c.exec_driver_sql(sql, params)]


def _parquet(out: Path, name: str) -> pa.Table:
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table()


def _csv_rows(out: Path, name: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((out / "csv" / name).rglob("part.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows += list(csv.DictReader(f))
    return rows


def _files(out: Path) -> dict[str, tuple[int, str]]:
    """Every part file: (mtime in ns, sha256)."""
    return {
        str(p.relative_to(out)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in out.rglob("part.*")
    }


def _day_of(order: dict[str, Any]) -> str:
    return (datetime.fromisoformat(order["created_at"]) + timedelta(hours=8)).date().isoformat()


def test_every_table_reads_back_in_both_formats_and_joins_on_domain_id(built, tmp_path):
    cache_path, data = built
    out = tmp_path / "bi"
    report = _export(cache_path, out)
    days = sorted({_day_of(o) for o, _ in data})
    assert report.days_written == days and len(days) == 6

    counts = {
        "fact_orders": "SELECT count(*) FROM orders",
        "fact_order_lines": "SELECT count(*) FROM order_lines",
        "fact_order_events": "SELECT count(*) FROM events",
        "dim_finance": "SELECT count(DISTINCT order_id) FROM observations WHERE source_system = 'finance'",
        "dim_channel": "SELECT count(*) FROM (SELECT DISTINCT channel, shop FROM orders)",
        "dim_sku": "SELECT count(DISTINCT sku) FROM order_lines",
        "dim_customer": "SELECT count(DISTINCT receiver_phone) FROM orders WHERE receiver_phone != ''",
    }
    tables = {t.name: _parquet(out, t.name) for t in TABLES}
    for name, sql in counts.items():
        expected = _sql(cache_path, sql)[0][0]
        assert tables[name].num_rows == expected > 0, name
        assert len(_csv_rows(out, name)) == expected, name
        assert report.rows[name] == expected

    orders = tables["fact_orders"].to_pylist()
    ids = {o["domain_id"] for o in orders}
    assert len(ids) == len(orders) == 600
    for name in ("fact_order_lines", "fact_order_events", "dim_finance"):
        assert set(tables[name].column("domain_id").to_pylist()) <= ids, name
    assert {o["customer_key"] for o in orders} == set(tables["dim_customer"].column("customer_key").to_pylist())
    assert set(tables["fact_order_lines"].column("sku").to_pylist()) == set(tables["dim_sku"].column("sku").to_pylist())
    channels = {(r["channel"], r["shop"]) for r in tables["dim_channel"].to_pylist()}
    assert {(o["channel"], o["shop"]) for o in orders} == channels
    assert {r["channel_zh"] for r in tables["dim_channel"].to_pylist()} >= {"抖店", "拼多多", "淘宝/天猫"}

    # the partition is the order's day in China time; money is integer fen, to the fen
    for o in orders:
        assert o["day"] == o["created_day"].isoformat() == o["created_at"].strftime("%Y-%m-%d")
        assert o["created_at"].utcoffset() == timedelta(hours=8) and o["created_hour"] == o["created_at"].hour
    assert tables["fact_orders"].schema.field("paid_amount_fen").type == pa.int64()
    paid = _sql(cache_path, "SELECT sum(paid_amount_fen), sum(refunded_fen) FROM orders")[0]
    assert (sum(o["paid_amount_fen"] or 0 for o in orders), sum(o["refunded_fen"] for o in orders)) == paid

    # the CSV says what the Parquet says (nulls as empty fields, times with their offset)
    by_id = {r["domain_id"]: r for r in _csv_rows(out, "fact_orders")}
    for o in orders[:50]:
        row = by_id[o["domain_id"]]
        assert row["paid_amount_fen"] == ("" if o["paid_amount_fen"] is None else str(o["paid_amount_fen"]))
        assert datetime.fromisoformat(row["created_at"]) == o["created_at"]
        assert row["cancelled"] == ("true" if o["cancelled"] else "false")
    typed = pcsv.read_csv(out / "csv" / "fact_orders" / f"day={days[0]}" / "part.csv", parse_options=CSV_READ)
    assert typed.schema.field("created_at").type.tz in ("UTC", "+00:00")  # parsed as a moment, offset included

    # finance: the settlement figures of the demo's bills, net as reconciliation defines it
    finance = {r["domain_id"]: r for r in tables["dim_finance"].to_pylist()}
    settled = [r for r in finance.values() if r["bill_count"]]
    assert settled and all(
        r["net_fen"] == r["gross_fen"] - r["commission_fen"] - r["freight_insurance_fen"] - r["coupon_fen"]
        - r["bill_refund_fen"] for r in settled
    )  # fmt: skip
    assert all(r["bill_no"].startswith("BILL") and r["settled_at"] is not None for r in settled)

    events = tables["fact_order_events"].to_pylist()
    assert {"created", "paid", "shipped", "settled"} <= {e["kind"] for e in events}
    assert all(e["at_day"] == e["at"].date() for e in events)


def test_the_schema_document_matches_the_files_and_the_docs(built, tmp_path):
    cache_path, _ = built
    out = tmp_path / "bi"
    _export(cache_path, out, formats=("parquet",))
    document = json.loads((out / "_schema.json").read_text(encoding="utf-8"))
    assert document == json.loads(json.dumps(schema_document()))
    for table in document["tables"]:
        assert all(c["zh"] and c["en"] and c["type"] for c in table["columns"])
        first = next((out / table["name"]).rglob("part.parquet"))
        schema = pq.read_schema(first)
        assert schema.names == [c["name"] for c in table["columns"]]
        assert [str(f.type) for f in schema] == [c["type"] for c in table["columns"]]
        assert schema.field(0).metadata[b"zh"].decode() == table["columns"][0]["zh"]
    money = [c for t in document["tables"] for c in t["columns"] if c["name"].endswith("_fen")]
    assert money and all(c["type"] == "int64" and "分" in c["zh"] and "fen" in c["en"] for c in money)
    docs = (ROOT / "docs" / "bi-export.md").read_text(encoding="utf-8")
    assert docs.startswith("# BI export") and bi_export.schema_markdown() in docs


def test_a_changed_order_rewrites_its_day_and_no_other(built, tmp_path):
    cache_path, data = built
    out = tmp_path / "bi"
    _export(cache_path, out)
    before, manifest = _files(out), json.loads((out / "_manifest.json").read_text())
    order = dict(data[300][0])
    day = _day_of(order)
    order["paid_amount_fen"] = (order["paid_amount_fen"] or 0) + 1
    with Cache(cache_path) as cache:
        CacheWriter(cache, operator="test").apply([order], [])

    report = _export(cache_path, out)
    assert report.days_written == [day] and report.days_unchanged == 5
    after = _files(out)
    assert before.keys() == after.keys()
    changed = {name for name in after if after[name] != before[name]}
    assert {f"fact_orders/day={day}/part.parquet", f"csv/fact_orders/day={day}/part.csv"} <= changed
    assert all(f"/day={day}/" in name for name in changed)  # no other day's file, no dimension
    new = json.loads((out / "_manifest.json").read_text())
    assert new["days"][day]["max_updated_at_ms"] > manifest["days"][day]["max_updated_at_ms"]
    assert {d: v for d, v in new["days"].items() if d != day} == {d: v for d, v in manifest["days"].items() if d != day}
    row = next(r for r in _parquet(out, "fact_orders").to_pylist() if r["domain_id"] == order["domain_id"])
    assert row["paid_amount_fen"] == order["paid_amount_fen"]
    for name, (_, sha) in after.items():  # the manifest's figures are the files'
        entry = new["days"][name.split("day=")[1][:10]]["files"] if "day=" in name else new["dimensions"]["files"]
        assert entry[name]["sha256"] == sha and entry[name]["bytes"] == (out / name).stat().st_size


def test_a_second_settlement_bill_rewrites_its_day_with_both_bills(built, tmp_path):
    cache_path, data = built
    out = tmp_path / "bi"
    _export(cache_path, out, formats=("parquet",))
    order, observations = next(
        (o, obs) for o, obs in data[200:] if any(x["source"] == "finance" and x["status"] == "SETTLED" for x in obs)
    )
    ref = {"channel": order["channel"], "shop": order["shop"], "channel_order_no": order["channel_order_no"]}
    bill = {"bill_no": "BILL-ADJUST-1", "gross_fen": 1000, "commission_fen": 30, "freight_insurance_fen": 0,
            "coupon_fen": 0, "refund_fen": 0}  # fmt: skip
    at = max(datetime.fromisoformat(x["observed_at"]) for x in observations) + timedelta(days=1)
    second = {"source": "finance", "status": "SETTLED", "fields": bill, "observed_at": at.isoformat(), "order": ref}
    with Cache(cache_path) as cache:
        CacheWriter(cache, operator="test").apply([], [second])

    report = _export(cache_path, out, formats=("parquet",))
    assert report.days_written == [_day_of(order)]
    row = next(r for r in _parquet(out, "dim_finance").to_pylist() if r["domain_id"] == order["domain_id"])
    assert row["bill_count"] == 2 and row["bill_no"] == "BILL-ADJUST-1"


def test_an_event_changed_in_place_rewrites_its_day_though_the_order_row_did_not_change(built, tmp_path):
    """As a refold may re-derive an event: the fingerprint covers what the files are made from, not
    only the order's updated_at_ms."""
    cache_path, data = built
    out = tmp_path / "bi"
    _export(cache_path, out, formats=("parquet",))
    order = data[450][0]
    with Cache(cache_path) as cache, cache.write() as c:
        c.exec_driver_sql(
            "UPDATE events SET at_ms = at_ms + 1000 WHERE id = (SELECT max(e.id) FROM events e JOIN orders o "
            "ON o.id = e.order_id WHERE o.domain_id = ?)",
            (order["domain_id"],),
        )
    report = _export(cache_path, out, formats=("parquet",))
    assert report.days_written == [_day_of(order)]


def test_an_order_moved_to_another_day_leaves_no_partition_behind(built, tmp_path):
    cache_path, data = built
    out = tmp_path / "bi"
    late = records(1, seed=9, first=900, start=datetime(2026, 2, 1, 4, tzinfo=UTC))
    extra, _ = next(late)
    with Cache(cache_path) as cache:
        CacheWriter(cache, operator="test").apply([extra], [])
    _export(cache_path, out)
    assert (out / "fact_orders" / "day=2026-02-01" / "part.parquet").is_file()
    (out / "fact_orders" / "day=2026-02-01" / "_notes.txt").write_text("a user's own file stays")

    moved = dict(extra, created_at=data[0][0]["created_at"])
    with Cache(cache_path) as cache:
        CacheWriter(cache, operator="test").apply([moved], [])
    report = _export(cache_path, out)
    assert report.days_removed == ["2026-02-01"] and report.days_written == [_day_of(data[0][0])]
    assert not (out / "csv" / "fact_orders" / "day=2026-02-01").exists()
    assert [p.name for p in (out / "fact_orders" / "day=2026-02-01").iterdir()] == ["_notes.txt"]
    assert "2026-02-01" not in json.loads((out / "_manifest.json").read_text())["days"]
    assert _parquet(out, "fact_orders").num_rows == 601


def test_since_and_until_export_those_days_only(built, tmp_path):
    cache_path, data = built
    out = tmp_path / "bi"
    days = sorted({_day_of(o) for o, _ in data})
    report = _export(cache_path, out, since=date.fromisoformat(days[2]), until=date.fromisoformat(days[3]))
    assert report.days_written == days[2:4]
    assert sorted(p.name for p in (out / "fact_orders").iterdir()) == [f"day={d}" for d in days[2:4]]
    assert _parquet(out, "dim_customer").num_rows == 600  # dimensions are whole

    report = _export(cache_path, out)
    assert report.days_written == days[:2] + days[4:] and report.days_unchanged == 2

    report = _export(cache_path, out, full=True)  # every day written again: the same bytes, left as they were
    assert report.rewrote_all == "full" and report.days_written == days
    assert report.files_replaced == 0 and report.files_kept == (6 * len(DAILY) + len(WHOLE)) * 2


def test_no_receiver_name_phone_address_or_waybill_leaves_in_any_file(built, tmp_path):
    cache_path, _ = built
    out = tmp_path / "bi"
    _export(cache_path, out)
    secrets = set()
    for name, phone, address, waybill in _sql(
        cache_path, "SELECT receiver_name, receiver_phone, receiver_address, waybill_no FROM orders"
    ):
        secrets |= {name, phone, address, waybill, phone[-8:]}
    salt = _sql(cache_path, "SELECT value FROM sync_state WHERE key = ?", SALT_KEY)[0][0]
    secrets.add(salt)
    text = []
    for path in out.rglob("*"):
        if path.suffix == ".parquet":
            text += [str(v) for row in pq.read_table(path).to_pylist() for v in row.values()]
        elif path.is_file():
            text.append(path.read_text(encoding="utf-8"))
    everything = "\n".join(text)
    assert len(everything) > 100_000
    leaked = sorted(s for s in secrets if s and s in everything)
    assert leaked == []


def test_the_customer_key_is_salted_and_one_per_phone_however_written():
    key = customer_keyer(b"\x01" * 32)
    assert key("13800138000") == key("+86 138-0013-8000") == key("86 13800138000") != key("13800138001")
    assert key("13800138000") != customer_keyer(b"\x02" * 32)("13800138000")
    assert len(key("13800138000") or "") == 24 and key("") is None and key("无") is None
    assert key("13800138000") != hashlib.sha256(b"13800138000").hexdigest()[:24]


def test_a_new_salt_rewrites_every_day(built, tmp_path):
    cache_path, _ = built
    out = tmp_path / "bi"
    _export(cache_path, out, formats=("csv",))
    keys = {r["customer_key"] for r in _csv_rows(out, "dim_customer")}
    with Cache(cache_path) as cache, cache.write() as c:
        c.exec_driver_sql("DELETE FROM sync_state WHERE key = ?", (SALT_KEY,))
    report = _export(cache_path, out, formats=("csv",), since=date(2026, 1, 3), until=date(2026, 1, 3))
    assert report.rewrote_all == "salt" and len(report.days_written) == 6
    assert not keys & {r["customer_key"] for r in _csv_rows(out, "fact_orders")}
    assert {r["customer_key"] for r in _csv_rows(out, "fact_orders")} == {
        r["customer_key"] for r in _csv_rows(out, "dim_customer")
    }


KILLED = """
import os, signal, sys
from pathlib import Path
import orderdesk.insights.bi_export as b
import orderdesk.insights.bi_files as files
b.CHUNK = files.CHUNK = 20
written = 0
real = files._Writers.write
def write(self, chunk):
    global written
    real(self, chunk)
    written += 1
    if written == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)
files._Writers.write = write
from orderdesk.sync.cache import Cache
with Cache(Path(sys.argv[1])) as cache:
    b.export_bi(cache, Path(sys.argv[2]))
"""


def test_a_killed_export_leaves_whole_files_only_and_the_next_run_finishes(built, tmp_path):
    cache_path, _ = built
    out = tmp_path / "bi"
    _export(cache_path, tmp_path / "clean")  # the salt exists now; the clean export is what to expect
    _export(cache_path, out, formats=("parquet",), until=date(2026, 1, 2))
    killed = subprocess.run([sys.executable, "-c", KILLED, str(cache_path), str(out), "40"], cwd=ROOT,
                            capture_output=True, timeout=120)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    leftovers = [p for p in out.rglob("*.tmp") if p.name.startswith(".")]
    assert leftovers  # half-written files, under names readers skip
    for path in out.rglob("part.parquet"):
        pq.read_table(path)  # whole, old or new
    for path in out.rglob("part.csv"):
        assert pcsv.read_csv(path, parse_options=CSV_READ).num_rows >= 0
    assert _parquet(out, "fact_orders").num_rows > 0  # a dataset reader does not trip on them

    report = _export(cache_path, out)
    assert not list(out.rglob("*.tmp"))
    assert len(report.days_written) + report.days_unchanged == 6
    expected = json.loads((tmp_path / "clean" / "_manifest.json").read_text())
    got = json.loads((out / "_manifest.json").read_text())
    assert got["days"] == expected["days"] and got["dimensions"] == expected["dimensions"]


def test_another_export_into_the_same_folder_is_refused(built, tmp_path):
    fcntl = pytest.importorskip("fcntl")
    cache_path, _ = built
    out = tmp_path / "bi"
    out.mkdir()
    with (out / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(bi_export.BiExportError, match="another export"):
            _export(cache_path, out)


@pytest.fixture
def cli(built, tmp_path, capsys):
    cache_path, _ = built

    def run(*args: str, expect: int = 0) -> tuple[str, str]:
        code = main(["--cache", str(cache_path), *args])
        out, err = capsys.readouterr()
        assert code == expect, err
        return out, err

    return run


@pytest.mark.parametrize("value", ["2026-02-30", "2026/01/05", "20260105", "yesterday", "", "1969-12-31"])
def test_a_bad_day_is_refused_naming_the_option_and_the_value(cli, tmp_path, value):
    _, err = cli("export", "bi", "--out", str(tmp_path / "bi"), "--since", value, expect=2)
    assert f"--since {value!r}" in err and "YYYY-MM-DD" in err and "日期应写作" in err
    _, err = cli("--lang", "en", "export", "bi", "--out", str(tmp_path / "bi"), "--until", value, expect=2)
    assert f"--until {value!r}: write a day as YYYY-MM-DD" in err
    assert not (tmp_path / "bi").exists()


def test_since_after_until_and_a_file_as_the_folder_are_refused(cli, tmp_path):
    _, err = cli("--lang", "en", "export", "bi", "--out", str(tmp_path / "bi"), "--since", "2026-01-05",
                 "--until", "2026-01-04", expect=2)  # fmt: skip
    assert "--since '2026-01-05' is after --until '2026-01-04'" in err
    (tmp_path / "file").write_text("")
    _, err = cli("export", "bi", "--out", str(tmp_path / "file"), expect=2)
    assert "--out" in err and "是文件" in err


def test_the_cli_exports_and_says_what_it_did(cli, tmp_path):
    out, _ = cli("--json", "export", "bi", "--out", str(tmp_path / "bi"), "--format", "csv")
    document = json.loads(out)
    assert document["formats"] == ["csv"] and len(document["days_written"]) == 6
    assert document["rows"]["fact_orders"] == 600 and not (tmp_path / "bi" / "fact_orders").exists()
    out, _ = cli("--lang", "en", "export", "bi", "--out", str(tmp_path / "bi"), "--format", "csv")
    assert "0 days written, 6 unchanged" in out
    _, err = cli("--cache", str(tmp_path / "none.sqlite3"), "export", "bi", "--out", str(tmp_path / "x"), expect=1)
    assert "none.sqlite3" in err


# -- odd text ---------------------------------------------------------------------------------------
ODD = [",", '"', '""', "'", ";", "\\", "|", "😀", "👍🏽", "🇨🇳", "𠀾", "𪚥", "龘", "é", "e\u0301", "ن", "=1+2",
       "NULL", "  "]  # fmt: skip
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
pieces = st.lists(st.sampled_from(ODD) | st.text(PRINTABLE, max_size=4), max_size=6).map("".join)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=pieces, sku=pieces, shop=pieces, city=pieces.map(lambda s: s[:20]))
def test_odd_text_goes_through_a_real_cache_to_parquet_and_csv_unchanged(title, sku, shop, city):
    order, _ = next(records(1, seed=3))
    order |= {"shop": f"店{shop}铺"[:60], "lines": [dict(order["lines"][0], title=f"商{title}品", sku=f"S{sku}K"[:60])]}
    order["receiver"] = dict(order["receiver"], city=f"市{city}市", address=f"路{title}号")
    with tempfile.TemporaryDirectory() as folder:
        cache_path, out = Path(folder) / "c.sqlite3", Path(folder) / "bi"
        with Cache(cache_path) as cache:
            CacheWriter(cache, operator="test").apply([order], [])
        stored = _sql(cache_path, "SELECT o.shop, o.receiver_city, l.sku, l.title FROM orders o JOIN order_lines l "
                                  "ON l.order_id = o.id")  # fmt: skip
        assert len(stored) == 1, "the cache refused the order"
        shop_, city_, sku_, title_ = stored[0]
        _export(cache_path, out)
        line = _parquet(out, "fact_order_lines").to_pylist()[0]
        assert (line["sku"], line["title"]) == (sku_, title_)
        assert _parquet(out, "dim_sku").to_pylist() == [{"sku": sku_, "title": title_}]
        fact = _parquet(out, "fact_orders").to_pylist()[0]
        assert (fact["shop"], fact["city"]) == (shop_, city_)
        assert _csv_rows(out, "dim_sku") == [{"sku": sku_, "title": title_}]
        row = _csv_rows(out, "fact_orders")[0]
        assert (row["shop"], row["city"]) == (shop_, city_)
        typed = pcsv.read_csv(next((out / "csv" / "fact_order_lines").rglob("part.csv")), parse_options=CSV_READ,
                              convert_options=pcsv.ConvertOptions(column_types={"sku": pa.string(), "title": pa.string()}))  # fmt: skip
        assert typed.select(["sku", "title"]).to_pylist() == [{"sku": sku_, "title": title_}]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.text(max_size=12), st.none() | st.text(max_size=12)), max_size=8))
def test_any_text_even_newlines_and_nulls_goes_through_both_writers_unchanged(rows):
    """The writers alone, with what no cache takes (newlines, controls) and nulls beside empty text."""
    report = bi_export.ExportReport(Path("."), bi_export.FORMATS)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        bi_export._write_table(out, bi_export.DIM_SKU, iter(rows), bi_export.FORMATS, report)
        expected = [{"sku": s, "title": t} for s, t in rows]
        assert pq.read_table(out / "dim_sku" / "part.parquet").to_pylist() == expected
        data = (out / "csv" / "dim_sku" / "part.csv").read_bytes()
        types = {"sku": pa.string(), "title": pa.string()}
        got = pcsv.read_csv(io.BytesIO(data), parse_options=CSV_READ, convert_options=pcsv.ConvertOptions(
            column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False)).to_pylist()  # fmt: skip
        assert got == expected
        with (out / "csv" / "dim_sku" / "part.csv").open(encoding="utf-8", newline="") as f:
            assert list(csv.reader(f))[1:] == [[s, t or ""] for s, t in rows]  # the csv module: no nulls


def test_every_table_is_daily_or_whole_and_leads_with_its_key():
    assert {t.name for t in DAILY} | {t.name for t in WHOLE} == {t.name for t in TABLES}
    assert all(t.columns[0].name == "domain_id" for t in DAILY)
    assert [t.columns[0].name for t in WHOLE] == ["channel", "sku", "customer_key"]
