"""Every anomaly kind reads as a sentence in Chinese and English, never as raw data."""

from __future__ import annotations

import pytest

from orderdesk.sync.anomaly_text import describe
from orderdesk.sync.states import AnomalyKind

DETAILS = {
    AnomalyKind.REGRESSION: {
        "claimed": "PAID",
        "current": "CUSTOMER_CONFIRMED",
        "established_by": "douyin",
        "same_source": True,
    },
    AnomalyKind.SKIPPED_STEP: {"claimed": "CUSTOMER_CONFIRMED", "skipped": ["CARRIER_DELIVERED"]},
    AnomalyKind.EVIDENCE_VIOLATION: {
        "claimed": "CARRIER_DELIVERED",
        "source_system": "channel",
        "allowed": ["logistics"],
    },
    AnomalyKind.UNMAPPED_STATUS: {"source": "pdd"},
    AnomalyKind.REFUND_REGRESSION: {"line_no": 2, "claimed": "none"},
    AnomalyKind.UNKNOWN_LINE: {"line_no": 9, "known": [1, 2]},
    AnomalyKind.AFTER_CANCEL: {"claimed": "SHIPPED"},
    AnomalyKind.MISSING_PAID_AMOUNT: {},
    AnomalyKind.SOURCE_EXCEPTION: {"source": "kuaidi100", "signal": "refused"},
    AnomalyKind.SHIPPED_AFTER_REFUND: {"claimed": "SHIPPED", "refunded_fen": 2000},
}


@pytest.mark.parametrize("kind", list(AnomalyKind))
def test_each_kind_has_its_sentence(kind):
    text = describe(kind.value, DETAILS[kind], "douyin")
    assert text["zh"] and text["en"] and not text["en"].startswith(kind.value)
    assert "{" not in text["zh"] + text["en"]  # no raw data
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text["zh"])


def test_the_sentence_names_the_states_in_the_readers_language():
    text = describe("regression", DETAILS[AnomalyKind.REGRESSION], "douyin")
    assert "已支付" in text["zh"] and "客户签收" in text["zh"] and "'paid'" in text["en"]


def test_a_regression_says_what_the_same_source_said_before():
    detail = {"claimed": "PAID", "current": "CARRIER_DELIVERED", "evidenced": "SHIPPED", "established_by": "channel"}
    text = describe("regression", detail, "taobao")
    assert "已发货" in text["zh"] and "已支付" in text["zh"] and "'shipped'" in text["en"]


def test_a_carrier_problem_is_in_words():
    text = describe("source_exception", {"signal": "uncollected"}, "kuaidi100")
    assert "驿站超时未取" in text["zh"] and "locker" in text["en"] and "uncollected" not in text["en"]
