"""Exactly once per report, period and robot, across restarts and across several consoles: a console
claims the push before it sends and marks it sent after; a claim not marked sent within the lease may
be taken over (the console that held it died). Tables on the hub's metadata."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, Connection, String, Table, UniqueConstraint, select, update

from orderdesk.hub.schema import Id, metadata

LEASE_MS = 10 * 60_000

report_pushes = Table(
    "hub_report_pushes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # daily, monthly, health (a score below 70)
    Column("period", String(10), nullable=False),  # 2026-11-28, 2026-11
    Column("robot", String(16), nullable=False),  # wecom, dingtalk
    Column("state", String(8), nullable=False),  # claimed, sent
    Column("claimed_by", String(64), nullable=False),
    Column("claimed_at_ms", BigInteger, nullable=False),
    Column("sent_at_ms", BigInteger),
    UniqueConstraint("kind", "period", "robot", name="uq_hub_report_pushes"),
)


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    granted: bool
    state: str
    claimed_by: str
    sent_at_ms: int | None


def claim(c: Connection, kind: str, period: str, robot: str, who: str, now: int) -> Claim:
    """Take the push, or say who has it (call inside the store's guarded transaction)."""
    t = report_pushes.c
    row = c.execute(select(report_pushes).where(t.kind == kind, t.period == period, t.robot == robot)).first()
    if row is None:
        made = c.execute(report_pushes.insert().values(kind=kind, period=period, robot=robot, state="claimed",
                                                       claimed_by=who, claimed_at_ms=now).returning(t.id)).scalar_one()  # fmt: skip
        return Claim(int(made), True, "claimed", who, None)
    if row.state == "claimed" and now - row.claimed_at_ms > LEASE_MS:  # its holder died: take it over
        c.execute(update(report_pushes).where(t.id == row.id).values(claimed_by=who, claimed_at_ms=now))
        return Claim(int(row.id), True, "claimed", who, None)
    return Claim(int(row.id), False, row.state, row.claimed_by, row.sent_at_ms)


def mark(c: Connection, claim_id: int, who: str, sent: bool, now: int) -> bool:
    """Sent: the push is done for good. Not sent: give the claim back so another try may take it."""
    t = report_pushes.c
    if sent:
        done = c.execute(update(report_pushes).where(t.id == claim_id, t.claimed_by == who, t.state == "claimed")
                         .values(state="sent", sent_at_ms=now))  # fmt: skip
        return done.rowcount == 1
    gone = c.execute(report_pushes.delete().where(t.id == claim_id, t.claimed_by == who, t.state == "claimed"))
    return gone.rowcount == 1
