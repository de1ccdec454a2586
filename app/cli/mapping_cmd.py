"""`orderdesk mapping …`: map a raw status, import a table, list the tables in force."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from app.cli.common import UserError, emit_json, emit_line, open_cache
from app.i18n import language, tr
from sync.cache.mapping_store import active_registry, import_table
from sync.mapping import MappingTableError
from sync.mapping.registry import load_table_file


def register(commands: argparse._SubParsersAction) -> None:
    mapping = commands.add_parser("mapping", help=tr("状态映射表", "status mapping tables"))
    sub = mapping.add_subparsers(dest="mapping_command", required=True)
    m = sub.add_parser("map", help=tr("把原始状态映射为标准状态", "map a raw status to canonical state"))
    m.add_argument("--source", required=True)
    m.add_argument("--status", required=True)
    m.add_argument("--status-field", help=tr("原始状态所在字段(默认取映射表的)", "field of the raw status"))
    m.add_argument("--field", action="append", default=[], metavar="NAME=VALUE")
    m.set_defaults(run=run_map)
    i = sub.add_parser("import", help=tr("导入新版本映射表", "import a new version of a table"))
    i.add_argument("file", type=Path)
    i.add_argument("--operator", default="console")
    i.set_defaults(run=run_import)
    ls = sub.add_parser("list", help=tr("列出生效的映射表", "list the tables in force"))
    ls.set_defaults(run=run_list)


def _fields(pairs: list[str]) -> dict[str, str]:
    fields = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UserError(tr(f"--field 需要 NAME=VALUE,收到 {pair!r}", f"--field takes NAME=VALUE, got {pair!r}"))
        fields[name.strip()] = value.strip()
    return fields


def run_map(args: argparse.Namespace) -> int:
    with open_cache(args) as cache, cache.read() as c:
        registry = active_registry(c)
    if args.source not in registry:
        known = ", ".join(registry.sources)
        raise UserError(tr(f"未知来源 {args.source!r};可用:{known}", f"unknown source {args.source!r}; known: {known}"))
    table = registry.table(args.source)
    fields = {**_fields(args.field), (args.status_field or table.status_field): args.status}
    mapped = table.map(fields, args.status_field or table.status_field)
    document = {"source": args.source, "source_system": table.source_system.value, "fields": fields, **mapped.as_json()}
    if args.json:
        emit_json(document)
    elif mapped.unmapped:
        emit_line(tr(f"未映射:{args.source} 没有规则认识 {fields}", f"unmapped: no {args.source} rule knows {fields}"))
    else:
        label = mapped.label_en if language() == "en" else mapped.label_zh
        emit_line(
            f"{label} → fulfilment={document['fulfilment']} refund={document['refund']} "
            f"cancelled={document['cancelled']} ({mapped.rule_id}, {mapped.mapping_version})"
        )
    return 0


def run_import(args: argparse.Namespace) -> int:
    try:
        document = load_table_file(args.file)
    except FileNotFoundError:
        raise UserError(tr(f"找不到文件 {args.file}", f"no such file: {args.file}")) from None
    except MappingTableError as exc:
        raise UserError(
            tr(f"映射表被拒绝,{exc.json_path}:{exc.message}", f"table refused at {exc.json_path}: {exc.message}")
        ) from None
    try:
        with open_cache(args) as cache, cache.write() as c:
            result = import_table(c, document, operator=args.operator, now_ms=time.time_ns() // 1_000_000)
    except MappingTableError as exc:
        raise UserError(
            tr(f"映射表被拒绝,{exc.json_path}:{exc.message}", f"table refused at {exc.json_path}: {exc.message}")
        ) from None
    if args.json:
        emit_json(result)
    else:
        emit_line(
            tr(
                f"已导入 {result['mapping_version']},下一批起生效",
                f"imported {result['mapping_version']}; in force from the next batch",
            )
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_cache(args) as cache, cache.read() as c:
        registry = active_registry(c)
    tables = [registry.table(s) for s in registry.sources]
    rows = [
        {"source": t.source, "source_system": t.source_system.value, "version": t.version, "rules": len(t.document["rules"]),
         "title": t.document["title"]}
        for t in tables
    ]  # fmt: skip
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            emit_line(
                f"{r['source']:<16} {r['source_system']:<10} {r['version']:<8} {r['rules']:>3}  {json.dumps(r['title'], ensure_ascii=False)}"
            )
    return 0
