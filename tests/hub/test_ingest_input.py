"""What the hub's ingest takes, over real HTTP: the same text rule as everywhere (sync/text_rules.py),
and no body, however damaged, gets anything but an answer in words (never a 500)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import obs, order, ref
from tests.hub.test_observations_follow_orders import client, ingest

PIECES = [b"[" * 5000, b"]", b"{", b'"\\ud800"', b"NaN", b"1" * 4400, b"1e999", b"\xff\xfe", b'"\\u202e"', b'"x"', b",", b":",
          b'{"lastResult": ', b'{"param": ', b'"data": [1]', b"null", b"[]", b"{}"]  # fmt: skip
bodies = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map(b"".join),
    st.recursive(st.none() | st.integers() | st.text(max_size=5) | st.booleans(),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
                     ["orders", "observations", "lastResult", "param", "data", "nu", "state", "status"]), inner, max_size=3),
                 max_leaves=12).map(lambda v: json.dumps(v).encode()),
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, source=st.sampled_from(["douyin", "kuaidi100"]), form=st.booleans())
def test_a_damaged_body_gets_a_refusal_in_words_never_a_server_error(hub, body, source, form):
    good = obs("douyin", 105, "2026-01-24T14:01:00+08:00", ref("GOOD"))
    with client(hub) as c:
        if form:
            answer = c.post(f"/v1/ingest/{source}", data={"param": body.decode("utf-8", "replace")})
        else:
            answer = c.post(f"/v1/ingest/{source}", content=body, headers={"content-type": "application/json"})
        assert answer.status_code in (200, 400, 413, 415, 422), answer.text  # never a 5xx
        if answer.status_code != 200:  # a refusal in words: English and Chinese, naming the field
            refusal = answer.json()
            assert refusal["detail"] and refusal["detail_zh"] and "field" in refusal
        else:
            assert all(e["message"] and e["message_zh"] for r in answer.json()["refused"] for e in r["errors"])
        both = c.post("/v1/ingest/douyin", json={"orders": [order("GOOD")], "observations": [good]})
        assert both.status_code == 200 and not both.json()["refused"]


def test_ingest_removes_invisible_characters_and_refuses_direction_changes_naming_code_point_and_position(hub):
    with client(hub) as c:
        answer = ingest(c, "douyin", [order("T1", receiver={**order()["receiver"], "name": "张\u200b三"}),
                                      order("T2", receiver={**order()["receiver"], "name": "李\u061c四"})])  # fmt: skip
        [refused] = answer["refused"]
        assert (refused["kind"], refused["index"]) == ("order", 1)
        [error] = refused["errors"]
        assert error["field"] == "receiver.name" and "U+061C at position 2" in error["message"]
        assert "第 2 个字符 U+061C" in error["message_zh"]
        [domain_id] = answer["orders"]
        assert c.get(f"/v1/orders/{domain_id}").json()["order"]["receiver"]["name"] == "张三"
