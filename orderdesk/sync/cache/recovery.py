"""The ways out of a damaged cache: restore the newest good automatic backup, or rebuild from the hub.

Both first move the file at the cache's path aside, with its WAL, its shared-memory file and its
check record (``cache.sqlite3.damaged-<time>``, ``…-wal``, …): nothing is ever deleted. Both then
salvage what only this computer had (`salvage.py`) and put it into the new file (`put_back.py`),
leave a report of every salvaged row beside the file kept aside (``….salvage.json``), and write one
audit entry (``cache.restore`` / ``cache.rebuild``) that names both files.

A rebuild asks the hub who we are before moving anything, so a wrong address or token leaves the
damaged file where it was. A rebuild the network interrupts is resumed by running it again: the
marker ``<cache>.rebuild.json`` names the file kept aside, and putting rows back never doubles one."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orderdesk.sync.cache import audit, check_record, full_check, open_check, put_back, salvage
from orderdesk.sync.cache.store import Cache
from orderdesk.sync.cache.trouble import CacheUnusable, RecoveryError, backup_time, backups_of
from orderdesk.sync.contract import canonical_json

SIDE_FILES = ("-wal", "-shm", check_record.SUFFIX)


@dataclass
class Recovery:
    action: str  # "restore" or "rebuild"
    path: Path
    aside: Path | None = None
    backup: Path | None = None
    report: Path | None = None
    salvaged: dict[str, int] = field(default_factory=dict)
    placed: put_back.Placed = field(default_factory=put_back.Placed)
    unreadable: list[str] = field(default_factory=list)
    sync: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "path": str(self.path), "kept_aside": str(self.aside) if self.aside else None,
                "backup": str(self.backup) if self.backup else None, "report": str(self.report) if self.report else None,
                "salvaged": self.salvaged, "placed": self.placed.as_json(), "unreadable": self.unreadable,
                "sync": self.sync, "not_recovered": self.not_recovered()}  # fmt: skip

    def not_recovered(self) -> list[dict[str, str]]:
        """What this way out cannot bring back, in words."""
        kept = str(self.aside) if self.aside else "—"
        lost = []
        if self.action == "rebuild":
            lost += [{"en": f"the audit trail from before the rebuild (still readable in {kept})",
                      "zh": f"重建之前的审计记录(仍可在 {kept} 中读取)"},
                     {"en": "quarantined records (the sources send them again)", "zh": "隔离区中的记录(来源会重新发送)"},
                     {"en": "the rare-character queue (orderdesk labels scan fills it again)",
                      "zh": "生僻字待处理队列(orderdesk labels scan 可重新生成)"}]  # fmt: skip
        elif self.backup is not None:
            lost.append({"en": f"local changes after the backup of {backup_time(self.backup)} other than those salvaged "
                               "(orders and observations come back with the next sync)",
                         "zh": f"{backup_time(self.backup)} 备份之后、未能抢救的本地改动(订单和状态会在下次同步时回来)"})  # fmt: skip
        for row in self.placed.not_placed:
            lost.append({"en": f"{row['table']} {row['id']} of order {row['order']}: {row['reason']} (kept in the report)",
                         "zh": f"订单 {row['order']} 的 {row['table']} {row['id']}:缓存中没有该订单(已保存在报告中)"})  # fmt: skip
        lost += [{"en": f"unreadable: {u}", "zh": f"无法读取:{u}"} for u in self.unreadable]
        return lost


def aside_path(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target, n = path.with_name(f"{path.name}.damaged-{stamp}"), 1
    while target.exists() or any(target.with_name(target.name + s).exists() for s in SIDE_FILES):
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    return target


def move_aside(path: Path) -> Path | None:
    """Rename the file (or folder) at ``path`` and its side files to ``<name>.damaged-<time>``."""
    if not path.exists() and not path.is_symlink():
        return None
    target = aside_path(path)
    try:
        os.rename(path, target)
        for suffix in SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.rename(side, target.with_name(target.name + suffix))
    except OSError as exc:
        raise CacheUnusable("read_only", path, what_en=f"{path} cannot be moved aside ({exc})", what_zh=f"无法把 {path} 移到一旁({exc})",
                            detail=str(exc)) from None  # fmt: skip
    return target


def backup_problem(backup: Path) -> str | None:
    """Why a backup cannot be restored, or None when it passes the cheap and the full check."""
    try:
        open_check.check_file(backup)
    except CacheUnusable as exc:
        return exc.what.en
    checked = full_check.full_check(backup, record=False)
    return None if checked.ok else checked.problems[0].what.en


def choose_backup(path: Path, backup: Path | None) -> Path:
    candidates = [backup] if backup is not None else backups_of(path)
    if not candidates:
        raise RecoveryError(en=f"there is no automatic backup of {path}: rebuild from the hub instead "
                            "(orderdesk cache rebuild --hub URL)",
                            zh=f"{path} 没有自动备份:请改为从订单中心重建(orderdesk cache rebuild --hub 地址)")  # fmt: skip
    problems = []
    for candidate in candidates:
        if not candidate.is_file():
            problems.append(f"{candidate}: no such file")
            continue
        problem = backup_problem(candidate)
        if problem is None:
            return candidate
        problems.append(f"{candidate.name}: {problem}")
    said = "; ".join(problems)[:600]
    raise RecoveryError(en=f"no backup can be restored ({said}): rebuild from the hub instead (orderdesk cache rebuild --hub URL)",
                        zh=f"没有可恢复的备份({said}):请改为从订单中心重建(orderdesk cache rebuild --hub 地址)")  # fmt: skip


def restore(
    path: Path, backup: Path | None = None, *, operator: str, print_history: bool = True
) -> tuple[Recovery, salvage.Salvage]:
    """Put the newest good backup (or ``backup``) in place, with what the damaged file still had.
    Print jobs go back with ``print_history``; a caller that syncs first places them after the sync
    (``sync.rebuild.restore_and_sync``), so that jobs of orders newer than the backup find them."""
    chosen = choose_backup(path, backup)
    recovery = Recovery("restore", path, backup=chosen)
    recovery.aside = move_aside(path)
    found = salvage.read(recovery.aside) if recovery.aside else salvage.Salvage(path)
    keep_report(recovery, found)
    temporary = path.with_name(f"{path.name}.restoring-{os.getpid()}")
    shutil.copyfile(chosen, temporary)
    os.replace(temporary, path)
    check_record.note_passed(path)  # it passed the full check as the backup it was a moment ago
    with Cache(path) as cache, cache.write() as c:
        put_back.before_sync(c, found, recovery.placed)
        if print_history:
            put_back.print_history(c, found, recovery.placed)
            write_audit(c, recovery, operator)
    keep_report(recovery, found)
    return recovery, found


def keep_report(recovery: Recovery, found: salvage.Salvage) -> None:
    """Write (again) the salvage report beside the file kept aside."""
    recovery.salvaged, recovery.unreadable = found.counts(), found.unreadable
    if recovery.aside is None:
        return
    recovery.report = recovery.aside.with_name(recovery.aside.name + ".salvage.json")
    document = salvage.report_document(found, recovery.placed.as_json())
    recovery.report.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def write_audit(c: Any, recovery: Recovery, operator: str) -> None:
    draft = audit.AuditDraft.of(
        operator, "console", "cache", f"cache.{recovery.action}", "cache",
        canonical_json({"file": str(recovery.aside) if recovery.aside else None}),
        canonical_json({"file": str(recovery.path), "backup": str(recovery.backup) if recovery.backup else None}),
        canonical_json({"salvaged": recovery.salvaged, "placed": recovery.placed.as_json(),
                        "unreadable": recovery.unreadable}),
    )  # fmt: skip
    audit.append(c, [draft], time.time_ns() // 1_000_000)
