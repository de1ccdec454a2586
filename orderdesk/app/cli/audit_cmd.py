"""`orderdesk audit …`: verify the hash chain; print its head to record elsewhere."""

from __future__ import annotations

import argparse

from orderdesk.app.cli.common import UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import tr
from orderdesk.sync.cache import audit


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("audit", help=tr("审计日志", "audit log"))
    sub = parser.add_subparsers(dest="audit_command", required=True)
    v = sub.add_parser("verify", help=tr("校验审计哈希链", "verify the audit hash chain"))
    v.add_argument(
        "--expect-head", metavar="SEQ:HASH", help=tr("与别处记录的链头比对", "compare with a head recorded elsewhere")
    )
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
    if args.json:
        problem = result.problem
        emit_json(
            {
                "ok": result.ok,
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
            }
        )
    elif result.ok:
        emit_line(tr(f"审计链完整:{result.entries} 条,链头 {result.head_seq}:{result.head_hash}",
                     f"audit chain intact: {result.entries} entries, head {result.head_seq}:{result.head_hash}"))  # fmt: skip
    else:
        assert result.problem is not None
        emit_line(tr(f"审计链被篡改:第 {result.problem.seq} 条({result.problem.kind}):{result.problem.message_zh}",
                     f"audit chain broken at entry {result.problem.seq} ({result.problem.kind}): {result.problem.message}"))  # fmt: skip
    return 0 if result.ok else 1


def run_head(args: argparse.Namespace) -> int:
    with open_cache(args, full_check="never") as cache, cache.read() as c:
        seq, digest = audit.head(c)
    if args.json:
        emit_json({"seq": seq, "hash": digest, "head": f"{seq}:{digest}"})
    else:
        emit_line(f"{seq}:{digest}")
    return 0
