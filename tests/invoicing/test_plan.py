"""The aggregation plan: same buyer, day and address merge once the threshold is reached, else each
order alone when its day is over; never an order twice, never more lines than an invoice holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from orderdesk.invoicing.plan import AggregationRule, EligibleOrder, PlanKind, plan
from orderdesk.invoicing.states import InvalidMove, InvoiceState, move
from orderdesk.invoicing.tax_table import bundled

TABLE = bundled()
RULE = AggregationRule(threshold_fen=50000, max_lines=5)


def order(
    no: str, paid: int, buyer: str = "B1", day: str = "2026-11-26", address: str = "A", lines: int = 1
) -> EligibleOrder:
    return EligibleOrder(no, buyer, day, address, tuple((i + 1, f"SKU-{i}", 1, paid // lines) for i in range(lines)))


def test_three_orders_of_one_buyer_merge_once_the_threshold_is_reached() -> None:
    p = plan([order("O1", 20000), order("O2", 20000), order("O3", 20000)], today="2026-11-27", table=TABLE, rule=RULE)
    (merged,) = p.invoices
    assert merged.kind is PlanKind.MERGED and merged.orders == ["O1", "O2", "O3"] and merged.total_fen == 60000


def test_below_the_threshold_each_order_waits_for_the_end_of_its_day_then_goes_alone() -> None:
    orders = [order("O1", 10000, day="2026-11-27"), order("O2", 10000, day="2026-11-27")]
    assert {i.kind for i in plan(orders, today="2026-11-27", table=TABLE, rule=RULE).invoices} == {PlanKind.WAITING}
    assert {i.kind for i in plan(orders, today="2026-11-28", table=TABLE, rule=RULE).invoices} == {PlanKind.SINGLE}


def test_with_alone_after_minutes_a_group_below_the_threshold_goes_alone_once_it_has_waited() -> None:
    import dataclasses

    rule = AggregationRule(threshold_fen=50000, max_lines=5, alone_after_minutes=90)
    now = 1_795_800_000_000
    fresh = [dataclasses.replace(order("O1", 10000, day="2026-11-27"), signed_ms=now - 30 * 60_000),
             dataclasses.replace(order("O2", 10000, day="2026-11-27"), signed_ms=now - 100 * 60_000)]  # fmt: skip
    assert {i.kind for i in plan(fresh, today="2026-11-27", table=TABLE, rule=rule, now_ms=now).invoices} == {
        PlanKind.WAITING
    }
    later = now + 61 * 60_000  # both have waited 90 minutes
    assert {i.kind for i in plan(fresh, today="2026-11-27", table=TABLE, rule=rule, now_ms=later).invoices} == {
        PlanKind.SINGLE
    }
    assert AggregationRule.load().alone_after_minutes is None  # the bundled rule: the end of the day, as #13 says


def test_other_buyers_days_and_addresses_never_merge() -> None:
    orders = [order("O1", 30000), order("O2", 30000, buyer="B2"), order("O3", 30000, address="B"),
              order("O4", 30000, day="2026-11-25")]  # fmt: skip
    assert {i.kind for i in plan(orders, today="2026-11-27", table=TABLE, rule=RULE).invoices} == {PlanKind.SINGLE}


def test_an_unknown_sku_keeps_its_order_out_naming_it() -> None:
    unknown = EligibleOrder("O9", "B1", "2026-11-26", "A", ((1, "NOPE-1", 1, 5000),))
    (needs,) = plan([unknown], today="2026-11-27", table=TABLE, rule=RULE).of_kind(PlanKind.NEEDS_DATA)
    assert needs.missing_skus == [("O9", "NOPE-1")]


def test_the_credit_line_holds_what_would_exceed_it() -> None:
    p = plan([order("O1", 30000, buyer="X"), order("O2", 30000, buyer="Y")], today="2026-11-27", table=TABLE,
             rule=RULE, credit_fen=40000)  # fmt: skip
    assert [i.kind for i in p.invoices] == [PlanKind.SINGLE, PlanKind.HELD] and p.credit_used_fen == 30000


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 1), st.integers(1, 9),
                          st.integers(1, 40000)), max_size=40))  # fmt: skip
def test_no_order_twice_no_invoice_too_long_and_totals_add_up(specs) -> None:
    orders = [order(f"O{n}", paid * lines, buyer=f"B{b}", day=f"2026-11-2{d}", address=f"A{a}", lines=lines)
              for n, (b, d, a, lines, paid) in enumerate(specs)]  # fmt: skip
    p = plan(orders, today="2026-11-22", table=TABLE, rule=RULE)
    placed = [(o, line.order_line_no) for i in p.invoices for o, line in i.lines]
    assert len(placed) == len(set(placed)) == sum(len(o.lines) for o in orders)  # every line once
    assert all(len(i.lines) <= RULE.max_lines for i in p.invoices)
    assert sum(i.total_fen for i in p.invoices) == sum(paid for o in orders for *_, paid in o.lines)
    for i in p.invoices:
        assert len({(o.buyer, o.day, o.address) for o in orders if o.domain_id in i.orders}) == 1


def test_an_invoice_moves_only_where_it_may() -> None:
    assert move(InvoiceState.SUBMITTED, InvoiceState.ISSUED) is InvoiceState.ISSUED
    try:
        move(InvoiceState.RED, InvoiceState.ISSUED)
    except InvalidMove as refused:
        assert "全额冲红" in refused.zh and "issued" in str(refused)
    else:
        raise AssertionError("a red-lettered invoice cannot be issued again")
