"""Figures of the hub's invoices: signed → issued latency, and the monthly list's files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def make_monthly_list(bodies: Sequence[dict[str, Any]]) -> tuple[bytes, bytes]:
    """(XLSX in the Kingdee layout, CSV) of these issued invoices."""
    import tempfile
    from pathlib import Path

    from invoicing.monthly_list import listed, write_csv, write_xlsx

    invoices = [listed(b) for b in bodies]
    with tempfile.TemporaryDirectory() as folder:
        write_xlsx(invoices, Path(folder) / "list.xlsx")
        write_csv(invoices, Path(folder) / "list.csv")
        return (Path(folder) / "list.xlsx").read_bytes(), (Path(folder) / "list.csv").read_bytes()


def latency(bodies: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Signed → issued, in minutes, over issued blue invoices (the seed wants it within 2 hours)."""
    waits = sorted((b["issued_at_ms"] - b["signed_at_ms"]) / 60000 for b in bodies
                   if b["red_of"] is None and b.get("issued_at_ms") and b.get("signed_at_ms"))  # fmt: skip
    if not waits:
        return {"invoices": 0}
    pick = lambda q: round(waits[min(len(waits) - 1, int(q * len(waits)))], 1)  # noqa: E731
    return {"invoices": len(waits), "p50_min": pick(0.5), "p90_min": pick(0.9), "max_min": round(waits[-1], 1),
            "within_2h": sum(w <= 120 for w in waits) / len(waits)}  # fmt: skip
