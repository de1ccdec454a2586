"""The hub gives an order the observations that name it, whenever they came: those stored before the
order (or before it took its waybill) follow it in the feed again. Over real HTTP on loopback."""

from __future__ import annotations

import httpx

from orderdesk.sync.contract import ObservationRecord
from tests.conftest import obs, order, ref, token_for

PAID = "2026-01-24T14:01:00+08:00"
SCANNED = "2026-01-25T10:00:00+08:00"


def client(hub) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token_for(hub.url, 'supervisor')}"}
    return httpx.Client(base_url=hub.url, headers=headers, timeout=10)


def ingest(c: httpx.Client, source: str, orders=(), observations=()) -> dict:
    answer = c.post(f"/v1/ingest/{source}", json={"orders": list(orders), "observations": list(observations)})
    answer.raise_for_status()
    return answer.json()


def feed_after(c: httpx.Client, cursor: str | None) -> tuple[list[tuple[str, str]], str]:
    """(kind, what it names) of each change after ``cursor``, and the cursor at the end."""
    page = c.get("/v1/changes", params={"limit": 5000, **({"cursor": cursor} if cursor else {})}).json()
    seen = []
    for change in page["changes"]:
        body = change["body"]
        if change["kind"] == "order":
            seen.append(("order", body["channel_order_no"]))
        else:
            named = body["order"]
            seen.append(("observation", named.get("channel_order_no") or named.get("waybill_no") or named["domain_id"]))
    return seen, page["cursor"]


def sources_of(c: httpx.Client, domain_id: str) -> list[str]:
    entry = c.get(f"/v1/orders/{domain_id}").json()
    return sorted(f"{o['source']}:{o['status']}" for o in entry["observations"])


def test_an_observation_stored_before_its_order_follows_the_order_in_the_feed(hub):
    with client(hub) as c:
        ingest(c, "douyin", [], [obs("douyin", 105, PAID, ref("EARLY"))])
        _, cursor = feed_after(c, None)  # a cache that first synced here is past the observation
        (domain_id,) = ingest(c, "douyin", [order("EARLY")])["orders"]
        assert feed_after(c, cursor)[0] == [("order", "EARLY"), ("observation", "EARLY")]
        assert sources_of(c, domain_id) == ["douyin:105"]
        _, cursor = feed_after(c, None)
        ingest(c, "douyin", [order("EARLY", buyer_note="gift")])  # an update of the order: nothing new reaches it
        assert feed_after(c, cursor)[0] == [("order", "EARLY")]


def test_an_order_given_a_new_waybill_brings_what_that_waybill_named_and_leaves_the_old_one_s(hub):
    with client(hub) as c:
        (domain_id,) = ingest(c, "douyin", [order("W", waybill_no="SF-OLD")])["orders"]
        ingest(c, "kuaidi100", [], [obs("kuaidi100", 0, SCANNED, {"waybill_no": "SF-OLD"}),
                                    obs("kuaidi100", 3, SCANNED, {"waybill_no": "SF-NEW"})])  # fmt: skip
        assert sources_of(c, domain_id) == ["kuaidi100:0"]
        _, cursor = feed_after(c, None)
        ingest(c, "douyin", [order("W", waybill_no="SF-NEW")])
        assert feed_after(c, cursor)[0] == [("order", "W"), ("observation", "SF-NEW")]
        assert sources_of(c, domain_id) == ["kuaidi100:3"]


def test_a_second_order_on_a_merged_shipment_brings_the_shipment_s_scans_again(hub):
    with client(hub) as c:
        (first,) = ingest(c, "douyin", [order("M1", waybill_no="SF-M")])["orders"]
        ingest(c, "kuaidi100", [], [obs("kuaidi100", 0, SCANNED, {"waybill_no": "SF-M"})])
        _, cursor = feed_after(c, None)
        (second,) = ingest(c, "douyin", [order("M2", waybill_no="SF-M")])["orders"]
        assert feed_after(c, cursor)[0] == [("order", "M2"), ("observation", "SF-M")]
        assert sources_of(c, first) == sources_of(c, second) == ["kuaidi100:0"]


def test_an_observation_naming_a_unified_id_follows_the_order_that_carries_it(hub):
    with client(hub) as c:
        unified = "DB20260124ABCDEFGHJKLM"
        ingest(c, "finance", [], [obs("finance", "PAYMENT_RECEIVED", PAID, {"domain_id": unified})])
        _, cursor = feed_after(c, None)
        assert ingest(c, "douyin", [order("D", domain_id=unified)])["orders"] == [unified]
        assert feed_after(c, cursor)[0] == [("order", "D"), ("observation", unified)]
        assert sources_of(c, unified) == ["finance:PAYMENT_RECEIVED"]


def test_a_channel_status_that_also_carries_a_waybill_belongs_to_its_own_order_only(hub):
    with client(hub) as c:
        paid = obs("douyin", 105, PAID, {**ref("MINE"), "waybill_no": "SF-1"})
        ingest(c, "douyin", [], [paid])
        _, cursor = feed_after(c, None)
        (other,) = ingest(c, "douyin", [order("OTHER", waybill_no="SF-1")])["orders"]
        assert feed_after(c, cursor)[0] == [("order", "OTHER")]
        (mine,) = ingest(c, "douyin", [order("MINE", waybill_no="SF-2")])["orders"]
        assert sources_of(c, other) == [] and sources_of(c, mine) == ["douyin:105"]
        listed = c.get("/v1/orders").json()["orders"]
        key = ObservationRecord.model_validate(paid).identity()
        holding = [e["order"]["channel_order_no"] for e in listed
                   for o in e["observations"] if ObservationRecord.model_validate(o).identity() == key]  # fmt: skip
        assert holding == ["MINE"]


def test_pruning_keeps_the_newest_change_so_change_numbers_never_go_back(hub):
    with client(hub) as c:
        ingest(c, "douyin", [order("P1")])
        _, cursor = feed_after(c, None)
        hub.store.prune(keep=0)
        ingest(c, "douyin", [order("P2")])
        assert feed_after(c, cursor)[0] == [("order", "P2")]  # not a number handed out before, not a 410
