"""Text at the hub's door: the same rule as everywhere (sync/text_rules.py), over real HTTP."""

from __future__ import annotations

from tests.conftest import order
from tests.hub.test_observations_follow_orders import client, ingest


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
