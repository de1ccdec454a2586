"""`orderdesk mapping …`: map a raw status, import a table, list the tables in force, show a table's rules
with where each comes from (its provenance: seed article, public document, or an assumption to confirm)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from orderdesk.app.cli.common import UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import language, tr
from orderdesk.sync.cache.mapping_store import active_registry, import_table
from orderdesk.sync.labels import SOURCE_SYSTEMS
from orderdesk.sync.mapping import MappingRegistry, MappingTable, MappingTableError
from orderdesk.sync.mapping.provenance import assumed_rules, of_rule
from orderdesk.sync.mapping.registry import load_table_file


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
    show = sub.add_parser(
        "show", help=tr("列出一张映射表的规则及每条的来源", "list a table's rules and where each comes from")
    )
    show.add_argument("source")
    show.set_defaults(run=run_show)


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
    table = _table(registry, args.source)
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
        assumed = set(assumed_rules(table.document)) & set((mapped.rule_id or "").split("+"))
        if assumed:
            emit_line(
                tr(f"注意:规则 {'、'.join(sorted(assumed))} 是假设,尚未确认(orderdesk mapping show {args.source})",
                   f"note: rule {', '.join(sorted(assumed))} is assumed, not confirmed (orderdesk mapping show {args.source})")
            )  # fmt: skip
    return 0


def _table(registry: MappingRegistry, source: str) -> MappingTable:
    if source not in registry:
        known = ", ".join(registry.sources)
        raise UserError(tr(f"未知来源 {source!r};可用:{known}", f"unknown source {source!r}; known: {known}"))
    return registry.table(source)


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
         "assumed_rules": len(assumed_rules(t.document)), "title": t.document["title"]}
        for t in tables
    ]  # fmt: skip
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            assumed = tr(f"  ({r['assumed_rules']} 条为假设,待确认)", f"  ({r['assumed_rules']} assumed, to confirm)")
            emit_line(
                f"{r['source']:<16} {r['source_system']:<10} {r['version']:<8} {r['rules']:>3}  {_title(r['title'])}"
                + (assumed if r["assumed_rules"] else "")
            )
    return 0


def _title(title: object) -> str:
    """A table's title in the language asked for (a title of another shape as it is)."""
    if isinstance(title, dict):
        return str(tr(str(title.get("zh", "")), str(title.get("en", ""))) or next(iter(title.values()), ""))
    return str(title)


def _when(rule: dict[str, Any]) -> str:
    parts = []
    for field, spec in rule["when"].items():
        if isinstance(spec, dict) and "present" in spec:
            parts.append(f"{field}:{tr('有值', 'present') if spec['present'] else tr('无值', 'absent')}")
        elif isinstance(spec, dict):
            parts.append(f"{field}∉{'|'.join(str(v) for v in spec['not_in'])}")
        else:
            parts.append(f"{field}={'|'.join(str(v) for v in (spec if isinstance(spec, list) else [spec]))}")
    return " ".join(parts)


def _then(rule: dict[str, Any]) -> str:
    then = rule["then"]
    parts = [str(then[k]) for k in ("fulfilment", "refund") if then.get(k)]
    parts += [f"≥{then['implies']}"] if then.get("implies") else []
    parts += ["cancelled"] if then.get("cancelled") else []
    parts += [f"signal={then['signal']}"] if then.get("signal") else []
    parts += ["exception"] if then.get("exception") else []
    return " ".join(parts) or "—"


def run_show(args: argparse.Namespace) -> int:
    """A table's rules in order, each with where its value comes from."""
    with open_cache(args) as cache, cache.read() as c:
        table = _table(active_registry(c), args.source)
    document = table.document
    rules = [
        {"id": r["id"], "axis": r.get("axis"), "when": r["when"], "then": r["then"], "label": r["label"],
         "provenance": of_rule(r).as_json()}
        for r in document["rules"]
    ]  # fmt: skip
    assumed = assumed_rules(document)
    if args.json:
        emit_json({"source": table.source, "source_system": table.source_system.value, "version": table.version,
                   "mapping_version": table.mapping_version, "title": document["title"],
                   "references": document["references"], "assumed_rules": assumed, "rules": rules})  # fmt: skip
        return 0
    english = language() == "en"
    system = SOURCE_SYSTEMS[table.source_system.value][1 if english else 0]
    emit_line(f"{table.mapping_version}  {document['title']['en' if english else 'zh']}  ({system})")
    for reference in document["references"]:
        emit_line(f"  {tr('出处', 'reference')}: {reference}")
    for rule in document["rules"]:
        said = of_rule(rule)
        label = rule["label"]["en" if english else "zh"]
        emit_line(f"  {rule['id']:<28} {_when(rule):<24} → {_then(rule):<28} {label}  [{said.basis_label(english)}]")
        if said.basis:
            emit_line(f"      {said.note_en if english else said.note_zh}")
        if said.reference:
            emit_line(f"      {tr('出处', 'reference')}: {said.reference}")
    if assumed:
        emit_line(
            tr(f"{len(assumed)} 条规则为假设:请主管核对,并用 orderdesk mapping import 导入修正后的新版本",
               f"{len(assumed)} rules are assumed: a supervisor should confirm them and import a corrected version "
               "with orderdesk mapping import")
        )  # fmt: skip
    return 0
