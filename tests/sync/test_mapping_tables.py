"""Every mapping table validates, and every real enumeration value maps to what it means."""

from __future__ import annotations

import copy
import json

import pytest

from orderdesk.sync.mapping import MappingRegistry, MappingTableError, validate_table
from orderdesk.sync.mapping.registry import SCHEMA_FILE, bundled_documents

REGISTRY = MappingRegistry.bundled()
P, PAID, S, CD, CC, ST = "PENDING_PAYMENT", "PAID", "SHIPPED", "CARRIER_DELIVERED", "CUSTOMER_CONFIRMED", "SETTLED"

# (source, status_field or None for the table's own, raw status, context fields, expected)
# expected: fulfilment, refund, cancelled — or "unmapped"
CASES = [
    # Taobao / Tmall trade status
    ("taobao", None, "TRADE_NO_CREATE_PAY", {}, (P, None, False)),
    ("taobao", None, "WAIT_BUYER_PAY", {}, (P, None, False)),
    ("taobao", None, "PAY_PENDING", {}, (P, None, False)),
    ("taobao", None, "WAIT_PRE_AUTH_CONFIRM", {}, (P, None, False)),
    ("taobao", None, "WAIT_SELLER_SEND_GOODS", {}, (PAID, None, False)),
    ("taobao", None, "PAID_FORBID_CONSIGN", {}, (PAID, None, False)),
    ("taobao", None, "SELLER_CONSIGNED_PART", {}, (S, None, False)),  # some goods have left
    ("taobao", None, "WAIT_BUYER_CONFIRM_GOODS", {}, (S, None, False)),
    ("taobao", None, "TRADE_BUYER_SIGNED", {}, (CC, None, False)),
    ("taobao", None, "TRADE_FINISHED", {}, (CC, None, False)),  # buyer confirmed, NOT carrier delivered
    ("taobao", None, "TRADE_CLOSED", {}, (None, "refunded", False)),  # after payment: refunded
    ("taobao", None, "TRADE_CLOSED_BY_TAOBAO", {}, (None, None, True)),  # before payment: cancelled
    # Taobao refund status
    ("taobao", "refund_status", "WAIT_SELLER_AGREE", {}, (None, "refunding", False)),
    ("taobao", "refund_status", "WAIT_BUYER_RETURN_GOODS", {}, (None, "refunding", False)),
    ("taobao", "refund_status", "WAIT_SELLER_CONFIRM_GOODS", {}, (None, "refunding", False)),
    ("taobao", "refund_status", "SELLER_REFUSE_BUYER", {}, (None, "none", False)),
    ("taobao", "refund_status", "CLOSED", {}, (None, "none", False)),
    ("taobao", "refund_status", "SUCCESS", {}, (None, "refunded", False)),
    ("taobao", "refund_status", "NO_REFUND", {}, (None, "none", False)),
    # Douyin order_status (+ main_status)
    ("douyin", None, 1, {}, (P, None, False)),
    ("douyin", None, 1, {"main_status": 103}, (P, None, False)),
    ("douyin", None, 105, {}, (PAID, None, False)),
    ("douyin", None, 2, {}, (PAID, None, False)),
    ("douyin", None, 101, {}, (S, None, False)),  # partly shipped: some goods have left
    ("douyin", None, 3, {}, (S, None, False)),
    ("douyin", None, 4, {"main_status": 21}, (None, "refunded", False)),
    ("douyin", None, 4, {"main_status": 22}, (None, "refunded", False)),
    ("douyin", None, 4, {"main_status": 39}, (None, "refunded", False)),
    ("douyin", None, 4, {"main_status": 4}, (None, None, True)),
    ("douyin", None, 4, {}, "unmapped"),  # ambiguous without main_status: kept, never guessed
    ("douyin", None, 5, {}, (CC, None, False)),  # 已完成 = buyer confirmed
    # Douyin after-sale
    ("douyin", "after_sale_status", 0, {}, (None, "none", False)),
    ("douyin", "after_sale_status", 6, {}, (None, "refunding", False)),
    ("douyin", "after_sale_status", 7, {}, (None, "refunding", False)),
    ("douyin", "after_sale_status", 11, {}, (None, None, False)),
    ("douyin", "after_sale_status", 12, {"refund_status": 3}, (None, "refunded", False)),
    ("douyin", "after_sale_status", 12, {}, (None, None, False)),
    ("douyin", "after_sale_status", 13, {}, (None, None, False)),
    ("douyin", "after_sale_status", 14, {}, (None, None, False)),
    ("douyin", "after_sale_status", 27, {}, (None, "none", False)),
    ("douyin", "after_sale_status", 28, {"refund_status": 1}, (None, "none", False)),
    ("douyin", "after_sale_status", 29, {}, (None, "none", False)),
    ("douyin", "after_sale_status", 51, {}, (None, "none", False)),
    ("douyin", "after_sale_status", 53, {"refund_status": 3}, (None, "refunded", False)),
    ("douyin", "after_sale_status", 53, {}, (None, None, False)),
    ("douyin", "refund_status", 1, {}, (None, "refunding", False)),
    ("douyin", "refund_status", 1, {"after_sale_status": 28}, (None, "none", False)),  # stays 1 after a cancel
    ("douyin", "refund_status", 3, {}, (None, "refunded", False)),
    ("douyin", "refund_status", 4, {}, (None, "none", False)),
    # Pinduoduo
    ("pdd", None, 1, {}, (PAID, None, False)),
    ("pdd", None, 1, {"group_status": 0}, (PAID, None, False)),
    ("pdd", None, 1, {"group_status": 2}, (None, "refunded", True)),  # the platform refunds it
    ("pdd", None, 1, {"confirm_status": 2}, (None, None, True)),
    ("pdd", None, 2, {}, (S, None, False)),
    ("pdd", None, 3, {"receive_time": "2026-01-26 10:00:00"}, (CC, None, False)),
    ("pdd", None, 3, {}, (S, None, False)),  # signed without receive_time: could be the carrier
    ("pdd", "refund_status", 1, {}, (None, "none", False)),
    ("pdd", "refund_status", 2, {}, (None, "refunding", False)),
    ("pdd", "refund_status", 3, {}, (None, "refunding", False)),
    ("pdd", "refund_status", 4, {}, (None, "refunded", False)),
    # WeChat Channels
    ("wechat_channels", None, 10, {}, (P, None, False)),
    ("wechat_channels", None, 12, {}, (PAID, None, False)),
    ("wechat_channels", None, 13, {}, (PAID, None, False)),
    ("wechat_channels", None, 20, {}, (PAID, None, False)),
    ("wechat_channels", None, 21, {}, (S, None, False)),
    ("wechat_channels", None, 30, {}, (S, None, False)),
    ("wechat_channels", None, 100, {}, (CC, None, False)),
    ("wechat_channels", None, 190, {}, (None, "refunded", True)),  # oversold: refunded by the platform
    ("wechat_channels", None, 200, {}, (None, "refunded", False)),
    ("wechat_channels", None, 250, {}, (None, None, True)),
    # Youzan
    ("youzan", None, "WAIT_BUYER_PAY", {}, (P, None, False)),
    ("youzan", None, "TRADE_PAID", {}, (PAID, None, False)),
    ("youzan", None, "WAIT_CONFIRM", {}, (PAID, None, False)),
    ("youzan", None, "WAIT_SELLER_SEND_GOODS", {}, (PAID, None, False)),
    ("youzan", None, "WAIT_BUYER_CONFIRM_GOODS", {}, (S, None, False)),
    ("youzan", None, "TRADE_SUCCESS", {}, (CC, None, False)),
    ("youzan", None, "TRADE_CLOSED", {"pay_time": "2026-01-01 10:00:00"}, (None, "refunded", False)),
    ("youzan", None, "TRADE_CLOSED", {}, (None, None, True)),
    ("youzan", "refund_status", "WAIT_SELLER_AGREE", {}, (None, "refunding", False)),
    ("youzan", "refund_status", "WAIT_BUYER_RETURN_GOODS", {}, (None, "refunding", False)),
    ("youzan", "refund_status", "WAIT_SELLER_CONFIRM_GOODS", {}, (None, "refunding", False)),
    ("youzan", "refund_status", "SELLER_REFUSE_BUYER", {}, (None, "none", False)),
    ("youzan", "refund_status", "SELLER_REFUSE_BUYER_RETURN_GOODS", {}, (None, "none", False)),
    ("youzan", "refund_status", "CLOSED", {}, (None, "none", False)),
    ("youzan", "refund_status", "SUCCESS", {}, (None, "refunded", False)),
    # Own mini-program
    ("miniapp", None, "CREATED", {}, (P, None, False)),
    ("miniapp", None, "PAID", {}, (PAID, None, False)),
    ("miniapp", None, "SHIPPED", {}, (S, None, False)),
    ("miniapp", None, "RECEIVED", {}, (CC, None, False)),
    ("miniapp", None, "CANCELLED", {}, (None, None, True)),
    ("miniapp", None, "CLOSED_REFUNDED", {}, (None, "refunded", False)),
    ("miniapp", "refund_status", "REQUESTED", {}, (None, "refunding", False)),
    ("miniapp", "refund_status", "REJECTED", {}, (None, "none", False)),
    ("miniapp", "refund_status", "WITHDRAWN", {}, (None, "none", False)),
    ("miniapp", "refund_status", "REFUNDED", {}, (None, "refunded", False)),
    # Kuaidi100 base and detailed states
    *[("kuaidi100", None, s, {}, (S, None, False)) for s in (0, 1, 5, 7, 8, 10, 11, 12, 103, 501, 1001, 1002, 1003)],
    *[("kuaidi100", None, s, {}, (None, None, False)) for s in (13, *range(201, 211))],  # problems: exceptions
    *[("kuaidi100", None, s, {}, (CD, None, False)) for s in (3, 301, 302, 303, 304)],
    *[("kuaidi100", None, s, {}, (None, None, False)) for s in (2, 4, 6, 14, 101, 102, 401)],
    *[("kuaidi100", "push_status", s, {}, (None, None, False)) for s in ("polling", "shutdown", "abort", "updateall")],
    # Cainiao logistics status: only 3 is from the seed article, the rest assumed (tests/sync/test_cainiao_mapping.py)
    ("cainiao", None, 3, {}, (CD, None, False)),
    *[("cainiao", None, s, {}, (S, None, False)) for s in (1, 2, 5)],
    *[("cainiao", None, s, {}, (None, None, False)) for s in (4, 6)],
    # Finance
    ("finance", None, "PENDING", {}, (None, None, False)),
    ("finance", None, "PAYMENT_RECEIVED", {}, (PAID, None, False)),
    ("finance", None, "SETTLED", {}, (ST, None, False)),
    ("finance", None, "REFUND_SETTLED", {}, (None, "refunded", False)),
    ("finance", None, "REVERSED", {}, (None, None, False)),
    # WeChat Channels after-sale
    *[
        ("wechat_channels", "aftersale_status", s, {}, (None, "refunding", False))
        for s in (
            "MERCHANT_PROCESSING",
            "USER_WAIT_RETURN",
            "MERCHANT_WAIT_RECEIPT",
            "PLATFORM_REFUNDING",
            "USER_WAIT_CONFIRM",
            "USER_WAIT_CONFIRM_UPDATE",
            "USER_WAIT_HANDLE_MERCHANT_AFTER_SALE",
            "MERCHANT_OVERDUE_REFUND",
            "PLATFORM_REFUND_FAIL",
        )
    ],
    ("wechat_channels", "aftersale_status", "MERCHANT_REFUND_RETRY_FAIL", {}, (None, "none", False)),
    ("wechat_channels", "aftersale_status", "MERCHANT_EXCHANGE_SUCCESS", {}, (None, "none", False)),
    *[
        ("wechat_channels", "aftersale_status", s, {}, (None, "refunded", False))
        for s in ("MERCHANT_REFUND_SUCCESS", "MERCHANT_RETURN_SUCCESS")
    ],
    *[
        ("wechat_channels", "aftersale_status", s, {}, (None, "none", False))
        for s in ("USER_CANCELD", "MERCHANT_REJECT_REFUND", "MERCHANT_REJECT_RETURN", "RETURN_CLOSED", "MERCHANT_FAIL")
    ],
    # Douyin: 8 and refund_status 0/2/5
    ("douyin", "after_sale_status", 8, {}, (None, None, False)),
    ("douyin", "refund_status", 0, {}, (None, "none", False)),
    ("douyin", "refund_status", 2, {}, (None, "refunding", False)),
    ("douyin", "refund_status", 5, {}, (None, None, False)),
    # One record, several status fields: each axis read, merged (Pinduoduo 未发货，退款成功)
    ("pdd", None, 1, {"refund_status": 4}, (PAID, "refunded", False)),
    ("douyin", "after_sale_status", 6, {"order_status": 105, "refund_status": 1}, (PAID, "refunding", False)),
    ("pdd", None, 1, {"group_status": 2, "refund_status": 4}, (None, "refunded", True)),
]


@pytest.mark.parametrize(("source", "field", "raw", "context", "expected"), CASES)
def test_real_enumeration_maps_to_its_meaning(source, field, raw, context, expected):
    table = REGISTRY.table(source)
    mapped = table.map({**context, (field or table.status_field): raw}, field)
    if expected == "unmapped":
        assert mapped.unmapped and mapped.fulfilment is None
        return
    fulfilment, refund, cancelled = expected
    assert not mapped.unmapped, f"{source} {raw} should be mapped"
    assert (mapped.fulfilment, mapped.refund, mapped.cancelled) == (fulfilment, refund, cancelled)
    assert mapped.mapping_version == f"{source}@{table.version}"


def test_every_bundled_rule_is_exercised_by_a_case():
    exercised = set()
    for source, field, raw, context, _ in CASES:
        table = REGISTRY.table(source)
        rule_id = table.map({**context, (field or table.status_field): raw}, field).rule_id
        exercised.update((rule_id or "").split("+"))  # a record read on several axes names each rule
    all_rules = {rule["id"] for doc in bundled_documents() for rule in doc["rules"]}
    assert all_rules - exercised == set()


def test_unknown_status_is_unmapped_not_an_error():
    for source in REGISTRY.sources:
        mapped = REGISTRY.table(source).map_status("NO_SUCH_STATUS_42")
        assert mapped.unmapped and mapped.fulfilment is None and mapped.refund is None


def test_schema_and_every_table_validate():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_FILE.read_text()))
    documents = bundled_documents()
    assert {d["source"] for d in documents} == {
        "taobao", "douyin", "pdd", "wechat_channels", "youzan", "miniapp", "kuaidi100", "cainiao", "finance"
    }  # fmt: skip
    for document in documents:
        validate_table(document)
        assert document["references"], f"{document['source']} names no sources"


def _taobao() -> dict:
    return copy.deepcopy(next(d for d in bundled_documents() if d["source"] == "taobao"))


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(version="one"), "$.version"),
        (lambda d: d["rules"][3]["then"].update(fulfilment="DELIVERED"), "$.rules[3].then.fulfilment"),
        (lambda d: d["rules"][5].pop("when"), "$.rules[5]"),
        (lambda d: d["rules"][2].update(id=d["rules"][1]["id"]), "$.rules[2].id"),
        (lambda d: d["rules"][0]["then"].update(fulfilment="CARRIER_DELIVERED"), "$.rules[0].then.fulfilment"),
        (lambda d: d.update(extra=1), "$"),
    ],
)
def test_a_bad_table_is_refused_with_the_json_path_of_the_error(mutate, path):
    document = _taobao()
    mutate(document)
    with pytest.raises(MappingTableError) as caught:
        validate_table(document)
    assert caught.value.json_path == path
