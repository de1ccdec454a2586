"""A cache folded under the old rules is mapped and folded again: migration 0008 leaves a marker, the
next sync (or `orderdesk cache refold`) does the work, each change of state audited with its reason."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command

from orderdesk.app.cli.main import main
from orderdesk.sync.cache import Cache, migrate
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.queries import find_orders, order_document
from orderdesk.sync.cache.refold import MARKER, needed, refold
from tests.conftest import obs

PDD = {"channel": "pdd", "shop": "s", "channel_order_no": "R4"}


def _pdd_combined(cache: Cache) -> None:
    order = {**PDD, "created_at": "2026-03-02T10:00:00+08:00", "receiver": {"name": "张"}, "paid_amount_fen": 2000,
             "lines": [{"line_no": 1, "sku": "A", "quantity": 1, "unit_price_fen": 2000}], "waybill_no": "WR4"}  # fmt: skip
    CacheWriter(cache).apply([order], [obs("pdd", 1, "2026-03-02T10:01:00+08:00", PDD, fields={"refund_status": 4})])


def _as_the_old_rules_left_it(cache: Cache) -> None:
    """What the first-matching-rule mapping had stored: paid, the refund lost, nothing open."""
    with cache.writer_engine.begin() as c:
        c.exec_driver_sql("UPDATE observations SET refund = NULL, rule_id = 'pdd.order.awaiting_shipment', "
                          "mapping_version = 'pdd@1.0.0', implies = NULL")  # fmt: skip
        c.exec_driver_sql("UPDATE orders SET refund = 'none', refunded_fen = 0")
        c.exec_driver_sql("UPDATE order_lines SET refund = 'none', refunded_fen = 0")
        c.exec_driver_sql("DELETE FROM events WHERE key LIKE 'refund%'")


def test_migration_0008_marks_a_filled_cache_and_the_refold_repairs_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with Cache(path) as cache:
        _pdd_combined(cache)
        assert not needed(cache)  # a cache filled under the rules in force needs nothing
        _as_the_old_rules_left_it(cache)
        config = migrate.alembic_config()
        with cache.writer_engine.begin() as c:
            config.attributes["connection"] = c
            command.downgrade(config, "0007")
    with Cache(path) as cache:  # opening it migrates: 0008 leaves the marker
        assert needed(cache)
        report = refold(cache, operator="test")
        assert report.finished and report.orders == 1 and report.state_changes == 1
        assert report.observations_remapped == 1 and not needed(cache)
        with cache.read() as c:
            document = order_document(c, find_orders(c, "R4")[0])
        assert (document["fulfilment"], document["refund"], document["refunded_fen"]) == ("PAID", "refunded", 2000)
        assert document["outcome"] == "closed"
        last = [a for a in document["audit"] if a["action"] == "order.state"][-1]
        assert last["after"]["refund"] == "refunded" and "refold" in last["payload"]
        again = refold(cache, operator="test")  # nothing left to change
        assert (again.observations_remapped, again.state_changes) == (0, 0)


def test_an_empty_cache_needs_no_refold(tmp_path: Path) -> None:
    with Cache(tmp_path / "new.sqlite3") as cache:
        assert not needed(cache)


def test_the_refold_command_says_what_it_changed(tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.sqlite3"
    with Cache(path) as cache:
        _pdd_combined(cache)
        _as_the_old_rules_left_it(cache)
        with cache.writer_engine.begin() as c:
            c.exec_driver_sql("INSERT INTO sync_state (key, value, updated_at_ms) VALUES (?, '0008', 0)", (MARKER,))
    assert main(["--cache", str(path), "--json", "cache", "refold"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["orders"] == 1 and answer["state_changes"] == 1 and answer["observations_remapped"] == 1
