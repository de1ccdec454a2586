"""Whether an order's state lets its label print. A cancelled or fully refunded order must not ship:
its label is refused unless a supervisor overrides, with a reason that is audited. An order already
shipped, one with a refund open, or one not yet paid prints only after the packer confirms (the CLI:
``--confirm``). Everything else prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from orderdesk.printing.errors import PrintingError
from orderdesk.sync.said import Said

SHIPPED_OR_LATER = frozenset({"SHIPPED", "CARRIER_DELIVERED", "CUSTOMER_CONFIRMED", "SETTLED"})


@dataclass(frozen=True)
class Verdict:
    level: Literal["ok", "confirm", "refuse"]
    code: str  # ok | cancelled | refunded | shipped | refunding | unpaid
    said: Said  # why, for the packer (empty for ok)


PRINTABLE = Verdict("ok", "ok", Said(zh="", en=""))


def verdict(document: Mapping[str, Any]) -> Verdict:
    """What the order's canonical state says about printing its label now."""
    domain_id = document.get("domain_id", "")
    fulfilment, refund = document.get("fulfilment"), document.get("refund")
    if document.get("cancelled"):
        return Verdict("refuse", "cancelled", Said(en=f"order {domain_id} is cancelled: do not ship it",
                                                   zh=f"订单 {domain_id} 已取消:不要发货"))  # fmt: skip
    if refund == "refunded":
        return Verdict("refuse", "refunded", Said(en=f"order {domain_id} is fully refunded: do not ship it",
                                                  zh=f"订单 {domain_id} 已全额退款:不要发货"))  # fmt: skip
    if fulfilment in SHIPPED_OR_LATER:
        return Verdict("confirm", "shipped", Said(en=f"order {domain_id} has already shipped: is this label really needed?",
                                                  zh=f"订单 {domain_id} 已发货:确定还要打印面单吗?"))  # fmt: skip
    if refund == "refunding":
        return Verdict("confirm", "refunding", Said(en=f"order {domain_id} has a refund open: check before shipping",
                                                    zh=f"订单 {domain_id} 有进行中的退款:发货前请先确认"))  # fmt: skip
    if refund == "partially_refunded":
        return Verdict("confirm", "partly_refunded",
                       Said(en=f"part of order {domain_id} was refunded: pack only the lines not refunded",
                            zh=f"订单 {domain_id} 已部分退款:只装未退款的商品"))  # fmt: skip
    if fulfilment in (None, "PENDING_PAYMENT"):
        return Verdict(
            "confirm", "unpaid", Said(en=f"order {domain_id} is not paid yet", zh=f"订单 {domain_id} 尚未付款")
        )
    return PRINTABLE


def require_printable(document: Mapping[str, Any], *, override: str | None, confirmed: bool) -> Verdict:
    """The verdict, or a PrintingError when it stops the print: a refusal without an override
    reason, or a warning nobody confirmed."""
    found = verdict(document)
    if found.level == "refuse" and not (override and override.strip()):
        raise PrintingError(
            en=f"{found.said.en} (a supervisor may override it, with a reason)",
            zh=f"{found.said.zh}(主管可填写原因后强制打印)",
        )
    if found.level == "confirm" and not confirmed and not (override and override.strip()):
        raise PrintingError(en=f"{found.said.en} (confirm to print anyway)", zh=f"{found.said.zh}(确认后才会打印)")
    return found
