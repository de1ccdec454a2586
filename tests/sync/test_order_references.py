"""Which orders an observation reaches: the reference that decides, merged shipments, waybill changes,
and caches written before observation keys were the same on every order (migration 0006)."""

from __future__ import annotations

from alembic import command

from orderdesk.sync.cache import Cache, migrate
from orderdesk.sync.cache.queries import find_orders, order_document
from tests.conftest import obs, order, ref

SHIPPED_AT = "2026-01-25T10:00:00+08:00"


def observation_keys(cache: Cache) -> dict[str, list[str]]:
    with cache.read() as c:
        rows = c.exec_driver_sql(
            "SELECT o.channel_order_no, b.key FROM observations b JOIN orders o ON o.id = b.order_id ORDER BY 1, 2"
        ).fetchall()
    found: dict[str, list[str]] = {}
    for no, key in rows:
        found.setdefault(no, []).append(key)
    return found


def fulfilment(cache: Cache) -> dict[str, str | None]:
    with cache.read() as c:
        return dict(c.exec_driver_sql("SELECT channel_order_no, fulfilment FROM orders").fetchall())


def test_a_channel_status_carrying_a_waybill_waits_for_its_own_order_not_the_waybill_s(writer, cache):
    writer.apply([order("OTHER", waybill_no="SF-1")], [])
    paid = obs("douyin", 105, "2026-01-24T14:01:00+08:00", {**ref("MINE"), "waybill_no": "SF-1"})
    report = writer.apply([], [paid])
    assert (report.observations_new, report.observations_pending) == (0, 1)
    writer.apply([order("MINE", waybill_no="SF-2")], [])
    assert fulfilment(cache) == {"OTHER": None, "MINE": "PAID"}


def test_a_unified_id_decides_over_a_channel_order_no(writer, cache):
    writer.apply([order("A", domain_id="DB20260124AAAAAAAAAAAA"), order("B", domain_id="DB20260124BBBBBBBBBBBB")], [])
    writer.apply(
        [], [obs("douyin", 105, "2026-01-24T14:01:00+08:00", {**ref("A"), "domain_id": "DB20260124BBBBBBBBBBBB"})]
    )
    assert fulfilment(cache) == {"A": None, "B": "PAID"}


def test_a_merged_shipment_s_orders_hold_a_carrier_update_once_each_under_its_own_key(writer, cache):
    scan = obs("kuaidi100", 0, SHIPPED_AT, {"waybill_no": "SF-M"})
    writer.apply([order("M1", waybill_no="SF-M")], [scan])
    writer.apply([order("M2", waybill_no="SF-M")], [])  # the second parcel of the shipment comes later…
    report = writer.apply([], [scan])  # …and the update again (the hub sends it after the new order)
    assert (report.observations_new, report.observations_duplicate) == (1, 1)
    keys = observation_keys(cache)
    assert keys["M1"] == keys["M2"] and len(keys["M1"]) == 1
    assert fulfilment(cache) == {"M1": "SHIPPED", "M2": "SHIPPED"}


def test_an_order_given_another_waybill_lets_go_of_the_old_one_s_updates_and_takes_the_new_one_s(writer, cache):
    writer.apply(
        [order("W", waybill_no="SF-OLD")],
        [obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref("W")),
         obs("kuaidi100", 0, SHIPPED_AT, {"waybill_no": "SF-OLD"}),
         obs("kuaidi100", 3, "2026-01-26T10:00:00+08:00", {"waybill_no": "SF-NEW"})],
    )  # fmt: skip
    assert fulfilment(cache) == {"W": "SHIPPED"}
    report = writer.apply([order("W", waybill_no="SF-NEW")], [])
    assert (report.observations_released, report.observations_new) == (1, 1)
    assert fulfilment(cache) == {"W": "CARRIER_DELIVERED"}
    with cache.read() as c:
        waiting = c.exec_driver_sql("SELECT ref_waybill_no FROM pending_observations").scalars().all()
        document = order_document(c, find_orders(c, "W")[0])
    assert waiting == ["SF-OLD"]
    assert {o["source"] for o in document["observations"]} == {"douyin", "kuaidi100"}
    assert len(document["observations"]) == 2
    writer.apply([order("W", waybill_no="SF-OLD")], [])  # corrected back: the old scan returns, the new one waits
    assert fulfilment(cache) == {"W": "SHIPPED"}
    writer.apply([order("V", waybill_no="SF-NEW")], [])
    assert fulfilment(cache) == {"W": "SHIPPED", "V": "CARRIER_DELIVERED"}


def test_letting_go_of_an_old_waybill_s_updates_is_audited_with_what_left(writer, cache):
    writer.apply([order("W", waybill_no="SF-OLD")], [obs("kuaidi100", 0, SHIPPED_AT, {"waybill_no": "SF-OLD"})])
    writer.apply([order("W", waybill_no="")], [])
    with cache.read() as c:
        trail = order_document(c, find_orders(c, "W")[0])["audit"]
    moved_back = [a for a in trail if a["action"] == "order.state" and a["before"]["fulfilment"] == "SHIPPED"]
    assert len(moved_back) == 1 and moved_back[0]["payload"]["waybill_no"] == "SF-OLD"
    assert len(moved_back[0]["payload"]["released"]) == 1


def test_migration_0006_gives_every_copy_of_a_shared_update_its_plain_key(tmp_path):
    with Cache(tmp_path / "old.sqlite3") as cache:
        config = migrate.alembic_config()
        with cache.writer_engine.begin() as c:
            config.attributes["connection"] = c
            command.downgrade(config, "0005")
        # what 0005 left: one order with the plain key and the suffixed duplicate, one with the suffix only
        with cache.writer_engine.begin() as c:
            for number, (order_id, domain_id) in enumerate(
                [(1, "DB20260124AAAAAAAAAAAA"), (2, "DB20260124BBBBBBBBBBBB")]
            ):
                c.exec_driver_sql(
                    "INSERT INTO orders (id, domain_id, channel, shop, channel_order_no, created_at_ms, receiver_name, "
                    "receiver_phone, receiver_phone_tail, receiver_province, receiver_city, receiver_district, "
                    "receiver_address, waybill_no, carrier, buyer_note, discount_fen, platform_commission_fen, "
                    "freight_insurance_fen, freight_fen, record_sha, updated_at_ms, refund, refunded_fen, cancelled, "
                    "anomaly_count) VALUES (?, ?, 'douyin', 'shop-1', ?, 0, 'n', '', '', '', '', '', '', 'SF-M', '', "
                    "'', 0, 0, 0, 0, 'sha', 0, 'none', 0, 0, 0)",
                    (order_id, domain_id, f"M{number}"),
                )
            keys = [(1, "kuaidi100:h:abc"), (1, "kuaidi100:h:abc/DB20260124AAAAAAAAAAAA"),
                    (2, "kuaidi100:h:abc/DB20260124BBBBBBBBBBBB"), (2, "douyin:e/DB20260124AAAAAAAAAAAA")]  # fmt: skip
            for order_id, key in keys:
                c.exec_driver_sql(
                    "INSERT INTO observations (key, order_id, source, source_system, status_field, raw_status, "
                    "fields_json, observed_at_ms, received_at_ms, operator, payload_json, mapping_version, "
                    "refund_scope, cancelled, exception, unmapped) VALUES (?, ?, 'kuaidi100', 'logistics', 'state', "
                    "'0', '{}', 0, 0, 'system', '{}', '1', 'line', 0, 0, 0)",
                    (key, order_id),
                )
                c.exec_driver_sql(
                    "INSERT INTO anomalies (order_id, key, kind, observation_key, detail_json, detected_at_ms) "
                    "VALUES (?, ?, 'skipped_step', ?, '{}', 0)",
                    (order_id, f"skipped_step:{key}", key),
                )
            c.exec_driver_sql("UPDATE alembic_version SET version_num = '0005'")
    with Cache(tmp_path / "old.sqlite3") as upgraded, upgraded.read() as c:
        held = c.exec_driver_sql("SELECT order_id, key FROM observations ORDER BY 1, 2").fetchall()
        anomalies = c.exec_driver_sql("SELECT order_id, key, observation_key FROM anomalies ORDER BY 1, 2").fetchall()
    # another order's unified id in a key is not a merged-shipment suffix: it stays
    assert held == [(1, "kuaidi100:h:abc"), (2, "douyin:e/DB20260124AAAAAAAAAAAA"), (2, "kuaidi100:h:abc")]
    assert [(o, k) for o, k, _ in anomalies] == [(1, "skipped_step:kuaidi100:h:abc"),
                                                 (2, "skipped_step:douyin:e/DB20260124AAAAAAAAAAAA"),
                                                 (2, "skipped_step:kuaidi100:h:abc")]  # fmt: skip
    assert [k for _, _, k in anomalies] == ["kuaidi100:h:abc", "douyin:e/DB20260124AAAAAAAAAAAA", "kuaidi100:h:abc"]
