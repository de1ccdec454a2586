"""Hypothesis against the hub's ingest over real HTTP, for every source with a mapping table: wrong shapes
anywhere, deep nesting, odd characters, raw bytes, JSON and form bodies. Never a 5xx; every 4xx names
the field in both languages and stays small; a good record beside bad ones is always stored."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from orderdesk.hub.schema import observations as hub_observations
from orderdesk.hub.schema import orders as hub_orders
from orderdesk.sync.resources import MAPPINGS_DIR
from tests.conftest import order, token_for

SOURCES = sorted(p.stem for p in MAPPINGS_DIR.glob("*.json") if p.name != "mapping.schema.json")
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_numbers = itertools.count()


@pytest.fixture(scope="module")
def hub_client(tmp_path_factory) -> Iterator[tuple[httpx.Client, Any]]:
    from orderdesk.hub.server import BackgroundHub
    from orderdesk.hub.store import HubStore

    store = HubStore(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.sqlite3'}")
    store.ensure_demo_users()
    with BackgroundHub(store) as server:
        headers = {"Authorization": f"Bearer {token_for(server.url, 'supervisor')}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            yield client, store
    store.close()


def check(answer: httpx.Response) -> dict[str, Any]:
    """No server error; a refusal names the field, in English and Chinese, and stays small."""
    assert answer.status_code < 500, answer.text[:500]
    assert len(answer.content) < 70_000
    body = answer.json()
    if answer.status_code >= 400:
        assert isinstance(body["field"], str) and body["field"], body
        assert body["detail"] and body["detail_zh"], body
    return body


# Characters a record may carry: letters of any script, CJK beyond the BMP, punctuation, spaces inside.
safe_text = st.text(st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029"),
                    min_size=1, max_size=20).filter(lambda t: t.strip() == t and t)  # fmt: skip
odd_text = st.text(max_size=30)  # anything: controls, bidi marks, private use, astral, combining marks
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | odd_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=15,
)


@st.composite
def good_observation(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.integers(-(10**6), 10**6) | safe_text)
    fields = draw(st.dictionaries(safe_text.map(lambda t: t[:64]), st.integers(0, 99) | safe_text, max_size=2))
    return {"status": status, "observed_at": "2026-01-24T15:00:00+08:00", "fields": fields,
            "order": {"waybill_no": f"FZ{next(_numbers)}"}, "event_id": f"fz-{next(_numbers)}",
            "payload": draw(st.dictionaries(safe_text, json_values, max_size=3))}  # fmt: skip


BREAKS: list[tuple[str, Any]] = [
    ("observed_at", "never"), ("observed_at", None), ("observed_at", []), ("status", None), ("status", ""),
    ("status", 1.5), ("status", [1]), ("order", {}), ("order", "SF1"), ("order", {"channel": "douyin"}),
    ("unknown_field", 1), ("line_no", 0), ("line_no", "1"), ("status_field", "a\x00b"), ("refund_fen", -1),
    ("refund_fen", 10**13), ("operator", "\u202eevil"), ("event_id", "x" * 500), ("fields", []),
]  # fmt: skip


@given(source=st.sampled_from(SOURCES), plan=st.lists(st.booleans(), min_size=1, max_size=10), data=st.data())
@FUZZ
def test_good_observations_beside_bad_ones_are_all_stored_and_the_bad_ones_named(hub_client, source, plan, data):
    client, store = hub_client
    records, good_keys, bad = [], [], []
    for index, is_good in enumerate(plan):
        record = data.draw(good_observation())
        if is_good:
            good_keys.append(f"{source}:{record['event_id']}")
        else:
            key, value = data.draw(st.sampled_from(BREAKS))
            record[key] = value
            bad.append(index)
        records.append(record)
    result = check(client.post(f"/v1/ingest/{source}", json={"observations": records}))
    assert [r["index"] for r in result["refused"]] == bad and result["refused_count"] == len(bad)
    assert all(e["field"] and e["message_zh"] for r in result["refused"] for e in r["errors"])
    with store.read() as c:
        stored = set(c.execute(select(hub_observations.c.key).where(hub_observations.c.key.in_(good_keys))).scalars())
    assert stored == set(good_keys)  # nothing good lost


ORDER_BREAKS: list[tuple[str, Any]] = [
    ("paid_amount_fen", -1), ("paid_amount_fen", 12.5), ("lines", []), ("created_at", "yesterday"),
    ("receiver", {"name": "张\x00三"}), ("receiver", "张三"), ("channel", ""), ("shop", None), ("extra", 1),
    ("lines", [{"line_no": 1, "sku": "A", "quantity": 0, "unit_price_fen": 1}]), ("domain_id", "DB2026"),
]  # fmt: skip


@given(source=st.sampled_from(SOURCES), plan=st.lists(st.booleans(), min_size=1, max_size=8),
       names=st.lists(safe_text.map(lambda t: t[:60]), min_size=8, max_size=8), data=st.data())  # fmt: skip
@FUZZ
def test_good_orders_with_names_in_any_script_beside_bad_ones_are_all_stored(hub_client, source, plan, names, data):
    client, store = hub_client
    records, good_numbers, bad = [], [], []
    for index, is_good in enumerate(plan):
        number = f"FZO{next(_numbers)}"
        record = order(number, receiver={"name": names[index], "phone": "13800138000"})
        if is_good:
            good_numbers.append(number)
        else:
            key, value = data.draw(st.sampled_from(ORDER_BREAKS))
            record[key] = value
            bad.append(index)
        records.append(record)
    result = check(client.post(f"/v1/ingest/{source}", json={"orders": records}))
    assert [r["index"] for r in result["refused"]] == bad and len(result["orders"]) == len(good_numbers)
    with store.read() as c:
        query = select(hub_orders.c.channel_order_no).where(hub_orders.c.channel_order_no.in_(good_numbers))
        assert set(c.execute(query).scalars()) == set(good_numbers)


SLOTS = ["$", "orders", "observations", "observations[0]", "observations[0].order", "observations[0].payload",
         "lastResult", "lastResult.data", "lastResult.data[0]", "lastResult.state", "status"]  # fmt: skip


def _place(slot: str, value: Any) -> Any:
    """A plausible body with ``value`` put at ``slot``."""
    push: dict[str, Any] = {"status": "polling", "lastResult": {"nu": "SF1", "state": "3", "data": [
        {"time": "2026-01-26 10:00:00", "context": "已签收"}]}}  # fmt: skip
    wire: dict[str, Any] = {"observations": [{"status": 1, "observed_at": "2026-01-24T15:00:00",
                                              "order": {"waybill_no": "SF1"}, "payload": {}}]}  # fmt: skip
    if slot == "$":
        return value
    if slot in ("orders", "observations"):
        return {slot: value}
    if slot.startswith("observations[0]"):
        if slot == "observations[0]":
            wire["observations"][0] = value
        else:
            wire["observations"][0][slot.split(".")[1]] = value
        return wire
    if slot == "status":
        push["status"] = value
    elif slot == "lastResult":
        push["lastResult"] = value
    elif slot == "lastResult.data[0]":
        push["lastResult"]["data"][0] = value
    else:
        push["lastResult"][slot.split(".")[1]] = value
    return push


@given(source=st.sampled_from(SOURCES), slot=st.sampled_from(SLOTS), value=json_values)
@FUZZ
def test_any_value_in_any_place_never_fails_the_hub(hub_client, source, slot, value):
    client, _ = hub_client
    check(client.post(f"/v1/ingest/{source}", json=_place(slot, value)))


@given(slot=st.sampled_from(SLOTS), value=json_values, raw=st.booleans(), text=odd_text)
@FUZZ
def test_kuaidi100_form_bodies_never_fail_the_hub_and_refusals_name_param(hub_client, slot, value, raw, text):
    client, _ = hub_client
    param = text if raw else json.dumps(_place(slot, value), ensure_ascii=False)
    body = check(client.post("/v1/ingest/kuaidi100", data={"param": param}))
    assert "refused" in body or body["field"].startswith("param")


@given(depth=st.integers(1, 3000), brackets=st.sampled_from(["[]", '{"a":}']), source=st.sampled_from(SOURCES))
@FUZZ
def test_nesting_within_the_limit_is_stored_and_deeper_is_refused_naming_where(hub_client, depth, brackets, source):
    client, _ = hub_client
    opening, closing = (brackets[0], brackets[1]) if brackets == "[]" else ('{"a":', "}")
    nested = opening * depth + "1" + closing * depth
    event = f"deep-{next(_numbers)}"
    text = (f'{{"observations": [{{"status": 1, "observed_at": "2026-01-24T15:00:00", "event_id": "{event}",'
            f' "order": {{"waybill_no": "SF1"}}, "payload": {{"deep": {nested}}}}}]}}')  # fmt: skip
    body = check(client.post(f"/v1/ingest/{source}", content=text, headers={"content-type": "application/json"}))
    if 4 + depth <= 32:  # levels: the body, observations, the observation, payload, then the nesting
        assert body["observations_new"] + body["observations_repeated"] == 1
    else:
        assert body["field"] == "$" or body["field"].startswith("observations[0].payload.deep")


@given(raw=st.binary(max_size=300), form=st.booleans(), source=st.sampled_from(SOURCES))
@FUZZ
def test_raw_bytes_never_fail_the_hub(hub_client, raw, form, source):
    client, _ = hub_client
    kind = "application/x-www-form-urlencoded" if form else "application/json"
    check(client.post(f"/v1/ingest/{source}", content=raw, headers={"content-type": kind}))


@given(document=json_values, limit=st.integers(0, 6), ascii_only=st.booleans())
@settings(max_examples=200, deadline=None)
def test_the_depth_read_from_the_bytes_is_the_depth_of_the_parsed_document(document, limit, ascii_only):
    from orderdesk.hub.body import _depth_exceeded, deeper_than, shape_of

    raw = json.dumps(document, ensure_ascii=ascii_only).encode()  # strings full of quotes, brackets, backslashes
    assert deeper_than(shape_of(raw), limit) == (_depth_exceeded(document, limit) is not None)
