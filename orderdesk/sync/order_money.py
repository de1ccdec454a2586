"""What an order's money is made of, as the fold needs it: each line's share of what the buyer paid,
the postage, and the paid total that no refund can exceed.

The contract (also in docs/orders.md, "Amounts"): a line's own ``discount_fen`` is its allocated coupon; the
order's ``discount_fen`` is the whole order's discount, and whatever part of it the lines do not
already carry is spread over the lines in proportion to their amounts (largest remainder, so the
shares add up to the fen). ``freight_fen`` is postage the buyer paid: a refund may return it.
``paid_amount_fen``, when the channel says it, is the most any refund can return."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FoldLine:
    line_no: int
    amount_fen: int  # the line's share of what the buyer paid: the most a refund of the line returns


@dataclass(frozen=True, slots=True)
class OrderMoney:
    lines: tuple[FoldLine, ...]
    freight_fen: int = 0
    paid_fen: int | None = None  # None: the channel has not said

    @property
    def paid_known(self) -> bool:
        return self.paid_fen is not None

    @property
    def refundable_fen(self) -> int:
        """The most refunds can return: what was paid, or the shares and postage when that is unknown."""
        if self.paid_fen is not None:
            return self.paid_fen
        return sum(line.amount_fen for line in self.lines) + self.freight_fen

    @classmethod
    def of_lines(cls, lines: Iterable[FoldLine], *, paid_known: bool = True) -> OrderMoney:
        """Money that is just its lines (no order discount, no postage): tests and simple callers."""
        lines = tuple(lines)
        return cls(lines, 0, sum(line.amount_fen for line in lines) if paid_known else None)


def _spread(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` in whole fen, the remainders to the largest parts."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def order_money(
    lines: Iterable[tuple[int, int, int, int]],
    *,
    discount_fen: int = 0,
    freight_fen: int = 0,
    paid_amount_fen: int | None = None,
) -> OrderMoney:
    """``lines``: (line_no, quantity, unit_price_fen, the line's own discount_fen)."""
    rows = sorted(lines)
    amounts = [max(0, quantity * price - discount) for _, quantity, price, discount in rows]
    on_lines = sum(discount for *_, discount in rows)
    left = min(max(0, (discount_fen or 0) - on_lines), sum(amounts))
    shares = [a - d for a, d in zip(amounts, _spread(left, amounts), strict=True)]
    folded = tuple(FoldLine(row[0], share) for row, share in zip(rows, shares, strict=True))
    return OrderMoney(folded, max(0, freight_fen or 0), paid_amount_fen)
