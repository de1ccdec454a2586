"""A cache file OrderDesk cannot use, said in words, in Chinese and in English: what is wrong with
which file, and what to do about it. Every way a cache can fail ends here as one `CacheUnusable`:

    kind             what happened                                          the way out
    directory        a folder stands where the cache file should be         move it, or `cache rebuild`
    not_a_database   the file is not SQLite (a text file, zeros, garbage)    `cache restore` or `cache rebuild`
    truncated        the file is shorter than its own header says           `cache restore` or `cache rebuild`
    damaged          SQLite or a full check found broken pages, an index
                     that disagrees with its table, a broken audit chain…   `cache restore` or `cache rebuild`
    not_a_cache      a SQLite database, but not an OrderDesk cache          another `--cache`, or `cache rebuild`
    newer_version    written by a newer OrderDesk (schema revision unknown)  the newer OrderDesk, or `cache rebuild`
    read_only        the file or its folder cannot be written               make them writable
    disk_full        SQLite could not grow the file: the disk is full        free space; nothing committed is lost
    io_error         reading or writing failed (size limit, failing disk)   check the disk; nothing committed is lost

The CLI turns it into one message and exit code 74; the console shows it in `app/ui/cache_trouble.py`.
:func:`classify` recognises SQLite's own errors wherever they surface ("database disk image is
malformed", "file is not a database", "database or disk is full", …)."""

from __future__ import annotations

import errno
import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from orderdesk.sync.errors import BilingualError
from orderdesk.sync.said import Said

DAMAGE = frozenset({"directory", "not_a_database", "truncated", "damaged", "not_a_cache", "newer_version"})
KINDS = DAMAGE | {"read_only", "disk_full", "io_error"}
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)
_STAMP = re.compile(r"-(\d{8}-\d{6})\.bak$")


def cut(text: object, limit: int = 200) -> str:
    """A value to quote in a message, cut short."""
    value = str(text).replace("\n", " ").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def backups_of(path: Path) -> list[Path]:
    """The automatic backups of a cache file (taken before each migration), newest first."""
    try:
        found = [p for p in path.parent.glob(f"{path.name}.*.bak") if p.is_file()]
    except OSError:
        return []

    def stamp(p: Path) -> str:
        match = _STAMP.search(p.name)
        return match.group(1) if match else ""

    return sorted(found, key=lambda p: (stamp(p), p.name), reverse=True)


def backup_time(backup: Path) -> str:
    match = _STAMP.search(backup.name)
    if not match:
        return "?"
    return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M:%S")


class CacheUnusable(BilingualError):
    """The cache at ``path`` cannot be used: ``what`` is wrong, ``advice`` what to do about it, ``said``
    both (the advice as things are now: a backup made since is offered). ``str()`` is the English text."""

    def __init__(self, kind: str, path: Path, *, what_en: str, what_zh: str, detail: str = "") -> None:
        assert kind in KINDS, kind
        self.kind = kind
        self.path = path
        self.what = Said(zh=what_zh, en=what_en)
        self.detail = detail
        said = self.said
        super().__init__(en=said.en, zh=said.zh)

    @property
    def is_damage(self) -> bool:
        """The file itself is wrong (restore or rebuild), rather than its surroundings (space, rights)."""
        return self.kind in DAMAGE

    @property
    def ways_out(self) -> tuple[str, ...]:
        """What the console offers: restore (when a backup exists), rebuild, or neither."""
        if not self.is_damage:
            return ()
        return ("restore", "rebuild") if backups_of(self.path) and self.kind != "directory" else ("rebuild",)

    @property
    def said(self) -> Said:
        advice = self.advice
        return Said(zh=f"{self.what.zh}。{advice.zh}", en=f"{self.what.en}. {advice.en}")

    @property
    def advice(self) -> Said:
        p = self.path
        if self.kind == "read_only":
            return Said(en=f"Make {p.name} and its folder writable for this user, or use another --cache; nothing was changed",
                        zh=f"请让当前用户可以写入 {p.name} 及其所在文件夹,或改用其他 --cache;没有改动任何内容")  # fmt: skip
        if self.kind == "disk_full":
            return Said(en=f"Free space on the disk of {p.parent} (free now: {_free(p)}), then run it again; "
                        "the interrupted write was rolled back, nothing committed is lost",
                        zh=f"请清理 {p.parent} 所在磁盘的空间(现有可用:{_free(p)})后重试;中断的写入已回滚,已提交的内容不会丢失")  # fmt: skip
        if self.kind == "io_error":
            return Said(en=f"Check the disk of {p.parent} (free now: {_free(p)}; a file size limit or a failing disk also "
                        "gives this), then run it again; nothing committed is lost",
                        zh=f"请检查 {p.parent} 所在磁盘(现有可用:{_free(p)};文件大小限制或磁盘故障也会如此)后重试;已提交的内容不会丢失")  # fmt: skip
        cache = _cache_option(p)
        rebuild_en = f"rebuild it from the hub with: orderdesk{cache} cache rebuild --hub URL (the file is moved aside, never deleted)"
        rebuild_zh = f"从订单中心重建:orderdesk{cache} cache rebuild --hub 地址(原文件会被移到一旁保留,不会删除)"
        if self.kind == "directory":
            return Said(en=f"Move that folder away or use another --cache, or {rebuild_en}",
                        zh=f"请移走该文件夹或改用其他 --cache,或{rebuild_zh}")  # fmt: skip
        if self.kind == "newer_version":
            return Said(en=f"Open it with the newer OrderDesk that wrote it, or {rebuild_en}",
                        zh=f"请用写入它的新版 OrderDesk 打开,或{rebuild_zh}")  # fmt: skip
        backups = backups_of(p)
        if backups:
            when = backup_time(backups[0])
            return Said(en=f"Restore the automatic backup of {when} with: orderdesk{cache} cache restore; or {rebuild_en}",
                        zh=f"请恢复 {when} 的自动备份:orderdesk{cache} cache restore;或{rebuild_zh}")  # fmt: skip
        return Said(
            en=f"No automatic backup of this file exists: {rebuild_en}", zh=f"此文件没有自动备份:请{rebuild_zh}"
        )

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "path": str(self.path), "detail": self.detail, "message": self.en,
                "message_zh": self.zh, "ways_out": list(self.ways_out),
                "backups": [str(b) for b in backups_of(self.path)]}  # fmt: skip


class RecoveryError(BilingualError):
    """A way out that cannot be taken (no usable backup, …), in both languages. ``code`` is the exit."""

    def __init__(self, *, en: str, zh: str, code: int = 1) -> None:
        super().__init__(en=en, zh=zh)
        self.code = code


def _cache_option(path: Path) -> str:
    """`` --cache PATH`` for a command to suggest, unless ``path`` is the default cache."""
    from orderdesk.sync.cache.store import default_cache_path

    return "" if path == default_cache_path() else f" --cache {path}"


def _free(path: Path) -> str:
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return "?"
    return f"{free / 1e9:.1f} GB" if free >= 1e9 else f"{free / 1e6:.1f} MB"


def damaged(path: Path, detail: str) -> CacheUnusable:
    return CacheUnusable("damaged", path, what_en=f"The cache file {path} is damaged: {cut(detail)}",
                         what_zh=f"缓存文件 {path} 已损坏:{cut(detail)}", detail=detail)  # fmt: skip


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    if isinstance(exc, DBAPIError) and isinstance(exc.orig, sqlite3.Error):
        return exc.orig
    return exc if isinstance(exc, sqlite3.Error) else None


def classify(exc: BaseException, path: Path) -> CacheUnusable | None:
    """The cache trouble an error from SQLite (raw or wrapped by SQLAlchemy) means, if it means one."""
    if isinstance(exc, CacheUnusable):
        return exc
    if isinstance(exc, OSError) and exc.errno in _NO_ROOM:
        kind = {errno.EFBIG: "io_error", errno.EROFS: "read_only"}.get(exc.errno, "disk_full")
        return CacheUnusable(kind, path, what_en=f"A write failed while working on the cache {path} ({cut(exc)})",
                             what_zh=f"处理缓存 {path} 时写入失败({cut(exc)})", detail=str(exc))  # fmt: skip
    if isinstance(exc, UnicodeDecodeError):  # read from the cache (callers classify only what it raised)
        return damaged(path, f"text that is not UTF-8 ({exc})")
    error = _sqlite_error(exc)
    if error is None:
        return None
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(error)
    lowered = text.lower()
    if code == sqlite3.SQLITE_CORRUPT or "malformed" in lowered or lowered.startswith("could not decode to utf-8"):
        return damaged(path, text)
    if code == sqlite3.SQLITE_NOTADB or "file is not a database" in lowered:
        return CacheUnusable("not_a_database", path, what_en=f"The cache file {path} is not a SQLite database ({cut(text)})",
                             what_zh=f"缓存文件 {path} 不是 SQLite 数据库({cut(text)})", detail=text)  # fmt: skip
    if code == sqlite3.SQLITE_FULL:
        return CacheUnusable("disk_full", path, what_en=f"The disk is full: SQLite could not write {path} ({cut(text)})",
                             what_zh=f"磁盘已满:SQLite 无法写入 {path}({cut(text)})", detail=text)  # fmt: skip
    if code == sqlite3.SQLITE_IOERR:
        return CacheUnusable("io_error", path, what_en=f"Reading or writing {path} failed ({cut(text)})",
                             what_zh=f"读写 {path} 失败({cut(text)})", detail=text)  # fmt: skip
    if code == sqlite3.SQLITE_READONLY:
        return CacheUnusable("read_only", path, what_en=f"The cache file {path} cannot be written ({cut(text)})",
                             what_zh=f"缓存文件 {path} 无法写入({cut(text)})", detail=text)  # fmt: skip
    if code == sqlite3.SQLITE_CANTOPEN:
        return cannot_open(path, text)
    return None


def cannot_open(path: Path, detail: str) -> CacheUnusable:
    """SQLite's "unable to open database file", explained by what stands at the path."""
    if path.is_dir():
        return CacheUnusable("directory", path, what_en=f"{path} is a folder, not a cache file",
                             what_zh=f"{path} 是一个文件夹,不是缓存文件", detail=detail)  # fmt: skip
    return CacheUnusable("read_only", path, what_en=f"The cache file {path} or its folder cannot be opened for writing ({cut(detail)})",
                         what_zh=f"无法以写入方式打开缓存文件 {path} 或其所在文件夹({cut(detail)})", detail=detail)  # fmt: skip
