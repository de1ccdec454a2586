"""What invoicing needs to know of one order, folded from the order and its observations as the cache
folds them (``sync.fold``), so the hub's invoicer reads order state exactly as every console does.

An order is due an invoice when it asked for one (its ``invoice`` block), its outcome is completed
(signed or settled, not refunded in full, not cancelled: ``sync.states.outcome``) and what was paid is
known. Each line is invoiced for its paid share less what was refunded: only the net."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from orderdesk.invoicing.plan import EligibleOrder
from orderdesk.invoicing.profile import check_profile
from orderdesk.sync.cache.ingest import PreparedObservation, prepare_observation, to_ms
from orderdesk.sync.china_time import CHINA_TZ
from orderdesk.sync.contract import InvoiceRequest, OrderRecord
from orderdesk.sync.fold import fold
from orderdesk.sync.mapping.registry import MappingRegistry
from orderdesk.sync.order_money import order_money
from orderdesk.sync.states import Outcome, outcome

SIGNING_EVENTS = ("customer_confirmed", "settled")


@dataclass(slots=True)
class OrderFacts:
    domain_id: str
    outcome: str
    due: bool
    profile: dict[str, Any]  # the InvoiceRequest (a clerk's fix replaces it)
    address: str
    signed_at_ms: int | None
    lines: list[tuple[int, str, int, int]]  # (line no., sku, quantity, net fen: paid share less refunded)
    paid: dict[int, int] = field(default_factory=dict)  # line no. → paid share
    alone: bool = False  # a clerk split its merge: invoiced on its own
    manual: bool = False  # the profile is a clerk's (a request by hand, or a fix): it wins over the order's
    due_at_ms: int | None = None  # when the hub first saw it due (its invoice could be made from then on)

    @property
    def day(self) -> str:
        return datetime.fromtimestamp((self.signed_at_ms or 0) / 1000, CHINA_TZ).date().isoformat()

    @property
    def month(self) -> str:
        return self.day[:7]

    def request(self) -> InvoiceRequest:
        return InvoiceRequest.model_validate(self.profile)

    def net(self) -> dict[int, int]:
        return {no: net for no, _, _, net in self.lines}

    def eligible(self) -> EligibleOrder:
        profile = self.request().profile()
        problems = tuple((e.field, e.message, e.message_zh) for e in check_profile(profile))
        buyer = f"{profile.grouping_key}|{self.domain_id}" if self.alone else profile.grouping_key
        return EligibleOrder(self.domain_id, buyer, self.day, self.address, tuple(self.lines), problems,
                             self.signed_at_ms or 0)  # fmt: skip

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> OrderFacts:
        d = json.loads(text)
        d["lines"] = [tuple(x) for x in d["lines"]]
        d["paid"] = {int(k): v for k, v in d["paid"].items()}
        return cls(**d)


def order_facts(record_json: str, observation_jsons: Iterable[str], registry: MappingRegistry, *,
                profile: dict[str, Any] | None = None) -> OrderFacts | None:  # fmt: skip
    """The facts of an order that asked for an invoice (or for which ``profile`` was given by a clerk);
    None for one that did not."""
    order = OrderRecord.model_validate_json(record_json)
    if profile is not None:
        buyer = profile
    elif order.invoice is not None:
        buyer = order.invoice.model_dump(mode="json")
    else:
        return None
    if order.domain_id is None:
        return None
    prepared = [prepare_observation(json.loads(text), registry) for text in observation_jsons]
    money = order_money([(line.line_no, line.quantity, line.unit_price_fen, line.discount_fen) for line in order.lines],
                        discount_fen=order.discount_fen, freight_fen=order.freight_fen,
                        paid_amount_fen=order.paid_amount_fen)  # fmt: skip
    projection = fold([p.fold for p in prepared if isinstance(p, PreparedObservation)], money=money,
                      created_at_ms=to_ms(order.created_at), channel=order.channel,
                      paid_amount_known=order.paid_amount_fen is not None)  # fmt: skip
    made = outcome(projection.fulfilment, projection.refund, projection.cancelled)
    signed = [e.at_ms for key, e in projection.events.items() if key in SIGNING_EVENTS]
    shares = {line.line_no: line.amount_fen for line in money.lines}
    refunded = {no: state.refunded_fen for no, state in projection.lines.items()}
    lines = [(line.line_no, line.sku, line.quantity, max(0, shares[line.line_no] - refunded.get(line.line_no, 0)))
             for line in order.lines]  # fmt: skip
    r = order.receiver
    return OrderFacts(
        domain_id=order.domain_id, outcome=made.value,
        due=made is Outcome.COMPLETED and bool(signed) and order.paid_amount_fen is not None,
        profile=buyer, manual=profile is not None, address=f"{r.province}{r.city}{r.district}{r.address}",
        signed_at_ms=min(signed) if signed else None, lines=lines, paid=shares,
    )  # fmt: skip
