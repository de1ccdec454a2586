"""Inventory over loopback HTTP: the flash sale's proof on SQLite, PostgreSQL and the Redis fast path
(1,000 requests at once for 100 units: exactly 100 win, the rest are refused in words, sellable never
below 0, totals conserved, no key served twice) — and the same storm against a naive read-then-write
route oversells, so the proof can fail. Then the breaker, the sweeper, the stock feed, roles and bad
input, each refusal naming its field and value."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bench.inventory_storm import SKU, WAREHOUSE, Stocked, stocked_hub, storm, token
from orderdesk.alerts.dingtalk import DingTalkRobot
from orderdesk.alerts.local_robot import local_robot
from orderdesk.inventory.schema import reservations
from tests.hub.test_postgres import _reachable

STOCK, REQUESTS = 100, 1000


def _redis_missing() -> str | None:
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5).ping()
    except redis.RedisError as exc:
        return f"no Redis server at 127.0.0.1:6379 ({exc}): the fast path's storm is skipped"
    return None


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
def backend(request: pytest.FixtureRequest) -> str:
    reason = _reachable() if request.param == "postgresql" else _redis_missing() if request.param == "redis" else None
    if reason:
        pytest.skip(reason)
    return str(request.param)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Stocked]:
    with stocked_hub("sqlite", tmp_path) as made:
        yield made


def client(hub: Stocked, user: str) -> httpx.Client:
    return httpx.Client(
        base_url=hub.hub.url, timeout=30, headers={"Authorization": f"Bearer {token(hub.hub.url, user)}"}
    )


def key() -> str:
    return f"test-{uuid.uuid4().hex}"


def hold(c: httpx.Client, quantity: Any = 1, *, sku: str = SKU, ttl_s: Any = 900, k: str | None = None,
         channel: str = "douyin") -> httpx.Response:  # fmt: skip
    return c.post("/v1/inventory/reservations", headers={"Idempotency-Key": k or key()},
                  json={"sku": sku, "warehouse": WAREHOUSE, "quantity": quantity, "channel": channel, "ttl_s": ttl_s})  # fmt: skip


def sell(c: httpx.Client, quantity: int, *, sku: str = SKU, channel: str = "pdd") -> httpx.Response:
    return c.post("/v1/inventory/sales", headers={"Idempotency-Key": key()},
                  json={"sku": sku, "warehouse": WAREHOUSE, "quantity": quantity, "channel": channel,
                        "order_ref": f"PDD{uuid.uuid4().hex[:10]}"})  # fmt: skip


def test_a_flash_sale_of_1000_requests_at_once_for_100_units(backend: str, tmp_path: Path) -> None:
    with stocked_hub(backend, tmp_path) as hub:
        hub.receive(STOCK, fast_path=backend == "redis")
        result = storm(hub.hub.url, REQUESTS)
        assert result.other == []
        assert len(result.won) == STOCK and len(set(result.won)) == STOCK
        assert len(result.refused) == REQUESTS - STOCK
        assert {(r["field"], r["value"], r["reason"]) for r in result.refused} == {("quantity", 1, "insufficient")}
        assert all(r["detail"] and r["detail_zh"] for r in result.refused)
        assert result.fast_path >= ({"on"} if backend == "redis" else {"off"})
        pools = hub.pools()
        assert pools["sellable"] == 0 and pools["reserved"] == STOCK and sum(pools.values()) == STOCK
        assert hub.supervisor.get("/v1/inventory/differences").json()["count"] == 0
        with hub.store.read() as c:
            assert c.execute(select(func.count(func.distinct(reservations.c.idempotency_key)))).scalar_one() == STOCK
        channel = client(hub, "channel")
        again = hold(channel, k=result.won[0])  # a winner's key again: the same hold, served once
        assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
        assert hub.pools()["reserved"] == STOCK


def test_the_same_storm_against_a_naive_read_then_write_route_oversells(tmp_path: Path) -> None:
    with stocked_hub("sqlite", tmp_path, naive=True) as hub:
        hub.receive(STOCK)
        result = storm(hub.hub.url, 400, path="/v1/naive/reservations")
        assert len(result.won) > STOCK  # the seed's 412 oversold orders, in miniature


def test_the_breaker_trips_pauses_alerts_once_and_a_supervisor_resumes_it(hub: Stocked) -> None:
    hub.receive(10)
    channel, packer = client(hub, "channel"), client(hub, "packer")
    with local_robot("robot-token", "SEC" + "a" * 40) as robot:
        hub.keeper.robot = DingTalkRobot(f"{robot.url}/robot/send?access_token=robot-token", "SEC" + "a" * 40)
        assert sell(channel, 8).json() | {"key": None} == {"key": None, "sku": SKU, "quantity": 8, "covered": 8,
                                                             "oversold": 0, "tripped": False}  # fmt: skip
        assert sell(channel, 20).json()["oversold"] == 18  # 2 covered
        answer = sell(channel, 13).json()  # 31 oversold in the window: more than 30
        assert answer["oversold"] == 13 and answer["tripped"] is True
        assert sell(channel, 5, channel="douyin").json()["tripped"] is False  # tripped once, not again
        refused = hold(channel)
        assert refused.status_code == 409 and refused.json()["field"] == "sku" and refused.json()["value"] == SKU
        assert refused.json()["reason"] == "paused" and "熔断" in refused.json()["detail_zh"]
        actions = channel.get("/v1/inventory/listing-actions").json()["actions"]
        assert [(a["channel"], a["action"]) for a in actions] == [("pdd", "pause")]
        report = hub.keeper.cycle()
        assert report.alerts_sent == 1 and len(robot.app.state.messages) == 1
        assert "超卖熔断" in robot.app.state.messages[0]["text"] and SKU in robot.app.state.messages[0]["text"]
        assert hub.keeper.cycle().alerts_sent == 0  # sent once
        assert packer.post(f"/v1/inventory/skus/{SKU}/resume", json={"note": "ok"}).status_code == 403
        assert channel.post(f"/v1/inventory/skus/{SKU}/resume", json={"note": "ok"}).status_code == 403
        unsaid = hub.supervisor.post(f"/v1/inventory/skus/{SKU}/resume", json={"note": "  "})
        assert unsaid.status_code == 422 and unsaid.json()["field"] == "note"  # a resume says why
        resumed = hub.supervisor.post(f"/v1/inventory/skus/{SKU}/resume", json={"note": "渠道已下架,库存已核实"})
        assert resumed.status_code == 200 and resumed.json()["channels"] == ["pdd"]
        assert hub.supervisor.post(f"/v1/inventory/skus/{SKU}/resume", json={"note": "again"}).status_code == 409
        history = hub.supervisor.get(f"/v1/inventory/skus/{SKU}").json()["breaker_history"]
        assert [(h["event"], h["actor"]) for h in history] == [("resumed", "supervisor"), ("tripped", "system:breaker")]
        assert sell(channel, 10).json()["tripped"] is False  # the window starts again at the resume
        hub.supervisor.post("/v1/inventory/movements", headers={"Idempotency-Key": key()},
                            json={"sku": SKU, "from_pool": "outside", "to_pool": "sellable", "quantity": 5,
                                  "reason": "receipt"}).raise_for_status()  # fmt: skip
        assert hold(channel).status_code == 201
        figures = hub.supervisor.get("/v1/inventory/figures").json()
        assert figures["oversold"]["units"] == 46 and figures["breaker"]["trips"] == 1


def test_holds_expire_by_the_sweeper_and_the_feed_tells_every_role(hub: Stocked) -> None:
    hub.receive(20)
    channel, packer = client(hub, "channel"), client(hub, "packer")
    kept, lapsed = hold(channel, 3, ttl_s=3600).json(), hold(channel, 5, ttl_s=1).json()
    assert channel.post(f"/v1/inventory/reservations/{kept['key']}/confirm").json()["state"] == "confirmed"
    report = hub.keeper.cycle(now=lapsed["expires_at_ms"] + 1)
    assert report.expired == 1 and report.published == 1
    assert hub.pools() == {"sellable": 17, "reserved": 0, "committed": 3, "quality_check": 0, "in_transit": 0}
    late = channel.post(f"/v1/inventory/reservations/{lapsed['key']}/confirm")
    assert late.status_code == 409 and late.json()["field"] == "reservation"  # expired: a payment too late
    stock = [c for c in packer.get("/v1/changes").json()["changes"] if c["kind"] == "stock"]
    assert stock and stock[-1]["body"]["sku"] == SKU and stock[-1]["body"]["totals"]["sellable"] == 17
    figures = hub.supervisor.get("/v1/inventory/figures").json()
    assert figures["reservations"] == {"confirmed": 1, "expired": 1} and figures["reserved_ms"]["settled"] == 2


def test_only_a_channel_or_a_supervisor_reserves_and_only_a_supervisor_moves_stock(hub: Stocked) -> None:
    hub.receive(5)
    packer, clerk = client(hub, "packer"), client(hub, "clerk")
    assert hold(packer).status_code == 403 and hold(clerk).status_code == 403
    assert packer.get(f"/v1/inventory/skus/{SKU}").status_code == 200  # reading is for everyone
    moved = packer.post("/v1/inventory/movements", headers={"Idempotency-Key": key()},
                        json={"sku": SKU, "from_pool": "outside", "to_pool": "sellable", "quantity": 5, "reason": "receipt"})  # fmt: skip
    assert moved.status_code == 403 and moved.json()["field"] == "role"


@pytest.mark.parametrize(("body", "field", "value", "status"), [
    ({"quantity": 0}, "quantity", 0, 422),
    ({"quantity": -3}, "quantity", -3, 422),
    ({"sku": "NO-SUCH-SKU"}, "sku", "NO-SUCH-SKU", 422),
    ({"ttl_s": 0}, "ttl_s", 0, 422),
    ({"ttl_s": 86_401}, "ttl_s", 86_401, 422),
    ({"quantity": 6}, "quantity", 6, 409),
])  # fmt: skip
def test_bad_reservations_are_refused_naming_the_field_and_the_value(hub: Stocked, body: dict[str, Any], field: str,
                                                                      value: Any, status: int) -> None:  # fmt: skip
    hub.receive(5)
    answer = hold(client(hub, "channel"), **{"quantity": 1, **body})
    assert answer.status_code == status
    assert (answer.json()["field"], answer.json()["value"]) == (field, value)
    assert answer.json()["detail"] and answer.json()["detail_zh"]
    assert hub.pools()["sellable"] == 5


def test_a_move_out_of_an_empty_pool_and_a_quota_above_the_stock_are_refused(hub: Stocked) -> None:
    hub.receive(10)
    empty = hub.supervisor.post("/v1/inventory/movements", headers={"Idempotency-Key": key()},
                                json={"sku": SKU, "from_pool": "quality_check", "to_pool": "sellable", "quantity": 2,
                                      "reason": "quality_passed"})  # fmt: skip
    assert empty.status_code == 409 and (empty.json()["field"], empty.json()["value"]) == ("quantity", 2)
    assert "质检" in empty.json()["detail_zh"]
    quota = hub.supervisor.post("/v1/inventory/quotas", json={"sku": SKU, "channel": "douyin", "quantity": 11})
    assert quota.status_code == 422 and (quota.json()["field"], quota.json()["value"]) == ("quantity", 11)
    assert (
        hub.supervisor.post("/v1/inventory/quotas", json={"sku": SKU, "channel": "douyin", "quantity": 4}).status_code
        == 200
    )
    assert (
        hub.supervisor.post("/v1/inventory/quotas", json={"sku": SKU, "channel": "pdd", "quantity": 7}).status_code
        == 422
    )
    channel = client(hub, "channel")
    assert hold(channel, 4).status_code == 201
    over = hold(channel, 1)  # douyin's quota is used up though 6 are sellable
    assert over.status_code == 409 and (over.json()["field"], over.json()["value"]) == ("channel", "douyin")
    assert hold(channel, 6, channel="pdd").status_code == 201  # a channel without a quota takes from sellable


def test_reserved_and_committed_move_only_by_holds_and_sales_and_quotas_are_not_bypassed(hub: Stocked) -> None:
    hub.receive(20)
    channel = client(hub, "channel")
    held = hold(channel, 5).json()
    out = hub.supervisor.post("/v1/inventory/movements", headers={"Idempotency-Key": key()},
                              json={"sku": SKU, "from_pool": "reserved", "to_pool": "sellable", "quantity": 3,
                                    "reason": "transfer"})  # fmt: skip
    assert out.status_code == 422 and (out.json()["field"], out.json()["value"]) == ("from_pool", "reserved")
    assert channel.post(f"/v1/inventory/reservations/{held['key']}/confirm").status_code == 200
    hub.supervisor.post("/v1/inventory/quotas", json={"sku": SKU, "channel": "douyin", "campaign": "新年福袋",
                                                      "quantity": 10}).raise_for_status()  # fmt: skip
    # 15 sellable, 10 set aside for douyin's campaign: a channel without a quota (or douyin without the
    # campaign) takes at most the other 5
    assert hold(channel, 6, channel="pdd").json()["field"] == "channel"
    assert hold(channel, 5, channel="pdd").status_code == 201
    assert hold(channel, 1).status_code == 409  # douyin, no campaign: nothing left outside the quota
    body = {"sku": SKU, "warehouse": WAREHOUSE, "quantity": 10, "channel": "douyin", "campaign": "新年福袋"}
    assert channel.post("/v1/inventory/reservations", headers={"Idempotency-Key": key()}, json=body).status_code == 201
    assert hub.pools()["sellable"] == 0


def test_one_sku_whose_holds_cannot_be_covered_does_not_stop_the_others_expiring(hub: Stocked) -> None:
    from sqlalchemy import update

    from orderdesk.inventory.schema import levels

    hub.receive(10)
    hub.receive(10, sku="TEA-LJ-250", title="西湖龙井")
    channel = client(hub, "channel")
    broken, fine = hold(channel, 4, ttl_s=1).json(), hold(channel, 4, sku="TEA-LJ-250", ttl_s=1).json()
    with hub.store.guarded() as c:  # a fault: FUDAI's reserved level no longer covers its hold
        c.execute(update(levels).where(levels.c.sku == SKU, levels.c.pool == "reserved").values(quantity=1))
    assert hub.keeper.cycle(now=fine["expires_at_ms"] + 1).expired == 1
    assert hub.pools("TEA-LJ-250")["sellable"] == 10 and hub.pools()["reserved"] == 1
    assert broken["state"] == "held"


def test_a_value_json_cannot_say_is_refused_in_words_and_a_title_stays_when_not_sent(hub: Stocked) -> None:
    hub.receive(3)
    raw = httpx.post(f"{hub.hub.url}/v1/inventory/reservations", content=b'{"sku": "FUDAI-2026", "quantity": 1e400, '
                     b'"channel": "douyin"}', headers={**hub.supervisor.headers, "Idempotency-Key": key(),
                                                       "Content-Type": "application/json"})  # fmt: skip
    assert raw.status_code == 422 and raw.json()["field"] == "quantity"
    hub.supervisor.post("/v1/inventory/skus", json={"sku": SKU, "fast_path": True}).raise_for_status()
    assert hub.supervisor.get(f"/v1/inventory/skus/{SKU}").json()["title"] == "新年福袋"
    slashed = hub.supervisor.post("/v1/inventory/skus", json={"sku": "A/B"})
    assert slashed.status_code == 422 and slashed.json()["value"] == "A/B"
