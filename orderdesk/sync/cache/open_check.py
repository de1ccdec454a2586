"""The cheap check every open of the cache runs (a few milliseconds, whatever the file's size):

1. what stands at the path: a folder, a folder that cannot be written, a file that cannot be;
2. the file's header: SQLite's magic, a possible page size, and a size that holds as many pages as
   the header says (unless a WAL holds the newest pages: then SQLite decides, and the full check);
3. the WAL beside it, if any: a valid header for this page size (a WAL left behind by a killed
   process is normal: SQLite replays it; a WAL with a broken header would be dropped silently);
4. through SQLite, read-only: the schema parses, the migration revision is one this OrderDesk
   knows, and at the newest revision every table has the columns `schema.py` gives it.

It reads the file without changing it (SQLite's read-only mode does not checkpoint on close).
Everything wrong is raised as `CacheUnusable`; what it cannot see (a flipped byte inside a page) is
for the full check (`full_check.py`)."""

from __future__ import annotations

import os
import sqlite3
import struct
from pathlib import Path

from orderdesk.sync.cache.migrate import HEAD, MIGRATIONS_DIR
from orderdesk.sync.cache.trouble import CacheUnusable, classify, cut

MAGIC = b"SQLite format 3\x00"
WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_VERSION = 3007000


def known_revisions() -> set[str]:
    return {p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("*.py") if p.name[:1].isdigit()}


def check_place(path: Path) -> bool:
    """What stands at ``path`` and whether OrderDesk may write there. Returns whether a file exists."""
    if path.is_dir():
        raise CacheUnusable(
            "directory",
            path,
            what_en=f"{path} is a folder, not a cache file",
            what_zh=f"{path} 是一个文件夹,不是缓存文件",
        )
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheUnusable("read_only", path, what_en=f"The folder {folder} cannot be created ({cut(exc)})",
                            what_zh=f"无法创建文件夹 {folder}({cut(exc)})", detail=str(exc)) from None  # fmt: skip
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CacheUnusable("read_only", path, what_en=f"The folder {folder} is read-only (SQLite keeps its -wal and -shm files beside the cache)",
                            what_zh=f"文件夹 {folder} 是只读的(SQLite 需要在缓存旁边写 -wal 和 -shm 文件)")  # fmt: skip
    if not path.exists():
        return False
    if not path.is_file():
        raise CacheUnusable(
            "not_a_database", path, what_en=f"{path} is not a regular file", what_zh=f"{path} 不是普通文件"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        raise CacheUnusable(
            "read_only", path, what_en=f"The cache file {path} is read-only", what_zh=f"缓存文件 {path} 是只读的"
        )
    return True


def check_file(path: Path) -> None:
    """The header, the size, the WAL and the schema of an existing file (see the module's text)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise CacheUnusable("io_error", path, what_en=f"Reading {path} failed ({cut(exc)})", what_zh=f"读取 {path} 失败({cut(exc)})",
                            detail=str(exc)) from None  # fmt: skip
    if size == 0:
        return  # SQLite takes an empty file for a new database
    if not header.startswith(MAGIC):
        raise CacheUnusable("not_a_database", path,
                            what_en=f"The cache file {path} is not a SQLite database (it starts with {cut(repr(header[:16]), 60)})",
                            what_zh=f"缓存文件 {path} 不是 SQLite 数据库(开头是 {cut(repr(header[:16]), 60)})")  # fmt: skip
    if len(header) < 100:
        raise _truncated(
            path, en=f"{size} bytes, less than SQLite's 100-byte header", zh=f"只有 {size} 字节,不足 100 字节的文件头"
        )
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _header(path, en=f"page size {page_size}", zh=f"页大小 {page_size}")
    wal_in_use = _check_wal(path, page_size)
    if not wal_in_use:
        pages, changes, valid_for = struct.unpack(">I", header[28:32])[0], header[24:28], header[92:96]
        if size % page_size:
            raise _truncated(path, en=f"{size} bytes, not a whole number of {page_size}-byte pages",
                             zh=f"{size} 字节,不是整数个 {page_size} 字节的页")  # fmt: skip
        if pages and changes == valid_for and size < pages * page_size:
            raise _truncated(path, en=f"{size} bytes, but its header says {pages} pages of {page_size} bytes ({pages * page_size} bytes)",
                             zh=f"{size} 字节,而文件头记录 {pages} 页 × {page_size} 字节({pages * page_size} 字节)")  # fmt: skip
    _check_schema(path)


def _truncated(path: Path, *, en: str, zh: str) -> CacheUnusable:
    return CacheUnusable(
        "truncated",
        path,
        what_en=f"The cache file {path} is cut short: {en}",
        what_zh=f"缓存文件 {path} 被截断:{zh}",
        detail=en,
    )


def _header(path: Path, *, en: str, zh: str) -> CacheUnusable:
    return CacheUnusable("damaged", path, what_en=f"The cache file {path} has a damaged header: {en}",
                         what_zh=f"缓存文件 {path} 的文件头已损坏:{zh}", detail=en)  # fmt: skip


def wal_checksum(data: bytes, big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum (https://sqlite.org/fileformat2.html#walformat) over 8-byte steps."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s0 = s1 = 0
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _check_wal(path: Path, page_size: int) -> bool:
    """Whether a WAL with frames lies beside the file; a WAL with a broken header is damage."""
    wal = path.with_name(path.name + "-wal")
    try:
        with wal.open("rb") as f:
            header = f.read(32)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise CacheUnusable("io_error", path, what_en=f"Reading {wal} failed ({cut(exc)})", what_zh=f"读取 {wal} 失败({cut(exc)})",
                            detail=str(exc)) from None  # fmt: skip
    if not header:
        return False
    problem = None
    if len(header) < 32:
        problem = (f"{len(header)} bytes, less than its 32-byte header", f"只有 {len(header)} 字节,不足 32 字节的头")
    else:
        magic, version, wal_page_size = struct.unpack(">III", header[:12])
        if magic not in WAL_MAGIC or version != WAL_VERSION:
            problem = (f"it starts with {cut(repr(header[:8]), 40)}", f"开头是 {cut(repr(header[:8]), 40)}")
        elif wal_page_size != page_size:
            problem = (f"its pages are {wal_page_size} bytes, the file's {page_size}",
                       f"其页大小 {wal_page_size} 与文件的 {page_size} 不符")  # fmt: skip
        elif wal_checksum(header[:24], magic & 1 == 1) != struct.unpack(">II", header[24:32]):
            problem = ("its header checksum is wrong", "其文件头校验和不符")
    if problem is None:
        return True
    raise CacheUnusable("damaged", path,
                        what_en=f"The write-ahead log {wal.name} beside the cache is damaged ({problem[0]}): SQLite would drop the changes it holds",
                        what_zh=f"缓存旁边的预写日志 {wal.name} 已损坏({problem[1]}):SQLite 会丢弃其中的改动", detail=problem[0])  # fmt: skip


def _check_schema(path: Path) -> None:
    from orderdesk.sync.cache.schema import metadata

    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise classify(exc, path) or exc from None
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return  # a database with nothing in it yet: the migrations make the schema
        if "alembic_version" not in tables:
            shown = ", ".join(sorted(tables)[:8])
            raise CacheUnusable("not_a_cache", path,
                                what_en=f"{path} is a SQLite database but not an OrderDesk cache (its tables: {cut(shown, 120)})",
                                what_zh=f"{path} 是 SQLite 数据库,但不是 OrderDesk 缓存(其中的表:{cut(shown, 120)})")  # fmt: skip
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(revision[0]) if revision else None
        if revision not in known_revisions():
            raise CacheUnusable("newer_version", path,
                                what_en=f"The cache file {path} has schema revision {cut(revision, 40)}, which this OrderDesk does not know "
                                f"(it knows up to {HEAD}): a newer OrderDesk wrote it",
                                what_zh=f"缓存文件 {path} 的结构版本为 {cut(revision, 40)},本版 OrderDesk 不认识(最高到 {HEAD}):它由更新的版本写入",
                                detail=str(revision))  # fmt: skip
        if revision != HEAD:
            return  # the migrations bring it to the newest schema (after a backup)
        for table in metadata.sorted_tables:
            columns = {r[1] for r in db.execute(f'PRAGMA table_info("{table.name}")')}
            expected = set(table.columns.keys())
            if columns != expected:
                missing = cut(", ".join(sorted(expected - columns)) or "—", 120)
                en, zh = (f"lacks {missing}", f"缺少 {missing}") if columns else ("is missing", "不见了")
                raise CacheUnusable("damaged", path, what_en=f"The cache file {path} has a damaged schema: table {table.name} {en}",
                                    what_zh=f"缓存文件 {path} 的结构已损坏:表 {table.name} {zh}", detail=f"table {table.name} {en}")  # fmt: skip
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # damaged names can be bytes that are not UTF-8
        raise classify(exc, path) or _unexpected(path, exc) from None
    finally:
        db.close()


def _unexpected(path: Path, exc: sqlite3.Error | UnicodeDecodeError) -> CacheUnusable:
    """Any other SQLite error while reading the schema (e.g. "no such table"), or a name that is not
    UTF-8, means a damaged schema."""
    return CacheUnusable("damaged", path, what_en=f"The cache file {path} has a damaged schema ({cut(exc)})",
                         what_zh=f"缓存文件 {path} 的结构已损坏({cut(exc)})", detail=str(exc))  # fmt: skip
