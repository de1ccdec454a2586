"""The reference hub over real HTTP on loopback: auth and roles, the change feed, listing, actions."""

from __future__ import annotations

import json

import httpx
import pytest

from orderdesk.hub.feed import feed_cursor
from tests.conftest import obs, order, ref, token_for


def client(hub, user: str | None = "supervisor") -> httpx.Client:
    headers = {"Authorization": f"Bearer {token_for(hub.url, user)}"} if user else {}
    return httpx.Client(base_url=hub.url, headers=headers, timeout=10)


def ingest(hub, source: str, orders=(), observations=()) -> dict:
    with client(hub) as c:
        answer = c.post(f"/v1/ingest/{source}", json={"orders": list(orders), "observations": list(observations)})
        answer.raise_for_status()
        return answer.json()


def test_sign_in_gives_a_token_with_the_role_and_nothing_works_without_one(hub):
    answer = httpx.post(f"{hub.url}/v1/auth/token", json={"username": "clerk", "password": "clerk"})
    assert answer.status_code == 200 and answer.json()["role"] == "clerk"
    assert httpx.post(f"{hub.url}/v1/auth/token", json={"username": "clerk", "password": "nope"}).status_code == 401
    assert httpx.get(f"{hub.url}/v1/changes").status_code == 401
    forged = answer.json()["access_token"].replace("Y2xlcmsi", "c3VwZXJ2aXNvciI")  # clerk → supervisor in the body
    assert httpx.get(f"{hub.url}/v1/changes", headers={"Authorization": f"Bearer {forged}x"}).status_code == 401
    assert httpx.get(f"{hub.url}/openapi.json").json()["info"]["title"].startswith("OrderDesk")
    me = httpx.get(f"{hub.url}/v1/auth/me", headers={"Authorization": f"Bearer {answer.json()['access_token']}"})
    assert (me.json()["user"], me.json()["role"]) == ("clerk", "clerk")
    assert httpx.get(f"{hub.url}/v1/auth/me", headers={"Authorization": f"Bearer {forged}x"}).status_code == 401


def test_the_feed_serves_every_change_once_across_pages_even_with_shared_timestamps(hub):
    same_time = "2026-01-24T14:00:00+08:00"
    orders = [order(f"T{i:03d}", created_at=same_time) for i in range(25)]
    ingest(hub, "douyin", orders, [obs("douyin", 105, same_time, ref(f"T{i:03d}")) for i in range(25)])
    seen, cursor, cursors = [], None, []
    with client(hub, "packer") as c:
        while True:
            page = c.get("/v1/changes", params={"limit": 7, **({"cursor": cursor} if cursor else {})}).json()
            seen.extend(
                (ch["kind"], ch["body"].get("channel_order_no") or ch["body"]["order"]["channel_order_no"])
                for ch in page["changes"]
            )
            cursors.append(page["cursor"])
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    assert len(seen) == len(set(seen)) == 50
    assert len(cursors) == len(set(cursors))  # strictly advancing


def test_stale_foreign_or_garbage_cursors(hub):
    ingest(hub, "douyin", [order(f"P{i}") for i in range(5)])
    with client(hub) as c:
        first = c.get("/v1/changes", params={"limit": 1}).json()["cursor"]
        assert c.get("/v1/changes", params={"cursor": feed_cursor("another-db", 1)}).status_code == 410
        assert c.get("/v1/changes", params={"cursor": "c1.bm90IGpzb24"}).status_code == 400
        assert c.get("/v1/changes", params={"cursor": feed_cursor(hub.store.epoch, 99)}).status_code == 400
        hub.store.prune(keep=2)
        assert c.get("/v1/changes", params={"cursor": first}).status_code == 410
        assert c.get("/v1/changes").status_code == 410  # from the start: the start is gone too


def test_listing_is_keyset_paged_and_carries_observations(hub):
    ingest(hub, "douyin", [order(f"L{i:02d}", waybill_no=f"SF-L{i:02d}") for i in range(12)],
           [obs("douyin", 105, "2026-01-24T15:00:00+08:00", ref("L03"))])  # fmt: skip
    ingest(
        hub,
        "kuaidi100",
        observations=[{"status": 3, "observed_at": "2026-01-26T10:00:00+08:00", "order": {"waybill_no": "SF-L03"}}],
    )
    numbers, after = [], None
    with client(hub, "clerk") as c:
        while True:
            page = c.get("/v1/orders", params={"limit": 5, **({"after": after} if after else {})}).json()
            numbers.extend(e["order"]["channel_order_no"] for e in page["orders"])
            for entry in page["orders"]:
                if entry["order"]["channel_order_no"] == "L03":
                    assert sorted(o["source"] for o in entry["observations"]) == ["douyin", "kuaidi100"]
                    one = c.get(f"/v1/orders/{entry['order']['domain_id']}").json()
                    assert one["order"]["channel_order_no"] == "L03" and len(one["observations"]) == 2
            after = page["next"]
            if after is None:
                break
        assert c.get("/v1/orders/DB20260124ABCDEFGHJKLM").status_code == 404
    assert numbers == [f"L{i:02d}" for i in range(12)]


def test_the_listing_cut_into_pages_ahead_serves_each_order_once_and_reaches_orders_added_since(hub):
    ingest(hub, "douyin", [order(f"P{i:03d}", waybill_no=f"SF-P{i:03d}") for i in range(250)],
           [obs("douyin", 105, "2026-01-24T15:00:00+08:00", ref("P123"))])  # fmt: skip
    with client(hub, "packer") as c:
        plan = c.get("/v1/orders/pages", params={"limit": 100}).json()
        assert plan["orders"] == 250 and len(plan["pages"]) == 3
        assert len(c.get("/v1/orders/pages", params={"limit": 1}).json()["pages"]) == 251  # one open at the end
        ingest(hub, "douyin", [order("P250"), order("P000", waybill_no="SF-CHANGED")])  # after the plan
        served, requests = [], 0
        for token in reversed(plan["pages"]):  # any order of reading gives the same listing
            after = token
            while after is not None:
                page = c.get("/v1/orders", params={"limit": 100, "after": after}).json()
                requests += 1
                assert page["feed_cursor"] == plan["feed_cursor"]
                served += [e["order"]["channel_order_no"] for e in page["orders"]]
                p123 = [e for e in page["orders"] if e["order"]["channel_order_no"] == "P123"]
                assert not p123 or len(p123[0]["observations"]) == 1
                after = page["next"]
        assert requests == 3  # a planned page that is full does not ask for an empty one after it
        assert sorted(served) == [f"P{i:03d}" for i in range(251)]  # the order added since: in the open page
        changes = c.get("/v1/changes", params={"cursor": plan["feed_cursor"]}).json()["changes"]
        assert [ch["body"]["channel_order_no"] for ch in changes] == ["P250", "P000"]  # the feed has the rest
        forged = plan["pages"][0][:-4] + "AAAA"
        assert c.get("/v1/orders", params={"after": forged}).status_code == 400


def test_a_unified_id_is_made_once_by_the_hub(hub):
    first = ingest(hub, "douyin", [order("U1")])["orders"][0]
    again = ingest(hub, "douyin", [order("U1", waybill_no="SF-NEW")])["orders"][0]
    assert first == again and first.startswith("DB20260124")
    with client(hub, "packer") as c:
        assert c.get(f"/v1/orders/{first}").json()["order"]["waybill_no"] == "SF-NEW"  # the update is served
        kinds = [ch["kind"] for ch in c.get("/v1/changes").json()["changes"]]
    assert kinds == ["order", "order"]  # created, then updated: both in the feed


def test_bad_records_are_refused_with_field_and_value_and_the_rest_goes_in(hub):
    answer = ingest(hub, "douyin", [order("OK1"), order("BAD", paid_amount_fen=-1)],
                    [obs("douyin", 105, "not a time"), obs("douyin", 105, "2026-01-24T15:00:00+08:00", ref("OK1"))])  # fmt: skip
    assert len(answer["orders"]) == 1 and answer["observations_new"] == 1
    fields = sorted(e["field"] for r in answer["refused"] for e in r["errors"])
    assert fields == ["observed_at", "paid_amount_fen"]


def test_only_a_supervisor_ingests(hub):
    with client(hub, "packer") as c:
        assert c.post("/v1/ingest/douyin", json={"orders": [order("X")]}).status_code == 403


def test_kuaidi100_push_in_its_own_format(hub):
    domain_id = ingest(hub, "douyin", [order("K1", waybill_no="SF7788")])["orders"][0]
    push = {"status": "polling", "message": "", "lastResult": {"message": "ok", "nu": "SF7788", "com": "shunfeng",
            "state": "3", "data": [{"time": "2026-01-26 10:00:00", "ftime": "2026-01-26 10:00:00", "context": "已签收"}]}}  # fmt: skip
    with client(hub) as c:
        assert c.post("/v1/ingest/kuaidi100", json=push).json()["observations_new"] == 1
        assert c.post("/v1/ingest/kuaidi100", json=push).json()["observations_repeated"] == 1
        as_form = c.post(
            "/v1/ingest/kuaidi100", data={"param": json.dumps(push, ensure_ascii=False)}
        )  # as it really comes
        assert as_form.status_code == 200 and as_form.json()["observations_repeated"] == 1
        entry = c.get(f"/v1/orders/{domain_id}").json()
    assert (
        entry["observations"][0]["status"] == "3"
        and entry["observations"][0]["payload"]["lastResult"]["nu"] == "SF7788"
    )


def test_actions_are_idempotent_and_checked_for_the_role(hub):
    domain_id = ingest(hub, "douyin", [order("A1")])["orders"][0]
    buyer = {"kind": "pc", "buyer_type": "person", "title": "某某"}
    body = {"kind": "invoice_request", "order": domain_id, "payload": {"buyer": buyer}}
    with client(hub, "packer") as packer, client(hub, "clerk") as clerk:
        assert packer.post("/v1/actions", json=body, headers={"Idempotency-Key": "key-00000001"}).status_code == 403
        first = clerk.post("/v1/actions", json=body, headers={"Idempotency-Key": "key-00000001"})
        assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
        again = clerk.post("/v1/actions", json=body, headers={"Idempotency-Key": "key-00000001"})
        assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
        other = clerk.post(
            "/v1/actions",
            json={**body, "payload": {"buyer": {**buyer, "title": "别人"}}},
            headers={"Idempotency-Key": "key-00000001"},
        )
        assert other.status_code == 422
        assert clerk.post("/v1/actions", json=body).status_code == 422  # the key is required
        person_special = {**body, "payload": {"buyer": {**buyer, "kind": "bs"}}}
        refused = clerk.post("/v1/actions", json=person_special, headers={"Idempotency-Key": "key-00000009"})
        assert refused.status_code == 422 and refused.json()["field"].startswith("invoice.")
        missing = {**body, "order": "DB20260124ABCDEFGHJKLM"}
        assert clerk.post("/v1/actions", json=missing, headers={"Idempotency-Key": "key-00000002"}).status_code == 404
        printed = {"kind": "print_result", "order": domain_id, "payload": {"ok": True}}
        assert packer.post("/v1/actions", json=printed, headers={"Idempotency-Key": "key-00000003"}).status_code == 200
        feed = clerk.get("/v1/changes").json()["changes"]
    assert [c["body"]["key"] for c in feed if c["kind"] == "action"] == ["key-00000001", "key-00000003"]


@pytest.mark.parametrize("user", ["packer", "clerk", "supervisor"])
def test_every_role_reads(hub, user):
    with client(hub, user) as c:
        assert c.get("/v1/changes").status_code == 200 and c.get("/v1/orders").status_code == 200
