"""The wire contract for orders and observations, and the rules a record must meet to be applied.

A record that breaks a rule is refused with errors that each name the field and the value; the cache
keeps it in quarantine, and the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from annotated_types import GroupedMetadata
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
    model_validator,
)

from orderdesk.sync import text_rules
from orderdesk.sync.domain_id import CHINA_TZ, is_domain_id
from orderdesk.sync.record_errors import DOMAIN_ID_PATTERN, PHONE_PATTERN, Invalid

MAX_FEN = 10**12  # ten billion yuan: anything above is a unit mistake, not an order


def _code(max_length: int, min_length: int = 0, pattern: str = text_rules.CODE_PATTERN) -> StringConstraints:
    """The rules of a code as a record may carry it (an order no., a status, an id): trimmed, bounded,
    and without controls, direction changes or any invisible format character (sync/text_rules.py).
    Written ``Annotated[StrictStr, _code(…)]``: a type checker reads a ``str``."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=pattern)


def _tidied(min_length: int) -> Callable[[str], str]:
    def tidy(value: str) -> str:
        tidied = text_rules.tidy(value)
        if tidied is not value and len(tidied) < min_length:
            index = next(i for i in range(len(value)) if text_rules.removable(value, i))
            point = f"U+{ord(value[index]):04X}"
            raise Invalid(
                en=f"nothing is left once the invisible characters are removed ({point} at position {index + 1})",
                zh=f"去掉不可见字符(第 {index + 1} 个字符 {point})后内容为空",
            )
        return tidied

    return tidy


@dataclass(frozen=True, slots=True)
class _Written(GroupedMetadata):
    """The rules of text a person wrote (a name, an address, a note): as a code's, except that invisible
    format characters that do nothing where they stand are removed rather than refused
    (sync/text_rules.py). Written ``Annotated[StrictStr, _Written(…)]``: a type checker reads a ``str``."""

    max_length: int
    min_length: int = 0

    def __iter__(self) -> Iterator[object]:
        yield _code(self.max_length, self.min_length, text_rules.TEXT_PATTERN)
        yield AfterValidator(_tidied(self.min_length))


def _china_time(value: datetime) -> datetime:
    """Platforms send Beijing time without an offset: a naive time is taken as UTC+8. A time outside
    the years 1970–2099 is a mistake (and year 1 at +14:00 cannot even be shown in Beijing time).
    (The year, not a comparison of aware times: that costs 1 µs a record, measured.)"""
    value = value.replace(tzinfo=CHINA_TZ) if value.tzinfo is None else value
    if not 1970 <= value.year <= 2099:
        raise Invalid(en="a time between 1970 and 2099 is expected", zh="时间应在 1970 年至 2099 年之间")
    return value


def _domain_id(value: str) -> str:
    if not is_domain_id(value):  # the pattern holds; the date must be a real one too
        raise Invalid(
            en="a unified id is DB + yyyymmdd (a real date) + 12 characters of 0-9 A-Z without I and O",
            zh="统一订单号格式为 DB + 真实日期(年月日 8 位)+ 12 位字符(0-9、A-Z,不含 I 和 O)",
        )
    return value


Fen = Annotated[StrictInt, Field(ge=0, le=MAX_FEN)]
Code = Annotated[StrictStr, _code(64, 1)]
Timestamp = Annotated[datetime, AfterValidator(_china_time)]
DomainId = Annotated[StrictStr, _code(22, 22, DOMAIN_ID_PATTERN), AfterValidator(_domain_id)]
Phone = Annotated[StrictStr, _code(32, 0, PHONE_PATTERN)]
Scalar = Annotated[StrictStr, _code(256)] | StrictInt | None


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Receiver(_Record):
    name: Annotated[StrictStr, _Written(64, 1)]
    phone: Phone = ""
    province: Annotated[StrictStr, _Written(32)] = ""
    city: Annotated[StrictStr, _Written(32)] = ""
    district: Annotated[StrictStr, _Written(32)] = ""
    address: Annotated[StrictStr, _Written(256)] = ""


class InvoiceRequest(_Record):
    """The buyer's invoice profile as an order carries it (``invoicing.profile``): a channel's invoice
    request, or the own mini-program's B2B buyer. Only its shape is checked here; whether it can be
    invoiced is ``invoicing.profile.check_profile`` (the own mini-program's 专票 requests are refused
    at entry when incomplete; a channel's incomplete request is taken and waits in 资料缺失)."""

    kind: Literal["pc", "bs"] = "pc"  # 数电普票 / 数电专票
    buyer_type: Literal["person", "company"] = "person"
    title: Annotated[StrictStr, _Written(100)] = ""
    taxpayer_id: Annotated[StrictStr, _Written(32)] = ""
    address: Annotated[StrictStr, _Written(100)] = ""
    phone: Phone = ""
    bank: Annotated[StrictStr, _Written(100)] = ""
    account: Annotated[StrictStr, _Written(64)] = ""
    email: Annotated[StrictStr, _Written(100)] = ""

    def profile(self) -> Any:
        """As ``invoicing.profile.BuyerProfile``."""
        from orderdesk.invoicing.profile import BuyerProfile, BuyerType, InvoiceKind

        return BuyerProfile(InvoiceKind(self.kind), BuyerType(self.buyer_type), self.title, self.taxpayer_id,
                            self.address, self.phone, self.bank, self.account, self.email)  # fmt: skip


class OrderLine(_Record):
    line_no: Annotated[StrictInt, Field(ge=1, le=10_000)]
    sku: Code
    title: Annotated[StrictStr, _Written(256)] = ""
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    unit_price_fen: Fen
    discount_fen: Fen = 0  # coupon and discount allocated to this line

    @property
    def amount_fen(self) -> int:
        return max(0, self.quantity * self.unit_price_fen - self.discount_fen)


class OrderRecord(_Record):
    """An order as a channel reported it. Statuses travel separately, as observations."""

    domain_id: DomainId | None = None
    channel: Code
    shop: Code
    channel_order_no: Code
    created_at: Timestamp
    receiver: Receiver
    lines: Annotated[list[OrderLine], Field(min_length=1, max_length=1000)]
    paid_amount_fen: Fen | None = None  # None: the channel has not said (a data-quality finding)
    discount_fen: Fen = 0
    platform_commission_fen: Fen = 0
    freight_insurance_fen: Fen = 0
    freight_fen: Fen = 0
    waybill_no: Annotated[StrictStr, _code(64)] = ""
    carrier: Annotated[StrictStr, _code(32)] = ""
    buyer_note: Annotated[StrictStr, _Written(512)] = ""
    invoice: InvoiceRequest | None = None  # the buyer asked for an invoice

    @model_validator(mode="after")
    def _own_special_invoice_complete(self) -> OrderRecord:
        """The own mini-program sells B2B: its 专票 requests must be complete when the order enters."""
        if self.invoice is not None and self.channel == "miniapp" and self.invoice.kind == "bs":
            from orderdesk.invoicing.profile import check_profile

            errors = check_profile(self.invoice.profile())
            if errors:
                first = errors[0]
                raise Invalid(
                    en=f"{first.field} {first.value!r}: {first.message}",
                    zh=f"{first.field} {first.value!r}:{first.message_zh}",
                )
        return self

    @model_validator(mode="after")
    def _lines_unique(self) -> OrderRecord:
        seen: set[int] = set()
        for index, line in enumerate(self.lines):
            if line.line_no in seen:
                raise Invalid(
                    en=f"lines[{index}].line_no {line.line_no} repeats an earlier line",
                    zh=f"lines[{index}].line_no 行号 {line.line_no} 与前面的行重复",
                )
            seen.add(line.line_no)
        return self


class OrderRef(_Record):
    """How an observation names its order: any one of these is enough."""

    domain_id: DomainId | None = None
    channel: Code | None = None
    shop: Code | None = None
    channel_order_no: Code | None = None
    waybill_no: Code | None = None

    @model_validator(mode="after")
    def _names_an_order(self) -> OrderRef:
        channel_key = (self.channel, self.shop, self.channel_order_no)
        if any(channel_key) and not all(channel_key):
            raise Invalid(
                en="channel, shop and channel_order_no name an order together: give all three",
                zh="channel、shop、channel_order_no 需同时提供,才能确定订单",
            )
        if not (self.domain_id or all(channel_key) or self.waybill_no):
            raise Invalid(
                en="name the order by domain_id, by channel + shop + channel_order_no, or by waybill_no",
                zh="请用 domain_id、channel + shop + channel_order_no 或 waybill_no 指明订单",
            )
        return self

    def channel_key(self) -> str | None:
        """:func:`channel_key` of the order on its channel, when the reference names it so (all three)."""
        if self.channel and self.shop and self.channel_order_no:
            return channel_key(self.channel, self.shop, self.channel_order_no)
        return None


class ObservationRecord(_Record):
    """One raw status report from a channel, a carrier or finance, as the source sent it."""

    source: Code
    status: Scalar
    status_field: Annotated[StrictStr, _code(64)] | None = None  # default: the mapping table's status field
    fields: dict[Annotated[StrictStr, _code(64, 1)], Scalar] = Field(default_factory=dict)
    observed_at: Timestamp
    order: OrderRef
    event_id: Annotated[StrictStr, _code(128)] | None = None  # the source's own id for this push, when it has one
    line_no: Annotated[StrictInt, Field(ge=1, le=10_000)] | None = None
    refund_id: Annotated[StrictStr, _code(64)] | None = None
    refund_fen: Fen | None = None
    operator: Annotated[StrictStr, _code(64)] = "system"
    payload: dict[str, Any] | None = None  # the raw body as received, kept for the audit trail

    @field_validator("status")
    @classmethod
    def _has_status(cls, value: str | int | None) -> str | int:
        if value is None or value == "":
            raise Invalid(en="status must not be empty", zh="状态不能为空")
        return value

    def identity(self) -> str:
        """The same report always has the same identity, however often it is delivered."""
        if self.event_id:
            return f"{self.source}:{self.event_id}"
        ref = self.order
        basis = (
            self.source, self.status_field, self.status, sorted(self.fields.items()), self.observed_at.isoformat(),
            ref.domain_id, ref.channel, ref.shop, ref.channel_order_no, ref.waybill_no,
            self.line_no, self.refund_id, self.refund_fen,
        )  # fmt: skip
        digest = hashlib.sha256(repr(basis).encode()).hexdigest()[:32]
        return f"{self.source}:h:{digest}"


def channel_key(channel: str, shop: str, channel_order_no: str) -> str:
    """How an order is named on its channel, as one string: channel, shop and order no. together."""
    return f"{channel}\x1f{shop}\x1f{channel_order_no}"


def channel_key_parts(key: str) -> tuple[str, str, str]:
    """The channel, shop and order no. of a :func:`channel_key` (none of them holds a control character)."""
    channel, shop, channel_order_no = key.split("\x1f")
    return channel, shop, channel_order_no


def deciding_reference(
    domain_id: str | None, channel_key: str | None, waybill_no: str | None
) -> tuple[str, str] | None:
    """Which of an observation's references names its order: the most specific one it carries, never a
    less specific one in its stead. ("domain_id" | "channel_key" | "waybill_no", value), or None.

    A channel status that also carries a waybill is about its own order, not about every order the
    waybill is on; and the rule depends on the observation alone, not on which orders exist yet, so
    the hub and every cache attach it to the same orders whatever the order of arrival."""
    if domain_id:
        return "domain_id", domain_id
    if channel_key:
        return "channel_key", channel_key
    if waybill_no:
        return "waybill_no", waybill_no
    return None


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


class JsonMemo:
    """canonical_json for values that repeat a great deal (statuses, states), each serialised once."""

    def __init__(self, limit: int = 50_000) -> None:
        self._texts: dict[Any, str] = {}
        self._limit = limit

    def text(self, key: Any, value: Any) -> str:
        found = self._texts.get(key)
        if found is None:
            found = canonical_json(value)
            if len(self._texts) < self._limit:
                self._texts[key] = found
        return found
