"""Canonical order states, the source systems that may evidence them, and anomaly kinds."""

from __future__ import annotations

from enum import StrEnum


class Fulfilment(StrEnum):
    """The fulfilment axis, in order: 待支付 → 已支付 → 已发货 → 物流签收 → 客户签收 → 结算完成."""

    PENDING_PAYMENT = "PENDING_PAYMENT"
    PAID = "PAID"
    SHIPPED = "SHIPPED"
    CARRIER_DELIVERED = "CARRIER_DELIVERED"
    CUSTOMER_CONFIRMED = "CUSTOMER_CONFIRMED"
    SETTLED = "SETTLED"

    @property
    def rank(self) -> int:
        return _RANK[self]


FULFILMENT_ORDER: tuple[Fulfilment, ...] = tuple(Fulfilment)
_RANK: dict[Fulfilment, int] = {state: index for index, state in enumerate(FULFILMENT_ORDER)}

FULFILMENT_LABELS: dict[Fulfilment, tuple[str, str]] = {
    Fulfilment.PENDING_PAYMENT: ("待支付", "Pending payment"),
    Fulfilment.PAID: ("已支付", "Paid"),
    Fulfilment.SHIPPED: ("已发货", "Shipped"),
    Fulfilment.CARRIER_DELIVERED: ("物流签收", "Carrier delivered"),
    Fulfilment.CUSTOMER_CONFIRMED: ("客户签收", "Customer confirmed"),
    Fulfilment.SETTLED: ("结算完成", "Settled"),
}


class RefundState(StrEnum):
    """The refund axis of an order; never overwrites fulfilment."""

    NONE = "none"
    REFUNDING = "refunding"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class LineRefund(StrEnum):
    """Refund state of one order line, as a mapping table reports it."""

    NONE = "none"  # no request, or the request was closed, refused or withdrawn
    REFUNDING = "refunding"  # a request is open
    REFUNDED = "refunded"  # money went back; terminal


class SourceSystem(StrEnum):
    CHANNEL = "channel"
    LOGISTICS = "logistics"
    FINANCE = "finance"


# Evidence rules: which kind of source system may establish each state. Carrier delivery only from
# logistics, customer confirmation only from the channel, settlement only from finance.
EVIDENCE: dict[Fulfilment, frozenset[SourceSystem]] = {
    Fulfilment.PENDING_PAYMENT: frozenset({SourceSystem.CHANNEL}),
    Fulfilment.PAID: frozenset({SourceSystem.CHANNEL, SourceSystem.FINANCE}),
    Fulfilment.SHIPPED: frozenset({SourceSystem.CHANNEL, SourceSystem.LOGISTICS}),
    Fulfilment.CARRIER_DELIVERED: frozenset({SourceSystem.LOGISTICS}),
    Fulfilment.CUSTOMER_CONFIRMED: frozenset({SourceSystem.CHANNEL}),
    Fulfilment.SETTLED: frozenset({SourceSystem.FINANCE}),
}


class EventKind(StrEnum):
    """The order's atomic events (订单原子事件)."""

    CREATED = "created"
    PAID = "paid"
    SHIPPED = "shipped"
    CARRIER_DELIVERED = "carrier_delivered"
    CUSTOMER_CONFIRMED = "customer_confirmed"
    SETTLED = "settled"
    CANCELLED = "cancelled"
    REFUND_REQUESTED = "refund_requested"
    REFUNDED = "refunded"
    INVOICED = "invoiced"
    RED_INVOICED = "red_invoiced"
    LABEL_PRINTED = "label_printed"


EVENT_FOR_STATE: dict[Fulfilment, EventKind | None] = {
    Fulfilment.PENDING_PAYMENT: None,  # covered by `created`
    Fulfilment.PAID: EventKind.PAID,
    Fulfilment.SHIPPED: EventKind.SHIPPED,
    Fulfilment.CARRIER_DELIVERED: EventKind.CARRIER_DELIVERED,
    Fulfilment.CUSTOMER_CONFIRMED: EventKind.CUSTOMER_CONFIRMED,
    Fulfilment.SETTLED: EventKind.SETTLED,
}


class AnomalyKind(StrEnum):
    REGRESSION = "regression"  # an observation that would move the order backwards
    SKIPPED_STEP = "skipped_step"  # the order reached a state with no evidence for the one before
    EVIDENCE_VIOLATION = "evidence_violation"  # e.g. a channel claiming carrier delivery
    UNMAPPED_STATUS = "unmapped_status"  # no mapping rule knows this raw status
    REFUND_REGRESSION = "refund_regression"  # a refunded line reported as not refunded afterwards
    UNKNOWN_LINE = "unknown_line"  # a line-level observation naming a line the order does not have
    AFTER_CANCEL = "after_cancel"  # fulfilment advanced after the order was cancelled
    MISSING_PAID_AMOUNT = "missing_paid_amount"  # paid, but the paid amount is unknown
    SOURCE_EXCEPTION = "source_exception"  # carrier problem, refusal, return; a reversed settlement


ANOMALY_LABELS: dict[AnomalyKind, tuple[str, str]] = {
    AnomalyKind.REGRESSION: ("状态倒退", "State moved backwards"),
    AnomalyKind.SKIPPED_STEP: ("状态跳步", "Skipped a state"),
    AnomalyKind.EVIDENCE_VIOLATION: ("来源无权证明该状态", "Source cannot evidence this state"),
    AnomalyKind.UNMAPPED_STATUS: ("未映射的原始状态", "Unmapped raw status"),
    AnomalyKind.REFUND_REGRESSION: ("退款状态倒退", "Refund state moved backwards"),
    AnomalyKind.UNKNOWN_LINE: ("未知订单行", "Unknown order line"),
    AnomalyKind.AFTER_CANCEL: ("取消后仍有履约", "Fulfilment after cancellation"),
    AnomalyKind.MISSING_PAID_AMOUNT: ("缺少实收金额", "Paid amount missing"),
    AnomalyKind.SOURCE_EXCEPTION: ("来源系统报告异常", "Source system reports an exception"),
}
