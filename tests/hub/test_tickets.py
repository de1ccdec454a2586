"""Customer-service tickets at the hub: stored once per number, bad ones named by field and value, the
order-related share for the self-check, and who may send and read."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.hub import tickets
from tests.conftest import token_for


def _client(url: str, user: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token_for(url, user)}"}, timeout=20)


def test_tickets_are_counted_once_and_bad_ones_named(hub) -> None:
    channel = _client(hub.url, "channel")
    sent = [{"ticket_no": "KF1", "channel": "douyin", "category": "logistics", "created_at": "2026-01-24T10:00:00+08:00",
             "order": "DD20260124008872"},
            {"ticket_no": "KF2", "channel": "douyin", "category": "presale", "created_at": "2026-01-24T11:00:00+08:00"},
            {"ticket_no": "KF3", "channel": "douyin", "category": "complaint", "created_at": "2026-01-24T11:00:00+08:00"},
            {"ticket_no": "KF4", "channel": "douyin", "category": "invoice", "created_at": "2126-01-24 11:00"},
            {"ticket_no": "KF\u202e5", "channel": "douyin", "category": "invoice", "created_at": "2026-01-24 11:00"},
            {"ticket_no": "KF6", "channel": "douyin", "category": "invoice", "created_at": "2026-01-24 11:00"}]  # fmt: skip
    answer = channel.post("/v1/tickets", json={"tickets": sent}).json()
    assert (answer["stored"], answer["refused_count"]) == (3, 3)  # KF6: no offset is Beijing time
    assert [e["field"] for e in answer["refused"]] == ["tickets[2].category", "tickets[3].created_at",
                                                       "tickets[4].ticket_no"]  # fmt: skip
    assert answer["refused"][0]["value"] == "complaint"
    again = channel.post("/v1/tickets", json={"tickets": sent[:2]}).json()
    assert (again["stored"], again["repeated"]) == (0, 2)
    packer = _client(hub.url, "packer")
    figures = packer.get("/v1/tickets/figures").json()
    assert (figures["tickets"], figures["order_related"]) == (3, 2)
    assert packer.post("/v1/tickets", json={"tickets": sent[:1]}).status_code == 403
    everything_bad = channel.post("/v1/tickets", json={"tickets": sent[2:3]})  # kept nothing, said why
    assert everything_bad.status_code == 200 and everything_bad.json()["refused"][0]["field"] == "tickets[0].category"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=5),
                          st.dictionaries(st.sampled_from(["ticket_no", "channel", "category", "created_at", "order"]),
                                          st.one_of(st.none(), st.integers(), st.text(max_size=70))))))  # fmt: skip
def test_any_ticket_is_stored_or_named(items: list) -> None:
    good, errors = tickets.parse(items)
    assert len(good) + len(errors) == len(items)
    for e in errors:
        assert e.field.startswith(f"tickets[{e.index}]") and e.message and e.message_zh
    for row in good:
        assert row["category"] in tickets.CATEGORIES and 0 < len(row["ticket_no"]) <= 64
