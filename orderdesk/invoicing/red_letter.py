"""Red-letter (红冲) from a refund: negative lines for exactly the refunded order lines of one order on a
blue invoice (on a merged invoice, only that order's lines), never more than remains on it.

A line refunded in full is negated as it stands. A line refunded in part keeps its own rate and code:
the red line's amount is the refunded money (tax split by the same rule as the blue line), its
quantity the refunded units when the money is a whole number of the line's paid unit price, else
none (an amount-only line). Reasons follow the tax bureau's numbering; 诺诺 numbers them otherwise, so
the adapter maps them explicitly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from orderdesk.invoicing.amounts import InvoiceLine, split_tax
from orderdesk.sync.errors import BilingualError


class RedReason(StrEnum):
    INVOICING_ERROR = "01"  # 开票有误
    SALES_RETURN = "02"  # 销货退回 (the default on a refund)
    SERVICE_STOPPED = "03"  # 服务中止
    SALES_DISCOUNT = "04"  # 销售折让


REASON_LABELS = {
    RedReason.INVOICING_ERROR: ("开票有误", "invoicing error"),
    RedReason.SALES_RETURN: ("销货退回", "sales return"),
    RedReason.SERVICE_STOPPED: ("服务中止", "service stopped"),
    RedReason.SALES_DISCOUNT: ("销售折让", "sales discount"),
}
NUONUO_REASON = {RedReason.SALES_RETURN: "1", RedReason.INVOICING_ERROR: "2", RedReason.SERVICE_STOPPED: "3",
                 RedReason.SALES_DISCOUNT: "4"}  # fmt: skip
SERVICE_CODE_PREFIX = "3"  # 商品和服务税收分类编码: codes of services begin with 3


class RedLetterRefused(BilingualError, ValueError):
    """A red-letter that cannot be made, in words naming the invoice, the line and the amounts."""

    def __init__(self, field: str, value: object, *, en: str, zh: str) -> None:
        super().__init__(en=en, zh=zh)
        self.field, self.value = field, value


@dataclass(frozen=True, slots=True)
class BlueLine:
    index: int  # the line's place on the blue invoice (1-based): how the red form names it
    order: str  # the order it came from (a merged invoice holds several)
    line: InvoiceLine


@dataclass(frozen=True, slots=True)
class RedLine:
    blue_index: int
    order: str
    order_line_no: int
    quantity: int | None  # negative units, or None for an amount-only line
    included_fen: int  # negative
    excluded_fen: int
    tax_fen: int


def reason_allowed(reason: RedReason, lines: Sequence[BlueLine]) -> bool:
    """A goods-only invoice cannot use "service stopped", a service-only one cannot use "sales return"."""
    services = [bl.line.item.code.startswith(SERVICE_CODE_PREFIX) for bl in lines]
    if reason is RedReason.SERVICE_STOPPED and not any(services):
        return False
    return not (reason is RedReason.SALES_RETURN and all(services))


def red_lines(
    invoice_no: str,
    blue: Sequence[BlueLine],
    order: str,
    refunded: Mapping[int, int],  # order line no. → fen refunded now (not yet red-lettered)
    already_red: Mapping[int, int],  # blue index → fen already red-lettered (positive)
    reason: RedReason = RedReason.SALES_RETURN,
) -> list[RedLine]:
    if not reason_allowed(reason, blue):
        zh, en = REASON_LABELS[reason]
        raise RedLetterRefused("reason", reason.value, en=f"invoice {invoice_no} cannot be red-lettered for {en!r}",
                               zh=f"发票 {invoice_no} 不能以「{zh}」冲红")  # fmt: skip
    mine = {bl.line.order_line_no: bl for bl in blue if bl.order == order}
    made: list[RedLine] = []
    for line_no, fen in sorted(refunded.items()):
        if fen <= 0:
            continue
        bl = mine.get(line_no)
        if bl is None:
            raise RedLetterRefused("line_no", line_no, en=f"order {order} line {line_no} is not on invoice {invoice_no}",
                                   zh=f"订单 {order} 第 {line_no} 行不在发票 {invoice_no} 上")  # fmt: skip
        remaining = bl.line.included_fen - already_red.get(bl.index, 0)
        if fen > remaining:
            raise RedLetterRefused(
                "refund_fen", fen,
                en=f"invoice {invoice_no} line {bl.index} has ¥{remaining / 100:.2f} left; a red-letter of ¥{fen / 100:.2f} is larger",
                zh=f"发票 {invoice_no} 第 {bl.index} 行仅剩 ¥{remaining / 100:.2f},不能冲红 ¥{fen / 100:.2f}",
            )  # fmt: skip
        if fen == bl.line.included_fen:
            made.append(
                RedLine(bl.index, order, line_no, -bl.line.quantity, -fen, -bl.line.excluded_fen, -bl.line.tax_fen)
            )
            continue
        excluded, tax = split_tax(fen, bl.line.item.rate_bp)
        units, rest = divmod(fen * bl.line.quantity, bl.line.included_fen)
        made.append(RedLine(bl.index, order, line_no, -units if rest == 0 else None, -fen, -excluded, -tax))
    return made
