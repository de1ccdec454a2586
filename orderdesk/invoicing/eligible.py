"""The orders whose invoice is due, read from a cache in two set-based queries: outcome completed
(signed or settled, not refunded in full, not cancelled — `sync.states.outcome`) and the paid amount
known. The day is the day the buyer confirmed (else settlement), China time; each line is invoiced
for its paid share less what was refunded (only the net is invoiced).

Until orders carry their buyer's invoice profile (the wire contract's `invoice` block, next in #13),
the buyer is the receiver, as a person asking for an ordinary invoice; an order whose invoice request
cannot be invoiced as it stands (``check_profile``) goes to 资料缺失 with the reasons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from orderdesk.invoicing.plan import EligibleOrder
from orderdesk.invoicing.profile import check_profile
from orderdesk.sync.cache.stored import chunks, fetch, marks
from orderdesk.sync.china_time import CHINA_TZ
from orderdesk.sync.contract import InvoiceRequest
from orderdesk.sync.order_money import order_money
from orderdesk.sync.states import OUTCOME_SQL

# The signing time by event key, not kind: the (order_id, key) index answers it per order (by kind,
# SQLite scanned every confirmation for every order: 56 s for 12,000 orders instead of 0.36 s).
_ORDERS = (
    "SELECT o.id, o.domain_id, o.receiver_name, o.receiver_province || o.receiver_city || o.receiver_district || "
    "o.receiver_address, o.discount_fen, o.freight_fen, o.paid_amount_fen, o.invoice_json, "
    "(SELECT min(e.at_ms) FROM events e WHERE e.order_id = o.id AND e.key IN ('customer_confirmed', 'settled')) "
    f"FROM orders o WHERE ({OUTCOME_SQL}) = 'completed' AND o.paid_amount_fen IS NOT NULL"
)


def eligible_orders(c: Connection) -> list[EligibleOrder]:
    rows = fetch(c, _ORDERS)
    lines: dict[int, list[tuple[int, str, int, int, int, int]]] = {}
    for part in chunks([r[0] for r in rows]):
        sql = (f"SELECT order_id, line_no, sku, quantity, unit_price_fen, discount_fen, refunded_fen FROM order_lines "
               f"WHERE order_id IN ({marks(len(part))})")  # fmt: skip
        for order_id, line_no, sku, quantity, price, discount, refunded in fetch(c, sql, part):
            lines.setdefault(order_id, []).append((line_no, sku, quantity, price, discount, refunded))
    made = []
    for order_id, domain_id, name, address, discount, freight, paid, invoice_json, signed_ms in rows:
        mine = sorted(lines.get(order_id, ()))
        money = order_money([(no, q, price, d) for no, _, q, price, d, _ in mine], discount_fen=discount,
                            freight_fen=freight, paid_amount_fen=paid)  # fmt: skip
        shares = {line.line_no: line.amount_fen for line in money.lines}
        day = datetime.fromtimestamp((signed_ms or 0) / 1000, CHINA_TZ).date().isoformat()
        buyer, problems = f"title:{name}", ()
        if invoice_json:
            profile = InvoiceRequest.model_validate_json(invoice_json).profile()
            buyer = profile.grouping_key
            problems = tuple((e.field, e.message, e.message_zh) for e in check_profile(profile))
        made.append(EligibleOrder(domain_id, buyer, day, address,
                                  tuple((no, sku, q, max(0, shares[no] - refunded)) for no, sku, q, _, _, refunded in mine), problems))  # fmt: skip
    return made
