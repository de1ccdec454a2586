"""What OrderDesk remembers about a cache file's checks, beside it in ``<cache>.checks.json`` (not in
the file itself: a damaged file cannot be trusted to say that it is damaged, and writing into it
would change what is being watched).

- ``closed``: the file as OrderDesk last left it (inode, size, times, and its WAL's size and time).
  A file found different at the next open was changed by something else: another program, a copy,
  a disk, or an OrderDesk process that was killed before it closed the file. Then the full check is
  due before anything trusts the file again (``changed_outside_at_ms``).
- ``passed_at_ms``: when the last full check passed (or OrderDesk created the file).
- ``finding``: what the last full check found wrong. It stays until a full check passes or the
  file is restored or rebuilt, so every later open says at once what is wrong, in a few milliseconds.

The record is advice, never a gate on its own: a missing or unreadable record only makes the full
check due. Writing it may fail (a read-only folder): that is logged and otherwise ignored."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from orderdesk.sync.cache.trouble import CacheUnusable

log = logging.getLogger(__name__)
SUFFIX = ".checks.json"
FULL_CHECK_EVERY_MS = 24 * 3600 * 1000  # sync and the console check at least daily


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def record_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def fingerprint(path: Path) -> dict[str, Any] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    try:
        wal = path.with_name(path.name + "-wal").stat()
        wal_print: list[int] | None = [wal.st_size, wal.st_mtime_ns]
    except OSError:
        wal_print = None
    return {"ino": stat.st_ino, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns,
            "wal": wal_print}  # fmt: skip


@dataclass
class CheckRecord:
    passed_at_ms: int | None = None
    closed: dict[str, Any] | None = None
    changed_outside_at_ms: int | None = None
    finding: dict[str, Any] | None = None

    def due(self, *, daily: bool) -> str | None:
        """Why the full check is due ("never", "changed", "stale"), or None."""
        if self.passed_at_ms is None:
            return "never"
        if self.changed_outside_at_ms is not None:
            return "changed"
        if daily and now_ms() - self.passed_at_ms > FULL_CHECK_EVERY_MS:
            return "stale"
        return None


def load(path: Path) -> CheckRecord:
    try:
        stored = json.loads(record_path(path).read_text(encoding="utf-8"))
        return CheckRecord(**{k: stored.get(k) for k in CheckRecord.__dataclass_fields__})
    except (OSError, ValueError, TypeError, AttributeError):
        return CheckRecord()


def save(path: Path, record: CheckRecord) -> None:
    target = record_path(path)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(asdict(record), indent=1), encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        log.warning("cannot keep the check record of %s: %s", path, exc)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def note_open(path: Path, existed: bool) -> tuple[CheckRecord, bool]:
    """At open, before SQLite touches the file: a file unlike the one OrderDesk left was changed
    outside OrderDesk. A new file, made here, counts as checked. Returns the record and whether it
    changed (the caller saves it once the file passed the cheap check: nothing is written beside a
    file that is not a cache)."""
    if not existed:
        return CheckRecord(passed_at_ms=now_ms()), True
    record = load(path)
    current = fingerprint(path)
    changed = False
    if record.finding is not None and current is not None and record.finding.get("ino") != current["ino"]:
        record.finding = None  # the file was replaced since: check it afresh
        changed = True
    if record.closed != current and record.changed_outside_at_ms is None:
        record.changed_outside_at_ms = now_ms()
        changed = True
    return record, changed


def note_closed(path: Path) -> None:
    record = load(path)
    record.closed = fingerprint(path)
    save(path, record)


def note_passed(path: Path) -> None:
    """A full check passed: the file as it stands is the one OrderDesk knows."""
    record = load(path)
    record.passed_at_ms, record.changed_outside_at_ms, record.finding = now_ms(), None, None
    record.closed = fingerprint(path)
    save(path, record)


def note_failed(path: Path, trouble: CacheUnusable) -> None:
    record = load(path)
    current = fingerprint(path) or {}
    record.finding = {"kind": trouble.kind, "detail": trouble.detail, "what_en": trouble.what.en,
                      "what_zh": trouble.what.zh, "at_ms": now_ms(), "ino": current.get("ino")}  # fmt: skip
    save(path, record)


def known_finding(path: Path, record: CheckRecord) -> CacheUnusable | None:
    """What an earlier full check found wrong with this very file, if anything."""
    found = record.finding
    if not found or found.get("kind") not in ("damaged", "truncated", "not_a_database"):
        return None
    at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(int(found.get("at_ms") or 0) / 1000))
    return CacheUnusable(
        str(found["kind"]),
        path,
        what_en=f"{found.get('what_en')} (found by the full check of {at}; orderdesk cache check checks again)",
        what_zh=f"{found.get('what_zh')}({at} 的完整检查发现;orderdesk cache check 可重新检查)",
        detail=str(found.get("detail") or ""),
    )
