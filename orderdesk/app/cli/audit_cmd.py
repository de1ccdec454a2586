"""`orderdesk audit …`: verify the hash chain; print its head to record elsewhere."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from orderdesk.app.cli.common import UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import tr
from orderdesk.sync.cache import audit, retention


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("audit", help=tr("审计日志", "audit log"))
    sub = parser.add_subparsers(dest="audit_command", required=True)
    v = sub.add_parser("verify", help=tr("校验审计哈希链", "verify the audit hash chain"))
    v.add_argument(
        "--expect-head", metavar="SEQ:HASH", help=tr("与别处记录的链头比对", "compare with a head recorded elsewhere")
    )
    v.add_argument("--archives", metavar="DIR", type=Path,
                   help=tr("归档文件所在目录(默认在缓存文件旁)", "where the archive files are (default: beside the cache file)"))  # fmt: skip
    v.set_defaults(run=run_verify)
    h = sub.add_parser("head", help=tr("打印链头(SEQ:HASH)", "print the chain head (SEQ:HASH)"))
    h.set_defaults(run=run_head)


def _expected(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    seq, sep, digest = text.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise UserError(tr(f"--expect-head 应为 SEQ:HASH,收到 {text!r}", f"--expect-head takes SEQ:HASH, got {text!r}"))
    return int(seq), digest


def run_verify(args: argparse.Namespace) -> int:
    expected = _expected(args.expect_head)
    with open_cache(args, full_check="never") as cache, cache.read() as c:
        result = audit.verify(c, expected)
        anchors = retention.anchors(c)
        folder = args.archives or cache.path.parent
    archives = _verify_archives(folder, anchors)
    ok = result.ok and all(a["ok"] is not False for a in archives)
    if result.ok and not ok and not args.json:  # the file's chain holds; an archive segment does not
        emit_line(tr("审计归档未通过核对(见下):", "an audit archive fails its check (below):"))
    if args.json:
        problem = result.problem
        emit_json(
            {
                "ok": ok,
                "entries": result.entries,
                "head": f"{result.head_seq}:{result.head_hash}" if result.ok else None,
                "problem": {
                    "seq": problem.seq,
                    "kind": problem.kind,
                    "message": problem.message,
                    "message_zh": problem.message_zh,
                }
                if problem
                else None,
                "archives": archives,
            }
        )
        return 0 if ok else 1
    elif result.ok:
        emit_line(tr(f"审计链完整:{result.entries} 条,链头 {result.head_seq}:{result.head_hash}",
                     f"audit chain intact: {result.entries} entries, head {result.head_seq}:{result.head_hash}"))  # fmt: skip
    else:
        assert result.problem is not None
        emit_line(tr(f"审计链被篡改:第 {result.problem.seq} 条({result.problem.kind}):{result.problem.message_zh}",
                     f"audit chain broken at entry {result.problem.seq} ({result.problem.kind}): {result.problem.message}"))  # fmt: skip
    for a in archives:
        if a["ok"] is None:
            emit_line(tr(f"  归档 {a['file']}(第 {a['first']}–{a['last']} 条)不在 {folder}:未能核对;用 --archives 指明其所在目录",
                         f"  archive {a['file']} (entries {a['first']}–{a['last']}) is not in {folder}: not checked; "
                         "name its folder with --archives"))  # fmt: skip
        elif a["ok"]:
            emit_line(
                tr(
                    f"  归档 {a['file']}:{a['entries']} 条完整,止于锚点",
                    f"  archive {a['file']}: {a['entries']} entries intact, ending at the anchor",
                )
            )
        else:
            emit_line(
                tr(f"  归档 {a['file']} 被篡改:{a['problem_zh']}", f"  archive {a['file']} broken: {a['problem']}")
            )
    return 0 if ok else 1


def _verify_archives(folder: Path, anchors: list[tuple[int, str, str, int]]) -> list[dict[str, Any]]:
    """Each pruned segment's archive: its own chain, ending at its anchor, starting where the one before ended."""
    checked: list[dict[str, Any]] = []
    previous = (0, audit.GENESIS)
    for seq, digest, name, entries in anchors:
        a: dict[str, Any] = {"file": name, "first": previous[0] + 1, "last": seq, "entries": entries, "ok": None}
        path = folder / name
        if path.exists():
            try:
                header = retention.read_header(path)
                segment = retention.verify_archive(path)
            except (OSError, EOFError, ValueError) as exc:
                a.update(ok=False, problem=f"unreadable: {exc}", problem_zh=f"无法读取:{exc}")
            else:
                joined = header.get("starts_after_hash") == previous[1]
                a["ok"] = segment.ok and joined and (segment.head_seq, segment.head_hash) == (seq, digest)
                if not a["ok"]:
                    p = segment.problem
                    a["problem"] = (
                        p.message
                        if p
                        else "it does not end at the anchor the cache recorded, or start where the segment before ended"
                    )
                    a["problem_zh"] = p.message_zh if p else "它不止于缓存记录的锚点,或不接上一段"
        checked.append(a)
        previous = (seq, digest)
    return checked


def run_head(args: argparse.Namespace) -> int:
    with open_cache(args, full_check="never") as cache, cache.read() as c:
        seq, digest = audit.head(c)
    if args.json:
        emit_json({"seq": seq, "hash": digest, "head": f"{seq}:{digest}"})
    else:
        emit_line(f"{seq}:{digest}")
    return 0
