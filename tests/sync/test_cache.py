"""The cache file: migrations, pragmas, bad input kept in quarantine, search, early and shared observations."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from orderdesk.sync.cache import Cache, migrate, search
from orderdesk.sync.cache.queries import find_orders, order_document, search_orders
from orderdesk.sync.cache.schema import metadata
from tests.conftest import obs, order, ref


def test_migrations_from_empty_match_the_tables_in_code(cache):
    with cache.read() as c:
        assert migrate.current_revision(cache.writer_engine) == migrate.head_revision()
        context = MigrationContext.configure(
            c, opts={"include_name": lambda n, t, p: not (t == "table" and n and n.startswith("order_search"))}
        )
        assert compare_metadata(context, metadata) == []
    assert migrate.head_revision() == migrate.HEAD  # the constant that lets a current file skip Alembic


def test_pragmas(cache):
    with cache.read() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_an_older_cache_is_backed_up_then_upgraded_and_keeps_its_orders(tmp_path, writer, cache):
    writer.apply([order()], [])
    config = migrate.alembic_config()
    with cache.writer_engine.begin() as c:
        config.attributes["connection"] = c
        command.downgrade(config, "0001")  # what an earlier release left on disk
    cache.close()
    with Cache(cache.path) as upgraded:
        assert upgraded.backup is not None and upgraded.backup.exists()
        with upgraded.read() as c:
            assert c.exec_driver_sql("SELECT COUNT(*) FROM orders").scalar() == 1
            assert c.exec_driver_sql("SELECT COUNT(*) FROM outbox").scalar() == 0
    backup = sqlite3.connect(upgraded.backup)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT COUNT(*) FROM orders").fetchone() == (1,)


def test_every_migration_goes_down_and_up_again(cache):
    config = migrate.alembic_config()
    with cache.writer_engine.begin() as c:
        config.attributes["connection"] = c
        command.downgrade(config, "base")
        command.upgrade(config, "head")
    assert migrate.current_revision(cache.writer_engine) == migrate.head_revision()


BAD = [
    ({"paid_amount_fen": -1}, "paid_amount_fen", -1),
    ({"paid_amount_fen": 12.5}, "paid_amount_fen", 12.5),
    ({"receiver": {"name": "张\x00三"}}, "receiver.name", "张\x00三"),
    ({"receiver": {"name": "王" * 65}}, "receiver.name", "王" * 65),
    ({"receiver": {"name": "李\u202e四"}}, "receiver.name", "李\u202e四"),
    ({"receiver": {"name": ""}}, "receiver.name", ""),
    ({"lines": []}, "lines", []),
    ({"lines": [{"line_no": 1, "sku": "A", "quantity": 0, "unit_price_fen": 100}]}, "lines[0].quantity", 0),
    ({"created_at": "yesterday"}, "created_at", "yesterday"),
    ({"channel_order_no": None}, "channel_order_no", None),
    ({"domain_id": "DB2026"}, "domain_id", "DB2026"),
]


@pytest.mark.parametrize(("change", "field", "value"), BAD)
def test_a_bad_record_is_quarantined_naming_field_and_value_and_the_batch_goes_on(writer, cache, change, field, value):
    bad = {**order("BAD-1"), **change}
    report = writer.apply([order("GOOD-1"), bad, order("GOOD-2")], [])
    assert report.orders_new == 2
    [quarantined] = report.quarantined
    error = next(e for e in quarantined.errors if e.field == field)
    if isinstance(value, list):
        assert error.value == "[]"
    else:
        assert error.value == value
    with cache.read() as c:
        rows = c.exec_driver_sql("SELECT kind, reference, status, errors_json FROM quarantine").fetchall()
    assert len(rows) == 1 and rows[0][1] in ("BAD-1", "") and rows[0][2] == "open" and field in rows[0][3]


def test_a_bad_observation_is_quarantined_and_the_rest_applied(writer, cache):
    writer.apply([order()], [])
    report = writer.apply(
        [],
        [
            obs("douyin", 105, "2026-01-24T14:01:00+08:00"),
            obs("douyin", "", "2026-01-24T14:01:00+08:00"),
            obs("douyin", 3, "not a time"),
            {"source": "douyin", "status": 3},
            "not even an object",
        ],
    )
    assert report.observations_new == 1
    fields = sorted(e.field for q in report.quarantined for e in q.errors)
    assert fields == ["$", "observed_at", "observed_at", "order", "status"]


def test_search_finds_any_substring_of_names_phones_and_numbers(writer, cache):
    writer.apply(
        [
            order("DD1", receiver={"name": "龘张伟", "phone": "13800138000"}),
            order("DD2", receiver={"name": "𠀾王小明", "phone": "+86 139-0013-9999"}, waybill_no="YT7788001"),
            order("DD3", receiver={"name": "Lǐ Nà", "phone": "138****5678"}),
        ],
        [],
    )
    with cache.read() as c:

        def names(text):
            return sorted(order_document(c, i)["channel_order_no"] for i in search_orders(c, text))

        assert names("龘") == ["DD1"]
        assert names("张伟") == ["DD1"]
        assert names("𠀾王") == ["DD2"]
        assert names("小明") == ["DD2"]
        assert names("9999") == ["DD2"]
        assert names("5678") == ["DD3"]
        assert names("13800138000") == ["DD1"]
        assert names("7788") == ["DD2"]
        assert names("lǐ") == ["DD3"]
        assert names("张明") == []
        assert names("  ") == []
    assert search.match_expression('"; DROP') == '"dr ro op"'  # quotes never reach FTS5 syntax


def test_orders_are_found_by_unified_id_channel_order_no_or_waybill(writer, cache):
    writer.apply([order("DD9", waybill_no="SF0009")], [])
    with cache.read() as c:
        [order_id] = find_orders(c, "DD9")
        domain_id = order_document(c, order_id)["domain_id"]
        assert find_orders(c, domain_id) == find_orders(c, "SF0009") == [order_id]
    assert domain_id.startswith("DB20260124") and len(domain_id) == 22


def test_an_update_before_its_order_waits_and_is_applied_when_the_order_comes(writer, cache):
    early = writer.apply(
        [],
        [
            obs("douyin", 3, "2026-01-24T18:00:00+08:00"),
            obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF24008872"}),
        ],
    )
    assert early.observations_pending == 2 and early.observations_new == 0
    again = writer.apply([], [obs("douyin", 3, "2026-01-24T18:00:00+08:00")])
    assert again.observations_duplicate == 1
    late = writer.apply([order()], [])
    assert late.observations_new == 2
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT fulfilment FROM orders").scalar() == "CARRIER_DELIVERED"
        assert c.exec_driver_sql("SELECT COUNT(*) FROM pending_observations").scalar() == 0


def test_a_waybill_shared_by_merged_orders_updates_each_of_them(writer, cache):
    writer.apply([order("M1", waybill_no="SF-MERGED"), order("M2", waybill_no="SF-MERGED")], [])
    writer.apply([], [obs("kuaidi100", 0, "2026-01-25T10:00:00+08:00", {"waybill_no": "SF-MERGED"})])
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT fulfilment FROM orders ORDER BY id").scalars().all() == ["SHIPPED", "SHIPPED"]


def test_an_order_record_update_is_audited_and_searchable(writer, cache):
    writer.apply([order("U1", waybill_no="")], [])
    report = writer.apply([order("U1", waybill_no="ZT123456")], [])
    assert report.orders_updated == 1
    with cache.read() as c:
        assert search_orders(c, "ZT123") == find_orders(c, "U1")
        document = order_document(c, find_orders(c, "U1")[0])
    updated = [a for a in document["audit"] if a["action"] == "order.updated"]
    assert updated and updated[0]["before"] == {"waybill_no": ""}


def test_a_unified_id_is_made_once(writer, cache):
    writer.apply([order("K1", domain_id="DB20260124ABCDEFGHJKLM")], [])
    report = writer.apply(
        [order("K1", domain_id="DB20260124ZZZZZZZZZZZZ"), order("K2", domain_id="DB20260124ABCDEFGHJKLM")], []
    )
    assert [e.field for q in report.quarantined for e in q.errors] == ["domain_id", "domain_id"]
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT domain_id FROM orders").scalars().all() == ["DB20260124ABCDEFGHJKLM"]


def test_line_refunds_respect_amounts_and_refund_ids(writer, cache):
    writer.apply([order()], [
        obs("douyin", 105, "2026-01-24T14:01:00+08:00"),
        obs("douyin", 3, "2026-01-28T10:00:00+08:00", status_field="refund_status", line_no=1, refund_id="AS1", refund_fen=300),
        obs("douyin", 3, "2026-01-28T11:00:00+08:00", status_field="refund_status", line_no=1, refund_id="AS2", refund_fen=300),
        obs("douyin", 3, "2026-01-28T12:00:00+08:00", status_field="refund_status", line_no=1, refund_id="AS2", refund_fen=300),
        obs("douyin", 1, "2026-01-29T12:00:00+08:00", status_field="refund_status", line_no=1, refund_id="AS2"),
    ])  # fmt: skip
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT refund, refunded_fen, anomaly_count FROM orders").one() == (
            "partially_refunded",
            600,
            1,
        )
        assert c.exec_driver_sql("SELECT kind FROM anomalies").scalar() == "refund_regression"
    writer.apply([], [obs("douyin", 21, "2026-01-30T12:00:00+08:00", order_ref=ref(), fields={"main_status": 21})])
    writer.apply([], [obs("douyin", 4, "2026-01-30T12:00:00+08:00", fields={"main_status": 21})])
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT refund, refunded_fen FROM orders").one() == ("refunded", 2500)


def test_an_update_delivered_again_in_the_batch_that_brings_its_order_is_kept_once(writer, cache):
    shipped = obs("douyin", 3, "2026-01-24T18:00:00+08:00")
    writer.apply([], [shipped])
    report = writer.apply([order()], [shipped])
    assert (report.observations_new, report.observations_duplicate) == (1, 1)
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT COUNT(*) FROM observations").scalar() == 1
        assert c.exec_driver_sql("SELECT COUNT(*) FROM pending_observations").scalar() == 0


def test_a_waiting_carrier_update_is_adopted_by_every_merged_order(writer, cache):
    writer.apply([], [obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF-MERGED"})])
    report = writer.apply([order("M1", waybill_no="SF-MERGED"), order("M2", waybill_no="SF-MERGED")], [])
    assert report.observations_new == 2
    with cache.read() as c:
        states = c.exec_driver_sql("SELECT fulfilment FROM orders ORDER BY id").scalars().all()
    assert states == ["CARRIER_DELIVERED", "CARRIER_DELIVERED"]


def test_batches_prepared_in_a_worker_process_give_what_inline_batches_give(tmp_path):
    from orderdesk.hub.demo import records
    from orderdesk.sync.cache.apply import CacheWriter
    from orderdesk.sync.cache.pipeline import apply_batches
    from orderdesk.sync.cache.queries import export_orders

    data = list(records(1200, seed=3))
    batches = [
        ([o for o, _ in data[i : i + 300]], [x for _, obs in data[i : i + 300] for x in obs])
        for i in range(0, 1200, 300)
    ]
    results = []
    for workers in (0, 1):
        with Cache(tmp_path / f"w{workers}.sqlite3") as cache:
            reports = list(apply_batches(CacheWriter(cache), batches, workers=workers))
            with cache.read() as c:
                exported = [{k: v for k, v in d.items() if k != "domain_id"} for d in export_orders(c)]
                anomalies = c.exec_driver_sql(
                    "SELECT kind, COUNT(*) FROM anomalies GROUP BY kind ORDER BY kind"
                ).fetchall()
            results.append(
                (sum(r.orders_new for r in reports), sum(r.observations_new for r in reports), exported, anomalies)
            )
    assert results[0] == results[1]
    assert results[0][0] == 1200


def test_preparing_workers_run_below_the_writer_s_priority(writer):
    import os

    from orderdesk.sync.cache.pipeline import WORKER_NICENESS, preparing_workers

    with preparing_workers(writer, 2) as pool:
        niceness = {pool.submit(os.nice, 0).result() for _ in range(4)}
    assert niceness == {min(os.nice(0) + WORKER_NICENESS, 19)}


def test_a_carrier_update_reaches_a_cached_order_sharing_the_waybill_with_a_new_one(writer, cache):
    writer.apply([order("OLD", waybill_no="SF-SHARED")], [])
    writer.apply(
        [order("N1", waybill_no="SF-N1"), order("N2", waybill_no="SF-SHARED")],
        [obs("kuaidi100", 0, "2026-01-25T10:00:00+08:00", {"waybill_no": "SF-N1"}),
         obs("kuaidi100", 0, "2026-01-25T10:00:00+08:00", {"waybill_no": "SF-SHARED"})],
    )  # fmt: skip
    with cache.read() as c:
        states = dict(c.exec_driver_sql("SELECT channel_order_no, fulfilment FROM orders").fetchall())
    assert states == {"OLD": "SHIPPED", "N1": "SHIPPED", "N2": "SHIPPED"}


def test_rows_worked_out_ahead_are_taken_only_when_the_guess_held(writer, cache, monkeypatch):
    from orderdesk.sync.cache import apply as apply_module
    from orderdesk.sync.cache.ingest import prepare

    writer.apply([order("OLD", waybill_no="SF-SHARED")], [obs("douyin", 105, "2026-01-24T14:02:00+08:00", ref("N2"))])
    calls = []
    real = apply_module.fold_new_order
    monkeypatch.setattr(apply_module, "fold_new_order", lambda *a: calls.append(a[0].key) or real(*a))
    batch = prepare(
        [order("N1", waybill_no="SF-N1"), order("N2", waybill_no="SF-SHARED")],
        [obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref("N1")),
         obs("kuaidi100", 0, "2026-01-25T10:00:00+08:00", {"waybill_no": "SF-N1"}),
         obs("kuaidi100", 0, "2026-01-25T10:00:00+08:00", {"waybill_no": "SF-SHARED"})],
        writer.registry(), fold_new_as=writer.operator,
    )  # fmt: skip
    writer.apply_prepared(batch)
    # N1's rows were taken as worked out; N2 adopted the payment that waited for it in the cache, which
    # the worker could not know, so the writer worked N2 out again
    assert [key.split("\x1f")[-1] for key in calls] == ["N2"]
    with cache.read() as c:
        states = dict(c.exec_driver_sql("SELECT channel_order_no, fulfilment FROM orders").fetchall())
        assert states == {"OLD": "SHIPPED", "N1": "SHIPPED", "N2": "SHIPPED"}
        carrier = c.exec_driver_sql(
            "SELECT o.channel_order_no, b.key FROM observations b JOIN orders o ON o.id = b.order_id "
            "WHERE b.source = 'kuaidi100' AND o.waybill_no = 'SF-SHARED' ORDER BY 1"
        ).fetchall()
        assert [no for no, _ in carrier] == ["N2", "OLD"] and len({key for _, key in carrier}) == 1  # one key each
        assert audit_ok(c)


def audit_ok(c) -> bool:
    from orderdesk.sync.cache import audit

    return audit.verify(c).ok
