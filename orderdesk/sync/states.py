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
    # No longer raised (every state implies the ones before it); kept so older caches still read.
    SKIPPED_STEP = "skipped_step"
    EVIDENCE_VIOLATION = "evidence_violation"  # e.g. a channel claiming carrier delivery
    UNMAPPED_STATUS = "unmapped_status"  # no mapping rule knows this raw status
    REFUND_REGRESSION = "refund_regression"  # a refunded line reported as not refunded afterwards
    UNKNOWN_LINE = "unknown_line"  # a line-level observation naming a line the order does not have
    AFTER_CANCEL = "after_cancel"  # fulfilment advanced after the order was cancelled
    MISSING_PAID_AMOUNT = "missing_paid_amount"  # paid, but the paid amount is unknown
    SOURCE_EXCEPTION = "source_exception"  # carrier problem, refusal, return; a reversed settlement
    SHIPPED_AFTER_REFUND = "shipped_after_refund"  # goods left after a full refund before shipment (拦截失败)


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
    AnomalyKind.SHIPPED_AFTER_REFUND: ("全额退款后仍发货", "Shipped after a full refund"),
}


class Outcome(StrEnum):
    """Where an order ended up, from both axes together: what every consumer reads instead of
    fulfilment alone (a returned order may still read 客户签收 on the fulfilment axis)."""

    OPEN = "open"  # on its way
    COMPLETED = "completed"  # the buyer has it and kept at least part of it
    RETURNED = "returned"  # refunded in full after the goods left
    CLOSED = "closed"  # cancelled, or refunded in full before the goods left


OUTCOME_LABELS: dict[Outcome, tuple[str, str]] = {
    Outcome.OPEN: ("进行中", "In progress"),
    Outcome.COMPLETED: ("已完成", "Completed"),
    Outcome.RETURNED: ("已退货退款", "Returned and refunded"),
    Outcome.CLOSED: ("已关闭", "Closed"),
}


def outcome(fulfilment: str | None, refund: str | None, cancelled: bool) -> Outcome:
    """The order's outcome from its fulfilment, refund state and cancellation."""
    shipped = fulfilment is not None and Fulfilment(fulfilment).rank >= Fulfilment.SHIPPED.rank
    if refund == RefundState.REFUNDED:
        return Outcome.RETURNED if shipped else Outcome.CLOSED
    if cancelled and not shipped:
        return Outcome.CLOSED
    if fulfilment is not None and Fulfilment(fulfilment).rank >= Fulfilment.CUSTOMER_CONFIRMED.rank:
        return Outcome.COMPLETED
    return Outcome.OPEN


# The SQL form of ``outcome`` over the orders table (the browser filters on it).
OUTCOME_SQL = (
    "CASE WHEN o.refund = 'refunded' THEN "
    "CASE WHEN o.fulfilment IN ('SHIPPED','CARRIER_DELIVERED','CUSTOMER_CONFIRMED','SETTLED') "
    "THEN 'returned' ELSE 'closed' END "
    "WHEN o.cancelled = 1 AND COALESCE(o.fulfilment, '') NOT IN "
    "('SHIPPED','CARRIER_DELIVERED','CUSTOMER_CONFIRMED','SETTLED') THEN 'closed' "
    "WHEN o.fulfilment IN ('CUSTOMER_CONFIRMED','SETTLED') THEN 'completed' ELSE 'open' END"
)
