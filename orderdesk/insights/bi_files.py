"""The BI export's files (insights/bi_export.py): Parquet and CSV written atomically (a hidden temporary,
synced, moved into place), the report of what was written, and the manifest of each day's fingerprint."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from orderdesk.insights.bi_schema import _ARROW, DAILY, SCHEMA_VERSION, Table
from orderdesk.sync.china_time import now_in_china
from orderdesk.sync.errors import BilingualError

FORMATS = ("parquet", "csv")
CHUNK = 10_000  # rows read from SQLite at a time (as Python tuples: the bulk of the memory an export takes)
ROW_GROUP = 100_000  # rows per Parquet row group
_OFFSET_MS = 8 * 3_600_000  # China: UTC+8, no daylight saving


class BiExportError(BilingualError):
    """A value the export cannot take, or a folder it cannot write; ``field`` and ``value`` name it."""

    def __init__(self, *, en: str, zh: str, field: str | None = None, value: object = None) -> None:
        super().__init__(en=en, zh=zh)
        self.field = field
        self.value = value


# -- the report ------------------------------------------------------------------------------------
@dataclass(slots=True)
class ExportReport:
    out: Path
    formats: tuple[str, ...]
    days_written: list[str] = field(default_factory=list)
    days_unchanged: int = 0
    days_removed: list[str] = field(default_factory=list)
    rewrote_all: str | None = None  # why every day was rewritten ("full", "salt", "schema"), if so
    rows: dict[str, int] = field(default_factory=dict)  # rows written this run, per table
    files_replaced: int = 0
    files_kept: int = 0  # written again with the same bytes: left as they were
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "formats": list(self.formats), "days_written": self.days_written,
                "days_unchanged": self.days_unchanged, "days_removed": self.days_removed,
                "rewrote_all": self.rewrote_all, "rows": self.rows, "files_replaced": self.files_replaced,
                "files_kept": self.files_kept, "seconds": round(self.seconds, 3)}  # fmt: skip


Progress = Callable[[int, int], None]  # (days written so far, days to write)


# -- writing ---------------------------------------------------------------------------------------
def _relative(table: Table, fmt: str, day: str | None) -> str:
    folder = f"{table.name}/day={day}" if day else table.name
    return f"{folder}/part.parquet" if fmt == "parquet" else f"csv/{folder}/part.csv"


def _formats_for(present: dict[str, Any], requested: tuple[str, ...]) -> tuple[str, ...]:
    """The formats asked for, and those the files already there are in: a day's files always agree."""
    had = {"csv" if name.startswith("csv/") else "parquet" for name in present}
    return tuple(f for f in FORMATS if f in requested or f in had)


def _write_table(out: Path, table: Table, rows: Iterator[tuple[Any, ...]], formats: tuple[str, ...],
                 report: ExportReport, day: str | None = None) -> dict[str, Any]:  # fmt: skip
    """Write one table (one day of it) in each format; returns {relative path: {rows, bytes, sha256}}."""
    targets = {fmt: out / _relative(table, fmt, day) for fmt in formats}
    temps = {fmt: _temporary(path) for fmt, path in targets.items()}
    count = 0
    try:
        with _Writers(table, temps) as writers:
            while chunk := list(itertools.islice(rows, CHUNK)):
                writers.write(chunk)
                count += len(chunk)
        return {_relative(table, fmt, day): _commit(temps[fmt], targets[fmt], count, report) for fmt in formats}
    finally:
        if isinstance(rows, Generator):
            rows.close()  # its cursor, now, while the connection is open
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        report.rows[table.name] = report.rows.get(table.name, 0) + count


class _Writers:
    """A Parquet writer and a CSV writer over the same stream of row chunks. Parquet gets row groups
    of ROW_GROUP rows, held meanwhile as Arrow arrays (compact, unlike the rows as Python tuples).
    The CSV is Arrow's writer: it quotes text and leaves a null an empty unquoted field (Python 3.11's
    csv module writes a null as ``""``, the same as an empty text)."""

    def __init__(self, table: Table, temps: dict[str, Path]) -> None:
        self.table, self.temps = table, temps
        self.parquet: pq.ParquetWriter | None = None
        self.csv: pcsv.CSVWriter | None = None
        self.held: list[pa.RecordBatch] = []

    def __enter__(self) -> _Writers:
        for path in self.temps.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        if "parquet" in self.temps:
            self.parquet = pq.ParquetWriter(self.temps["parquet"], self.table.arrow, compression="snappy")
        if "csv" in self.temps:
            self.csv = pcsv.CSVWriter(self.temps["csv"], _csv_schema(self.table))
        return self

    def write(self, chunk: list[tuple[Any, ...]]) -> None:
        columns = zip(*chunk, strict=True)
        arrays = [_array(c.kind, values) for c, values in zip(self.table.columns, columns, strict=True)]
        if self.parquet is not None:
            self.held.append(pa.RecordBatch.from_arrays(arrays, schema=self.table.arrow))
            if sum(b.num_rows for b in self.held) >= ROW_GROUP:
                self._row_group()
        if self.csv is not None:
            texts = [_csv_array(c.kind, a) for c, a in zip(self.table.columns, arrays, strict=True)]
            self.csv.write_batch(pa.RecordBatch.from_arrays(texts, schema=_csv_schema(self.table)))

    def _row_group(self) -> None:
        assert self.parquet is not None
        self.parquet.write_table(pa.Table.from_batches(self.held, schema=self.table.arrow), row_group_size=ROW_GROUP)
        self.held = []

    def __exit__(self, kind: object, *rest: object) -> None:
        if self.parquet is not None:
            if kind is None and self.held:
                self._row_group()
            self.parquet.close()  # a file with no rows still carries the schema
        if self.csv is not None:
            self.csv.close()


def _array(kind: str, values: Sequence[Any]) -> pa.Array:
    if kind == "bool":
        return pa.array(values, pa.int8()).cast(pa.bool_())
    return pa.array(values, _ARROW[kind])


def _csv_schema(table: Table) -> pa.Schema:
    return pa.schema([(c.name, pa.string() if c.kind == "timestamp" else _ARROW[c.kind]) for c in table.columns])


def _csv_array(kind: str, array: pa.Array) -> pa.Array:
    """A timestamp as China wall-clock time and its offset (``2026-01-05 14:22:07.000+08:00``, no time
    zone database needed); anything else as Arrow writes it."""
    if kind != "timestamp":
        return array
    wall = pc.add(array.cast(pa.int64()), _OFFSET_MS).cast(pa.timestamp("ms")).cast(pa.string())
    return pc.binary_join_element_wise(wall, "+08:00", "")


def _temporary(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}.tmp")


_TEMPORARY = re.compile(r"^\..+\.\d+\.tmp$")


def _remove_temporaries(out: Path) -> None:
    """What a killed export left half-written (under the lock: no other export is writing)."""
    for folder, _, names in os.walk(out):
        for name in names:
            if _TEMPORARY.match(name):
                (Path(folder) / name).unlink(missing_ok=True)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()


def _commit(temp: Path, final: Path, rows: int, report: ExportReport) -> dict[str, Any]:
    """Move a finished temporary file into place, unless the file there has the same bytes already."""
    size, sha = temp.stat().st_size, _digest(temp)
    if final.exists() and final.stat().st_size == size and _digest(final) == sha:
        temp.unlink()
        report.files_kept += 1
    else:
        _sync(temp)
        os.replace(temp, final)
        _sync(final.parent)
        report.files_replaced += 1
    return {"rows": rows, "bytes": size, "sha256": sha}


def _sync(path: Path) -> None:
    """fsync a file, or a folder (so a rename in it lasts); a folder cannot be opened so on Windows."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_json(path: Path, document: Any) -> None:
    data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode() + b"\n"
    if path.exists() and path.read_bytes() == data:
        return
    temp = _temporary(path)
    temp.write_bytes(data)
    _sync(temp)
    os.replace(temp, path)
    _sync(path.parent)


def _partition_days(out: Path) -> set[str]:
    """Days with a partition folder on disk (found even if a manifest was lost)."""
    days: set[str] = set()
    for table in DAILY:
        for base in (out / table.name, out / "csv" / table.name):
            if base.is_dir():
                days |= {p.name[4:] for p in base.iterdir() if p.is_dir() and p.name.startswith("day=")}
    return {d for d in days if _is_day(d)}


def _is_day(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _remove_day(out: Path, day: str, manifest: _Manifest) -> None:
    """A day none of whose orders is left: its files go (and its folders, when nothing else is in them)."""
    for table in DAILY:
        for fmt in FORMATS:
            path = out / _relative(table, fmt, day)
            path.unlink(missing_ok=True)
            with suppress(OSError):
                path.parent.rmdir()
    manifest.drop_day(day)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One export at a time into a folder (an advisory lock; where there is no fcntl, none)."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    with (out / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BiExportError(en=f"another export is writing into {out}", zh=f"另一个导出正在写入 {out}", field="--out",
                                value=str(out)) from None  # fmt: skip
        yield


# -- the manifest ----------------------------------------------------------------------------------
class _Manifest:
    """``_manifest.json``: per day what was read (orders, max updated_at_ms, fingerprint) and the files
    written (rows, bytes, sha256); the same for the dimensions; the salt's id and the schema version."""

    def __init__(self, out: Path, document: dict[str, Any], key_id: str) -> None:
        self.path = out / "_manifest.json"
        self.out = out
        self.key_id = key_id
        self._days: dict[str, dict[str, Any]] = document.get("days") or {}
        self.whole_files: dict[str, Any] = (document.get("dimensions") or {}).get("files") or {}
        self.stale: str | None = None
        self.removed_days: set[str] = set()
        if document and document.get("schema_version") != SCHEMA_VERSION:
            self.stale = "schema"
        elif document and document.get("customer_key_id") != key_id:
            self.stale = "salt"

    @classmethod
    def load(cls, out: Path, *, key_id: str) -> _Manifest:
        try:
            document = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            document = {}
        return cls(out, document if isinstance(document, dict) else {}, key_id)

    @property
    def days(self) -> set[str]:
        return set(self._days)

    def day_files(self, day: str) -> dict[str, Any]:
        return (self._days.get(day) or {}).get("files") or {}

    def current(self, day: str, found: dict[str, Any], formats: tuple[str, ...]) -> bool:
        """The day was exported from what the cache holds now, in these formats, and its files are there."""
        entry = self._days.get(day)
        if not entry or entry.get("fingerprint") != found["fingerprint"]:
            return False
        files = entry.get("files") or {}
        wanted = {_relative(t, f, day) for t in DAILY for f in formats}
        if not wanted <= files.keys():
            return False
        return all((self.out / name).is_file() and (self.out / name).stat().st_size == meta.get("bytes")
                   for name, meta in files.items())  # fmt: skip

    def set_day(self, day: str, found: dict[str, Any], files: dict[str, Any]) -> None:
        self._days[day] = {**found, "files": files}

    def drop_day(self, day: str) -> None:
        self._days.pop(day, None)

    def forget_days(self) -> None:
        """What the files on disk were made from no longer counts (they stay until rewritten or removed)."""
        self.removed_days = set(self._days)
        self._days.clear()

    def save(self) -> None:
        document = {
            "format": "orderdesk-bi-export",
            "schema_version": SCHEMA_VERSION,
            "exported_at": now_in_china().isoformat(timespec="seconds"),
            "customer_key_id": self.key_id,
            "days": dict(sorted(self._days.items())),
            "dimensions": {"files": self.whole_files},
        }
        _write_json(self.path, document)
