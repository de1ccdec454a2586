"""What only this computer had, read out of a damaged cache file and put into its replacement.

The hub gives back every order and observation, but not what was made here and not yet sent or not
kept there: actions waiting in the outbox (pending, or refused and waiting for a person), print jobs
with their documents and the substitutions they printed (the history that makes a second print a
reprint that needs a reason), and mapping tables imported on this computer (the sync maps with them,
so they go back before it runs). Each table is read in one pass; where that fails, row by row, so
one damaged page costs only its rows. A row that reads but makes no sense (JSON that does not
parse, an unknown kind, a mapping document whose sha256 no longer matches) is not put back: it is
kept in the report, beside the damaged file, with the reason.

Not salvaged, and said so: the audit trail (its chain cannot be carried into a new file; the old one
stays readable in the file kept aside), the quarantine (bad records for a person, re-sent by the
hub's sources), the rare-character queue (a scan fills it again), actions already sent."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orderdesk.sync.domain_id import is_domain_id

ACTION_KINDS = frozenset(
    {"invoice_request", "red_invoice_request", "print_result", "rare_char_substitution", "stock_move"}
)
JOB_STATES = frozenset({"queued", "rendering", "sent", "done", "failed"})
OUTBOX = ("id", "idempotency_key", "kind", "order_domain_id", "payload_json", "created_at_ms", "status", "attempts",
          "last_error")  # fmt: skip
JOBS = ("id", "order_id", "profile", "printer", "state", "attempts", "error", "error_zh", "reprint_of", "reason",
        "operator", "document", "preflight_json", "created_at_ms", "updated_at_ms")  # fmt: skip
SUBSTITUTIONS = ("id", "order_id", "job_id", "field", "original", "codepoint", "replacement", "method", "profile",
                 "operator", "at_ms")  # fmt: skip
MAPPINGS = ("id", "source", "version", "document_json", "sha256", "imported_at_ms", "imported_by")
PROBE_LIMIT = 1_000_000  # ids tried one by one when a table's last id cannot be read…
PROBE_GAP = 2_000  # …until this many in a row could not be


@dataclass
class Salvage:
    source: Path
    outbox: list[dict[str, Any]] = field(default_factory=list)
    print_jobs: list[dict[str, Any]] = field(default_factory=list)
    substitutions: list[dict[str, Any]] = field(default_factory=list)
    mapping_tables: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)  # read, but not fit to put back: row + reason
    unreadable: list[str] = field(default_factory=list)  # "outbox: rows 7, 9 (database disk image is malformed)"

    def counts(self) -> dict[str, int]:
        return {"outbox": len(self.outbox), "print_jobs": len(self.print_jobs),
                "substitutions": len(self.substitutions), "mapping_tables": len(self.mapping_tables),
                "rejected": len(self.rejected), "unreadable": len(self.unreadable)}  # fmt: skip


def read(path: Path) -> Salvage:
    """Everything worth carrying over that can still be read from ``path`` (never written to)."""
    salvage = Salvage(path)
    if not path.is_file():
        return salvage
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        db.text_factory = lambda b: b.decode("utf-8", "replace")
        # A file shorter than its header says is refused outright unless the schema is "writable"
        # (SQLite's own escape hatch for reading damaged files); the connection is read-only anyway.
        db.execute("PRAGMA writable_schema = ON")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        salvage.unreadable.append(f"the whole file: {exc}")
        return salvage
    try:
        tables = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        salvage.unreadable.append(f"the list of tables: {exc}")
        tables = {"outbox", "print_jobs", "label_substitutions", "mapping_tables"}
    try:
        _read_tables(db, tables, salvage)
    finally:
        db.close()
    return salvage


def _read_tables(db: sqlite3.Connection, tables: set[str], salvage: Salvage) -> None:
    orders: dict[int, str | None] = {}
    if "outbox" in tables:
        for row in _rows(db, "outbox", OUTBOX, "status IN ('pending', 'refused')", salvage):
            _keep(salvage, salvage.outbox, "outbox", row, _outbox_problem(row))
    if "print_jobs" in tables:
        for row in _rows(db, "print_jobs", JOBS, "1", salvage):
            row["order_domain_id"] = _domain_id(db, orders, row["order_id"])
            _keep(salvage, salvage.print_jobs, "print_jobs", row, _job_problem(row))
    if "label_substitutions" in tables:
        for row in _rows(db, "label_substitutions", SUBSTITUTIONS, "1", salvage):
            row["order_domain_id"] = _domain_id(db, orders, row["order_id"])
            problem = None if row["order_domain_id"] else "its order cannot be read"
            _keep(salvage, salvage.substitutions, "label_substitutions", row, problem)
    if "mapping_tables" in tables:
        for row in _rows(db, "mapping_tables", MAPPINGS, "1", salvage):
            _keep(salvage, salvage.mapping_tables, "mapping_tables", row, _mapping_problem(row))


def _keep(salvage: Salvage, into: list[dict[str, Any]], table: str, row: dict[str, Any], problem: str | None) -> None:
    if problem is None:
        into.append(row)
    else:
        salvage.rejected.append({"table": table, "reason": problem, "row": row})


def _rows(
    db: sqlite3.Connection, table: str, columns: tuple[str, ...], where: str, salvage: Salvage
) -> list[dict[str, Any]]:
    select = f"SELECT {', '.join(columns)} FROM {table} WHERE ({where})"
    try:
        return [dict(zip(columns, r, strict=True)) for r in db.execute(f"{select} ORDER BY id")]
    except sqlite3.Error as exc:
        first_error = str(exc)
    try:  # one row at a time: a damaged page costs only the rows on it
        last, known_end = int(db.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0), True
    except sqlite3.Error:
        last, known_end = PROBE_LIMIT, False
    rows: list[dict[str, Any]] = []
    lost: list[int] = []
    last_read = 0
    for row_id in range(1, last + 1):
        if not known_end and row_id - last_read > PROBE_GAP:
            break  # the table's end cannot be read: stop some way past the last row that could
        try:
            found = db.execute(f"{select} AND id = ?", (row_id,)).fetchone()
        except sqlite3.Error:
            lost.append(row_id)
            continue
        last_read = row_id
        if found is not None:
            rows.append(dict(zip(columns, found, strict=True)))
    if known_end:
        shown = ", ".join(map(str, lost[:20])) + (" …" if len(lost) > 20 else "")
        salvage.unreadable.append(f"{table}: {len(lost)} rows cannot be read (ids {shown or '—'}): {first_error}")
    else:
        salvage.unreadable.append(f"{table}: nothing can be read after id {last_read}: {first_error}")
    return rows


def _domain_id(db: sqlite3.Connection, known: dict[int, str | None], order_id: object) -> str | None:
    if not isinstance(order_id, int):
        return None
    if order_id not in known:
        try:
            row = db.execute("SELECT domain_id FROM orders WHERE id = ?", (order_id,)).fetchone()
        except sqlite3.Error:
            row = None
        known[order_id] = row[0] if row and isinstance(row[0], str) and is_domain_id(row[0]) else None
    return known[order_id]


def _json_problem(text: object, name: str) -> str | None:
    if not isinstance(text, str | bytes | bytearray):  # a damaged row may hold any type in any column
        return f"{name} is not JSON"
    try:
        json.loads(text)
    except ValueError:
        return f"{name} is not JSON"
    return None


def _outbox_problem(row: dict[str, Any]) -> str | None:
    if row["kind"] not in ACTION_KINDS:
        return f"unknown action kind {str(row['kind'])[:40]!r}"
    if not isinstance(row["order_domain_id"], str) or not is_domain_id(row["order_domain_id"]):
        return f"not a unified id: {str(row['order_domain_id'])[:40]!r}"
    if not isinstance(row["idempotency_key"], str) or not 0 < len(row["idempotency_key"]) <= 128:
        return "no usable idempotency key"
    return _json_problem(row["payload_json"], "payload_json")


def _job_problem(row: dict[str, Any]) -> str | None:
    if row["order_domain_id"] is None:
        return "its order cannot be read"
    if row["state"] not in JOB_STATES:
        return f"unknown state {str(row['state'])[:40]!r}"
    return _json_problem(row["preflight_json"], "preflight_json")


def _mapping_problem(row: dict[str, Any]) -> str | None:
    text = row["document_json"]
    if not isinstance(text, str) or hashlib.sha256(text.encode()).hexdigest() != row["sha256"]:
        return "the document no longer matches its sha256"
    return None


def report_document(salvage: Salvage, placed: dict[str, Any]) -> dict[str, Any]:
    """The salvage report kept beside the damaged file: every row read, whether it went back."""

    def plain(row: dict[str, Any]) -> dict[str, Any]:
        return {k: base64.b64encode(v).decode() if isinstance(v, bytes) else v for k, v in row.items()}

    return {"source": str(salvage.source), "counts": salvage.counts(), "placed": placed,
            "unreadable": salvage.unreadable, "rejected": [{**r, "row": plain(r["row"])} for r in salvage.rejected],
            "outbox": [plain(r) for r in salvage.outbox], "print_jobs": [plain(r) for r in salvage.print_jobs],
            "substitutions": [plain(r) for r in salvage.substitutions],
            "mapping_tables": [plain(r) for r in salvage.mapping_tables]}  # fmt: skip
