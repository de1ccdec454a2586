"""The pools a SKU's stock sits in, per warehouse (DOMAIN-FACTS.md, Inventory: Shopify's states are the
public reference). sellable → available, reserved → reserved (held for an unpaid order, with a time
limit), committed → committed (paid, not shipped), quality_check → quality_control, in_transit →
incoming. ``outside`` is not a pool: it is where stock comes from (a receipt) and goes to (a shipment)."""

from __future__ import annotations

from enum import StrEnum


class Pool(StrEnum):
    SELLABLE = "sellable"
    RESERVED = "reserved"
    COMMITTED = "committed"
    QUALITY_CHECK = "quality_check"
    IN_TRANSIT = "in_transit"
    OUTSIDE = "outside"  # a receipt comes from here, a shipment goes here: never a level


POOL_LABELS: dict[Pool, tuple[str, str]] = {
    Pool.SELLABLE: ("可售", "sellable"),
    Pool.RESERVED: ("预占", "reserved"),
    Pool.COMMITTED: ("已付待发", "committed"),
    Pool.QUALITY_CHECK: ("质检", "quality check"),
    Pool.IN_TRANSIT: ("在途", "in transit"),
    Pool.OUTSIDE: ("库外", "outside"),
}
LEVEL_POOLS = tuple(p for p in Pool if p is not Pool.OUTSIDE)
