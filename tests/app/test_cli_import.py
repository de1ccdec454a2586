"""`orderdesk orders import` with damaged lines among good ones: no line stops the file, every good
record is imported, every bad line is kept in quarantine once, the exit status tells a script, and the
pipelined and the one-process import do exactly the same."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.app.cli.main import main
from orderdesk.sync.cache import Cache
from orderdesk.sync.contract import ObservationRecord
from tests.conftest import obs, order, ref

PAID_AT = "2026-01-24T14:01:00+08:00"


def _good_order(i: int) -> bytes:
    return json.dumps({"order": order(f"G{i}")}, ensure_ascii=False).encode()


def _good_observation(i: int, minute: int) -> bytes:
    return json.dumps(
        {"observation": obs("douyin", 105, f"2026-01-24T14:{minute:02d}:00+08:00", ref(f"G{i}"))}
    ).encode()


def _bad(kind: str, i: int, size: int, noise: bytes) -> bytes:
    """A damaged line, unique by ``i``."""
    if kind == "bytes":  # not UTF-8
        return _good_order(10_000 + i)[:-2] + noise.replace(b"\n", b"") + b"\xff\xfe" + b"}}"
    if kind == "depth":
        depth = 65 + size * 97
        return b'{"order": {"i": %d, "d": ' % i + b"[" * depth + b"]" * depth + b"}}"
    if kind == "digits":
        return b'{"order": {"i": %d, "paid_amount_fen": %s}}' % (i, b"7" * (4301 + size * 5))
    if kind == "big":  # readable, but no amount
        return json.dumps({"order": order(f"B{i}", paid_amount_fen=int("9" * (20 + size)))}).encode()
    if kind == "type":
        return json.dumps(
            {"order": order(f"B{i}", lines=[{"line_no": "one", "sku": 5, "quantity": [], "unit_price_fen": None}])}
        ).encode()
    if kind == "bidi":
        return json.dumps({"order": order(f"B{i}", receiver={**order()["receiver"], "name": f"张\u202e{i}"})}).encode()
    if kind == "surrogate":
        return b'{"observation": {"i": %d, "source": "douyin", "status": "\\ud800"}}' % i
    if kind == "nan":
        return b'{"order": {"i": %d, "paid_amount_fen": NaN}}' % i
    return b'{"order": {"i": %d, "broken": ' % i  # cut short


damage = st.tuples(
    st.sampled_from(["bytes", "depth", "digits", "big", "type", "bidi", "surrogate", "nan", "cut"]),
    st.integers(0, 100),
    st.binary(max_size=8),
)
files = st.tuples(st.integers(1, 12), st.lists(damage, max_size=8), st.randoms(use_true_random=False))


def _import(path: Path, cache: Path, workers: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["--json", "--lang", "en", "--cache", str(cache), "orders", "import", str(path),
                 "--workers", str(workers), "--batch", "7"])  # fmt: skip
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _held(cache_path: Path) -> tuple[list, list, int, list]:
    with Cache(cache_path) as cache, cache.read() as c:
        orders = c.exec_driver_sql("SELECT channel_order_no, fulfilment, receiver_name FROM orders ORDER BY 1").all()
        keys = c.exec_driver_sql(
            "SELECT o.channel_order_no, b.key FROM observations b JOIN orders o ON o.id = b.order_id ORDER BY 1, 2"
        ).all()
        pending = c.exec_driver_sql("SELECT COUNT(*) FROM pending_observations").scalar()
        quarantine = c.exec_driver_sql(
            "SELECT kind, reference, record_json, errors_json FROM quarantine WHERE status = 'open' ORDER BY 2, 3"
        ).all()
    return [tuple(r) for r in orders], [tuple(r) for r in keys], pending, [tuple(r) for r in quarantine]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=files)
def test_damaged_lines_are_quarantined_once_and_every_good_record_is_imported(tmp_path_factory, capsys, spec):
    good, damaged, shuffle = spec
    lines = [_good_order(i) for i in range(good)]
    observations = [_good_observation(i, minute) for i in range(good) for minute in (1, 2) if i % 2 or minute == 1]
    lines += observations + observations[:1]  # one payment delivered twice
    bad = [_bad(kind, i, size, noise) for i, (kind, size, noise) in enumerate(damaged)]
    lines += bad + bad[:1]  # the first bad line twice: still one case to review
    shuffle.shuffle(lines)
    folder = tmp_path_factory.mktemp("import")
    path = folder / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    results = []
    for workers in (0, 1):
        cache = folder / f"w{workers}.sqlite3"
        code, report, err = _import(path, cache, workers, capsys)
        assert code == (5 if bad else 0), err
        assert "Traceback" not in err and "unexpected" not in err
        held = _held(cache)
        assert [no for no, _, _ in held[0]] == sorted(f"G{i}" for i in range(good))  # every good order, no bad one
        assert all(state == "PAID" for _, state, _ in held[0])  # and its payment (by channel order no.)
        expected_keys = {
            ObservationRecord.model_validate(json.loads(line)["observation"]).identity()
            for line in lines if line.startswith(b'{"observation": {"source": "douyin", "status": 105')
        }  # fmt: skip
        assert {key for _, key in held[1]} == expected_keys and held[2] == 0
        assert len(held[3]) == len(set(bad))  # every bad line once
        assert report["observations_new"] == len(expected_keys) == len(observations)
        assert report["observations_duplicate"] == 1
        results.append((code, held, {k: v for k, v in report.items() if k != "quarantined"}))
    assert results[0] == results[1]  # the pipelined import does exactly what the one-process import does


def test_a_second_import_of_the_same_damaged_file_adds_no_case_to_review(tmp_path, capsys):
    path = tmp_path / "twice.jsonl"
    damaged = [
        _bad("bytes", 1, 0, b""),
        _bad("depth", 2, 0, b""),
        _bad("depth", 3, 100, b""),
        _bad("digits", 4, 0, b""),
    ]
    path.write_bytes(b"\n".join([_good_order(1), *damaged]) + b"\n")
    for _ in range(2):
        code, report, _ = _import(path, tmp_path / "c.sqlite3", 0, capsys)
        assert code == 5 and len(report["quarantined"]) == 4 and report["orders_new"] in (0, 1)
    assert len(_held(tmp_path / "c.sqlite3")[3]) == 4
    errors = [json.loads(e)[0] for *_, e in _held(tmp_path / "c.sqlite3")[3]]
    messages = sorted(e["message"] for e in errors)
    assert messages[0].startswith("line 2 is not valid UTF-8: byte 0xFF at byte ")
    assert messages[1] == "line 3 nests 65+ levels deep (at most 64)"
    assert messages[2] == "line 4 is nested too deeply to read"
    assert messages[3] == "line 5 holds a number of 4,301 digits at byte 39 (at most 4,300)"
    assert all(e["field"] == "$" and len(e["value"]) <= 201 for e in errors)


def test_a_refused_line_is_resubmitted_as_the_record_it_was_meant_to_be(tmp_path, capsys):
    path = tmp_path / "one.jsonl"
    path.write_bytes(b'{"observation": {"source": "douyin", "status": NaN}}\n' + _good_order(1) + b"\n")
    assert _import(path, tmp_path / "c.sqlite3", 0, capsys)[0] == 5
    cache = ["--cache", str(tmp_path / "c.sqlite3")]
    assert main([*cache, "--json", "quarantine", "list"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["kind"], entry["reference"], entry["record"]) == (
        "line",
        "one.jsonl:1",
        '{"observation": {"source": "douyin", "status": NaN}}',
    )
    fixed = tmp_path / "fixed.json"
    fixed.write_bytes(_good_observation(1, 5))
    assert main([*cache, "quarantine", "resubmit", str(entry["id"]), str(fixed)]) == 0
    with Cache(tmp_path / "c.sqlite3") as c, c.read() as r:
        assert r.exec_driver_sql("SELECT COUNT(*) FROM observations").scalar() == 1
    fixed.write_bytes(
        b'{"order": ' + json.dumps(order("G9", receiver={**order()["receiver"], "name": "李\u061c四"})).encode() + b"}"
    )
    assert main([*cache, "--lang", "en", "quarantine", "list"]) == 0
    capsys.readouterr()


def test_the_installed_command_exits_4_and_says_so_when_records_were_refused(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(_good_order(1) + b"\n" + b"[" * 10_000 + b"\n" + b'{"order": {"x": ' + b"1" * 5000 + b"}}\n")
    done = subprocess.run([shutil.which("orderdesk"), "--lang", "en", "--cache", str(tmp_path / "c.sqlite3"), "orders",
                           "import", str(path)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 5 and "Traceback" not in done.stderr
    assert "2 records refused, kept in quarantine" in done.stderr and "new orders 1" in done.stdout
