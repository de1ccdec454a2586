"""Figures of the hub's invoices: signed → issued latency, and the monthly list's files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def make_monthly_list(bodies: Sequence[dict[str, Any]]) -> tuple[bytes, bytes]:
    """(XLSX in the Kingdee layout, CSV) of these issued invoices."""
    import tempfile
    from pathlib import Path

    from orderdesk.invoicing.monthly_list import listed, write_csv, write_xlsx

    invoices = [listed(b) for b in bodies]
    with tempfile.TemporaryDirectory() as folder:
        write_xlsx(invoices, Path(folder) / "list.xlsx")
        write_csv(invoices, Path(folder) / "list.csv")
        return (Path(folder) / "list.xlsx").read_bytes(), (Path(folder) / "list.csv").read_bytes()


def latency(bodies: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """In minutes over issued blue invoices: signed → issued (the seed wants it within 2 hours), and
    due → issued, from when the hub knew the invoice could be made (on a hub that starts with weeks of
    history the first says how old that history is; the second what the invoicer does)."""
    blue = [b for b in bodies if b["red_of"] is None and b.get("issued_at_ms")]
    found: dict[str, Any] = {"invoices": len(blue)}
    for name, start in (("signed", "signed_at_ms"), ("due", "due_at_ms")):
        waits = sorted((b["issued_at_ms"] - b[start]) / 60000 for b in blue if b.get(start))
        if waits:
            pick = lambda q, w=waits: round(w[min(len(w) - 1, int(q * len(w)))], 1)  # noqa: E731
            found[name] = {"p50_min": pick(0.5), "p90_min": pick(0.9), "max_min": round(waits[-1], 1),
                           "within_2h": sum(w <= 120 for w in waits) / len(waits)}  # fmt: skip
    return found
