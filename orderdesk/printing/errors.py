"""Errors of the printing pipeline: each names what was wrong in Chinese and in English, and says
whether trying the same thing again can help (``retryable``).

    PrintingError                 anything a packer or an administrator can act on (not retryable)
    ├── PrinterUnreachable        the job did not reach the printer: off, asleep, cable, connection
    │   │                         reset while sending, queue not accepting jobs — retrying can help
    │   └── PrinterMisconfigured  …because of how the printer is set up (no CUPS here, no such queue,
    │                             an address that names no machine): retrying cannot help; the message
    │                             says what to change in Settings → Printers
    ├── PrinterSettingRefused     a printer's setting refused when added or edited, or in printers.json;
    │                             names the field and the value
    └── LabelIncomplete           a label's required field is empty (no waybill no.): not printed
"""

from __future__ import annotations

from orderdesk.sync.errors import BilingualError

VALUE_SHOWN = 60  # characters of a refused value repeated in a message
FIELD_TITLES = {  # how a message names a label's field: (zh, en)
    "receiver_name": ("收件人", "receiver"),
    "receiver_phone": ("收件人电话", "receiver's phone"),
    "receiver_address": ("收件地址", "receiver's address"),
    "sender_name": ("寄件人", "sender"),
    "sender_phone": ("寄件人电话", "sender's phone"),
    "sender_address": ("寄件地址", "sender's address"),
    "items": ("商品", "items"),
    "carrier": ("快递公司", "carrier"),
    "waybill_no": ("运单号", "waybill no."),
    "domain_id": ("统一订单号", "unified id"),
    "channel_order_no": ("渠道订单号", "channel order no."),
    "buyer_note": ("买家留言", "buyer's note"),
    "print_time": ("打印时间", "print time"),
}


def shown(value: object) -> str:
    """A refused value as a message repeats it: quoted, control characters escaped, cut short."""
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 2] + "…" + text[0]


class PrintingError(BilingualError):
    """Something a packer or an administrator can act on. ``str()`` is the English form."""

    retryable = False


class PrinterUnreachable(PrintingError):
    """The printer did not take the job (connection refused, timed out, reset, queue refused it)."""

    retryable = True


class PrinterMisconfigured(PrinterUnreachable):
    """The job cannot reach the printer as it is set up: change the setting, then print again."""

    retryable = False


class PrinterSettingRefused(PrintingError):
    """A printer setting that cannot work, naming the field and the value."""

    def __init__(self, field: str, value: object, *, en: str, zh: str) -> None:
        super().__init__(en=f"{field} {shown(value)}: {en}", zh=f"{field} {shown(value)}:{zh}")
        self.field = field
        self.value = value


class LabelIncomplete(PrintingError):
    """A field the template requires is empty; the label is not printed."""

    def __init__(self, domain_id: str, fields: list[str], job_id: int | None = None) -> None:
        zh = "、".join(FIELD_TITLES.get(f, (f, f))[0] for f in fields)
        en = ", ".join(FIELD_TITLES.get(f, (f, f))[1] for f in fields)
        super().__init__(
            en=f"order {domain_id} has no {en}, which the label needs: not printed "
            "(complete the order at the order centre, let it sync, then print)",
            zh=f"订单 {domain_id} 缺少{zh},面单必须有:未打印(请在订单中心补全,同步后再打印)",
        )
        self.domain_id = domain_id
        self.fields = fields
        self.job_id = job_id
