"""What a label says, field by field, taken from an order document (`orderdesk orders show --json`,
or `sync.cache.queries.order_document`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from orderdesk.printing.errors import PrintingError

CHINA = timezone(timedelta(hours=8))
_PHONE_DIGITS = re.compile(r"\d")


def mask_phone(phone: str) -> str:
    """The platforms' rule for a phone on a label: the first 3 and last 4 digits of a mobile number,
    the rest as `*`; a number the platform already masked, or a privacy number's extension
    (`138…-1234`), keeps what the platform chose to show."""
    if not phone or "*" in phone:
        return phone
    number, dash, extension = phone.partition("-")
    if dash and len(number) == 11 and number.isdigit():
        return f"{number[:3]}****{number[-4:]}-{extension}"
    digits = _PHONE_DIGITS.findall(number)
    if len(digits) < 7:
        return phone
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] + (dash + extension if dash else "")


def _items(lines: list[Mapping[str, Any]]) -> str:
    return ";".join(f"{line.get('title') or line.get('sku')} ×{line.get('quantity', 1)}" for line in lines)


def field_values(
    document: Mapping[str, Any],
    template: Mapping[str, Any],
    *,
    printed_at: datetime | None = None,
    sender: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every field a template can print, as text (unmasked: masking is the template's choice)."""
    try:
        receiver = document["receiver"]
        domain_id = str(document["domain_id"])
    except (KeyError, TypeError) as exc:
        raise PrintingError(
            en=f"the order document has no {exc}: give what `orderdesk orders show --json` prints",
            zh=f"订单文档缺少 {exc}:请提供 `orderdesk orders show --json` 输出的文档",
        ) from exc
    who = {**template["sender"], **(sender or {})}
    address = "".join(receiver.get(k) or "" for k in ("province", "city", "district"))
    street = receiver.get("address") or ""
    return {
        "receiver_name": receiver.get("name") or "",
        "receiver_phone": receiver.get("phone") or "",
        "receiver_address": f"{address} {street}".strip() if address and street else address + street,
        "sender_name": who["name"],
        "sender_phone": who["phone"],
        "sender_address": who["address"],
        "waybill_no": document.get("waybill_no") or "",
        "carrier": document.get("carrier") or "",
        "domain_id": domain_id,
        "channel_order_no": document.get("channel_order_no") or "",
        "items": _items(document.get("lines") or []),
        "print_time": (printed_at or datetime.now(CHINA)).astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
        "buyer_note": document.get("buyer_note") or "",
    }
