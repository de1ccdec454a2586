"""Reading a JSONL file of records (`orderdesk orders import`): one record per line, and a line that is
not one (not UTF-8, not JSON, nested too deep, a number too long to read: sync/json_input.py) becomes
a RefusedLine that goes to quarantine as it was, saying why. Nothing in a file can stop the lines
after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orderdesk.sync.cache.ingest import RefusedLine
from orderdesk.sync.json_input import Unreadable, read_json
from orderdesk.sync.record_errors import RecordError


def read_value(raw: bytes, number: int, reference: str) -> Any:
    """The JSON value of one line (or document), or a RefusedLine saying why there is none."""
    item = read_json(raw)
    if not isinstance(item, Unreadable):
        return item
    text = raw.decode("utf-8", "backslashreplace")
    error = RecordError(
        field="$", value=text, message=f"line {number} {item.en}", message_zh=f"第 {number} 行{item.zh}"
    )
    return RefusedLine.of(reference, text, error)


def unwrap(item: Any) -> tuple[str | None, Any]:
    """A line's kind and record: {"order": …} or {"observation": …}; anything else (None, item)."""
    if isinstance(item, dict) and len(item) == 1:
        kind = next(iter(item))
        if kind in ("order", "observation"):
            return kind, item[kind]
    return None, item


def parse_line(raw: bytes, number: int, reference: str) -> tuple[str, Any]:
    """("order" | "observation", record) for one line; a bare record is an order; a line that is
    none is ("order", RefusedLine)."""
    kind, record = unwrap(read_value(raw, number, reference))
    return kind or "order", record


def read_records(path: Path) -> Iterator[tuple[str, Any]]:
    """Every record of a JSONL file, in order; blank lines skipped, a byte-order mark at the start too."""
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, 1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            raw = raw.rstrip(b"\r\n")
            if raw.strip():
                yield parse_line(raw, number, f"{path.name}:{number}")
