"""What the order's trail is called in words, Chinese and English, for the console and the CLI alike:
sources, how an observation was taken, timeline events, audit actions, print job states, and the
mapping rule that read a raw status. Each table gives (zh, en); an unknown value is shown as it is."""

from __future__ import annotations

from functools import cache

from orderdesk.sync.states import ANOMALY_LABELS, FULFILMENT_LABELS, OUTCOME_LABELS, AnomalyKind, EventKind, Fulfilment

SOURCES: dict[str, tuple[str, str]] = {
    "taobao": ("淘宝/天猫", "Taobao/Tmall"),
    "douyin": ("抖店", "Douyin"),
    "pdd": ("拼多多", "Pinduoduo"),
    "wechat_channels": ("微信视频号", "WeChat Channels"),
    "youzan": ("有赞", "Youzan"),
    "miniapp": ("自有小程序", "Own mini-program"),
    "cainiao": ("菜鸟", "Cainiao"),
    "kuaidi100": ("快递100", "Kuaidi100"),
    "finance": ("财务", "Finance"),
    "console": ("控制台", "Console"),
    "mapping": ("映射表", "Mapping table"),
}

SOURCE_SYSTEMS: dict[str, tuple[str, str]] = {
    "channel": ("渠道", "channel"),
    "logistics": ("物流", "logistics"),
    "finance": ("财务", "finance"),
    "console": ("控制台", "console"),
}

OUTCOMES: dict[str, tuple[str, str]] = {
    "applied": ("已采用", "applied"),
    "evidence": ("补记已过步骤的事件", "records a step already passed"),
    "corroborating": ("佐证(状态不变)", "corroborates (no change)"),
    "context": ("仅作背景", "context only"),
    "anomaly": ("记为异常,未采用", "an anomaly, not applied"),
    "exception": ("来源报告异常", "the source reports a problem"),
    "unmapped": ("未映射", "unmapped"),
}

EVENTS: dict[str, tuple[str, str]] = {
    EventKind.CREATED: ("下单", "created"),
    EventKind.PAID: ("支付", "paid"),
    EventKind.SHIPPED: ("发货", "shipped"),
    EventKind.CARRIER_DELIVERED: ("物流签收", "carrier delivered"),
    EventKind.CUSTOMER_CONFIRMED: ("客户签收", "customer confirmed"),
    EventKind.SETTLED: ("结算", "settled"),
    EventKind.CANCELLED: ("取消", "cancelled"),
    EventKind.REFUND_REQUESTED: ("申请退款", "refund requested"),
    EventKind.REFUNDED: ("退款", "refunded"),
    EventKind.INVOICED: ("开票", "invoiced"),
    EventKind.RED_INVOICED: ("红冲", "red-letter invoice"),
    EventKind.LABEL_PRINTED: ("打印面单", "label printed"),
}

AUDIT_ACTIONS: dict[str, tuple[str, str]] = {
    "order.created": ("订单建立", "order created"),
    "order.state": ("状态变更", "state changed"),
    "order.updated": ("订单资料更新", "order details updated"),
    "label.print": ("打印面单", "label printed"),
    "label.reprint": ("补打面单", "label reprinted"),
    "label.override": ("强制打印(主管)", "printed by a supervisor's override"),
    "quarantine.resolved": ("隔离记录已重新提交", "quarantined record resubmitted"),
    "quarantine.discarded": ("隔离记录已丢弃", "quarantined record discarded"),
    "mapping.import": ("导入映射表", "mapping table imported"),
    "order.brought_back": ("从订单中心取回(保留期外)", "brought back from the hub (older than the retention window)"),
    "cache.prune": ("移出保留期外的已结束订单", "closed orders older than the retention window removed"),
}

PRINT_STATES: dict[str, tuple[str, str]] = {
    "queued": ("排队中", "queued"),
    "rendering": ("生成中", "rendering"),
    "sent": ("已发送,未确认", "sent, not confirmed"),
    "done": ("已打印", "printed"),
    "failed": ("失败", "failed"),
    "dismissed": ("已忽略", "dismissed"),
}

# Where an order ended up (sync.states.outcome), by value.
OUTCOME_WORDS: dict[str, tuple[str, str]] = {outcome.value: words for outcome, words in OUTCOME_LABELS.items()}

REFUNDS: dict[str, tuple[str, str]] = {
    "none": ("无退款", "none"),
    "refunding": ("退款中", "refunding"),
    "partially_refunded": ("部分退款", "partially refunded"),
    "refunded": ("已全额退款", "refunded"),
}


def label(table: dict[str, tuple[str, str]], value: str | None) -> tuple[str, str]:
    """(zh, en) for ``value``; the value itself (or an empty pair) when the table has no words for it."""
    if value is None:
        return ("", "")
    return table.get(value, (value, value))


def fulfilment_label(value: str | None, cancelled: bool = False) -> tuple[str, str]:
    if cancelled:
        return ("已取消", "cancelled")
    return FULFILMENT_LABELS[Fulfilment(value)] if value else ("—", "—")


def anomaly_label(kind: str) -> tuple[str, str]:
    return ANOMALY_LABELS[AnomalyKind(kind)] if kind in AnomalyKind.__members__.values() else (kind, kind)


@cache
def _rules() -> dict[str, tuple[str, str]]:
    from orderdesk.sync.mapping.registry import bundled_documents

    return {
        rule["id"]: (rule["label"]["zh"], rule["label"]["en"])
        for document in bundled_documents()
        for rule in document["rules"]
        if "label" in rule
    }


def rule_label(rule_id: str | None) -> tuple[str, str]:
    """The words of the mapping rule that read a raw status (its id when the rule has none)."""
    if not rule_id:
        return ("未映射", "unmapped")
    return _rules().get(rule_id, (rule_id, rule_id))


# What a source's exception signal means (the mapping tables' ``signal`` of an exception rule).
SIGNALS: dict[str, tuple[str, str]] = {
    "logistics_problem": ("物流疑难件", "a problem parcel"),
    "overdue_unsigned": ("超时未签收", "not signed for in time"),
    "tracking_stale": ("超时未更新", "no tracking update for too long"),
    "refused": ("收件人拒收", "refused by the recipient"),
    "delivery_failed": ("派件异常", "delivery failed"),
    "uncollected": ("柜或驿站超时未取", "not collected from the locker or station"),
    "recipient_unreachable": ("无法联系收件人", "the recipient cannot be reached"),
    "out_of_area": ("超出派送范围", "outside the delivery area"),
    "held": ("快件滞留", "held up"),
    "damaged": ("快件破损", "damaged"),
    "waybill_cancelled": ("运单已销单", "the waybill was cancelled"),
    "returned_to_sender": ("退回并由寄件人签收", "returned and signed for by the sender"),
    "returning": ("正在退回", "being returned"),
    "customs_problem": ("清关异常", "a customs problem"),
    "tracking_aborted": ("物流订阅中止", "tracking subscription aborted"),
    "settlement_reversed": ("结算被冲销", "the settlement was reversed"),
    "refund_failed": ("退款失败", "the refund failed"),
    "refund_recovered": ("退款已被追缴", "the refund was recovered from the buyer"),
}
