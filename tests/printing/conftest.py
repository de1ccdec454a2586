"""Order documents shaped as `orderdesk orders show --json` prints them, for label tests."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from orderdesk.printing.profiles import load_profile

PRINTED_AT = datetime(2026, 11, 25, 9, 30, tzinfo=timezone(timedelta(hours=8)))
DOCUMENT: dict[str, Any] = {
    "domain_id": "DB20261125ABCDEFGHJK23",
    "channel": "douyin",
    "shop": "shop-1",
    "channel_order_no": "DD20260124008872",
    "waybill_no": "SF1234567890",
    "carrier": "顺丰速运",
    "receiver": {
        "name": "张龘",
        "phone": "13812345678",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "address": "科技园南区高新南七道18号",
    },
    "lines": [{"line_no": 1, "sku": "SKU-A", "title": "猫粮 2kg", "quantity": 2}],
    "buyer_note": "",
}


def document(name: str | None = None, address: str | None = None, **overrides: Any) -> dict[str, Any]:
    made = copy.deepcopy(DOCUMENT)
    if name is not None:
        made["receiver"]["name"] = name
    if address is not None:
        made["receiver"]["address"] = address
    made.update(overrides)
    return made


def hanazono_profile() -> Any:
    profile = load_profile("pdf-76x130-extb")
    if profile.fonts().missing:
        pytest.skip(f"system fonts {profile.fonts().missing} not installed (./dev installs fonts-hanazono)")
    return profile
