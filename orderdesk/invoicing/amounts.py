"""An invoice line's money, in integer fen, and the total in words.

The rounding rule: an order line's paid share (what the buyer paid for it, tax included, after its
discounts: ``sync.order_money``) is the line's tax-included amount. The tax-excluded amount is that
divided by (1 + rate), rounded half up to the fen; the tax is the difference. So amount + tax is
always exactly what was paid, line by line and in total, and no fen is lost or made up. The unit price
(tax excluded) is the amount over the quantity, given with up to 8 decimals, as platforms take it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import cn2an

from orderdesk.invoicing.tax_table import TaxItem


def split_tax(included_fen: int, rate_bp: int) -> tuple[int, int]:
    """(tax-excluded amount, tax) of a tax-included amount, in fen; the rule above."""
    base = 10000 + rate_bp
    excluded = (included_fen * 10000 * 2 + base) // (2 * base)  # half up, in integers
    return excluded, included_fen - excluded


def unit_price(excluded_fen: int, quantity: int) -> str:
    """The tax-excluded unit price in yuan, up to 8 decimals (no trailing zeros)."""
    price = (Decimal(excluded_fen) / 100 / quantity).quantize(Decimal("0.00000001"), rounding=ROUND_HALF_UP)
    return format(price.normalize(), "f")


class InvoiceLine(NamedTuple):  # a tuple: planning makes hundreds of thousands of them
    order_line_no: int
    item: TaxItem
    quantity: int
    included_fen: int  # what the buyer paid for the line, tax included
    excluded_fen: int
    tax_fen: int

    @property
    def unit_price(self) -> str:
        return unit_price(self.excluded_fen, self.quantity)

    @classmethod
    def of(cls, order_line_no: int, item: TaxItem, quantity: int, included_fen: int) -> InvoiceLine:
        excluded, tax = split_tax(included_fen, item.rate_bp)
        return cls(order_line_no, item, quantity, included_fen, excluded, tax)

    def negated(self) -> InvoiceLine:
        """The same line on a red-letter invoice: negative quantity and amounts."""
        return InvoiceLine(self.order_line_no, self.item, -self.quantity, -self.included_fen, -self.excluded_fen,
                           -self.tax_fen)  # fmt: skip


def yuan_text(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def in_words(fen: int) -> str:
    """人民币大写 of an amount in fen (红字 amounts read 负…)."""
    words = cn2an.an2cn(yuan_text(abs(fen)), "rmb")
    return ("负" + words) if fen < 0 else words
