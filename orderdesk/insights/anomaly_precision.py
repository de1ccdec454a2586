"""How well the open anomalies match what went wrong: against the demo's planted anomalies, per kind,
planted vs found vs open, with precision (open ones that were planted) and recall (planted ones found).

The demo (``hub.demo.planted_records``) knows what it gave each order to go wrong; the cache knows what
it raised. An order's planted kinds and its open anomaly kinds are compared as multisets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection


@dataclass(slots=True)
class KindFigures:
    planted: int = 0
    found: int = 0  # planted and open
    open: int = 0

    @property
    def precision(self) -> float:
        return self.found / self.open if self.open else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0


@dataclass(slots=True)
class Figures:
    orders: int = 0
    kinds: dict[str, KindFigures] = field(default_factory=dict)
    unplanted_examples: list[tuple[str, str]] = field(default_factory=list)  # (order no., kind)
    missed_examples: list[tuple[str, str]] = field(default_factory=list)

    def total(self) -> KindFigures:
        return KindFigures(
            sum(k.planted for k in self.kinds.values()),
            sum(k.found for k in self.kinds.values()),
            sum(k.open for k in self.kinds.values()),
        )


def open_anomalies(c: Connection) -> dict[str, Counter[str]]:
    """Channel order no. → the kinds of its open anomalies (one query)."""
    found: dict[str, Counter[str]] = {}
    sql = (
        "SELECT o.channel_order_no, a.kind FROM anomalies a JOIN orders o ON o.id = a.order_id "
        "WHERE a.resolved_at_ms IS NULL"
    )
    for number, kind in c.exec_driver_sql(sql):
        found.setdefault(number, Counter())[kind] += 1
    return found


def compare(planted: Mapping[str, Iterable[str]], found: Mapping[str, Counter[str]], examples: int = 5) -> Figures:
    figures = Figures(orders=len(planted))
    for number in set(planted) | set(found):
        wanted, raised = Counter(planted.get(number, ())), found.get(number, Counter())
        for kind in set(wanted) | set(raised):
            k = figures.kinds.setdefault(kind, KindFigures())
            k.planted += wanted[kind]
            k.open += raised[kind]
            k.found += min(wanted[kind], raised[kind])
            if raised[kind] > wanted[kind] and len(figures.unplanted_examples) < examples:
                figures.unplanted_examples.append((number, kind))
            if wanted[kind] > raised[kind] and len(figures.missed_examples) < examples:
                figures.missed_examples.append((number, kind))
    return figures
