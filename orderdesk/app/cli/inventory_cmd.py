"""`orderdesk inventory list|show|movements|differences|figures|status|receive|move|quota|resume|reserve|
confirm|release`: the hub's stock over its inventory API (hub/routes/inventory.py), read and written at
once (nothing goes through the cache). The hub is ``--hub`` (default: the console's settings); the token
is the one `orderdesk login` kept in the keyring, or ORDERDESK_TOKEN. Every write names an
Idempotency-Key (``--key``, else a new one): the same command with the same ``--key`` is served once."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from orderdesk.app.cli.common import EXIT_NOT_FOUND, EXIT_REFUSED, UserError, emit_json, emit_line
from orderdesk.app.cli.sync_cmd import credentials_error, hub_error, token_for
from orderdesk.app.i18n import tr
from orderdesk.inventory.pools import LEVEL_POOLS, POOL_LABELS, Pool
from orderdesk.sync.china_time import CHINA_TZ
from orderdesk.sync.client import HubClient, HubError
from orderdesk.sync.credentials import CredentialsError

BASE = "/v1/inventory"
REASONS = ("receipt", "transfer", "quality_passed", "quality_failed", "count", "shipped", "returned")
Work = Callable[[HubClient], Awaitable[Any]]


def register(commands: argparse._SubParsersAction) -> None:
    inventory = commands.add_parser("inventory", help=tr("订单中心的库存", "the hub's inventory"))
    sub = inventory.add_subparsers(dest="inventory_command", required=True)

    def leaf(name: str, zh: str, en: str, run: Callable[[argparse.Namespace], int], *positional: str,
             write: bool = False) -> argparse.ArgumentParser:  # fmt: skip
        p = sub.add_parser(name, help=tr(zh, en))
        for given in positional:
            p.add_argument(given, type=int if given == "quantity" else str)
        p.add_argument("--hub", help=tr("订单中心地址(默认取设置)", "hub address (default: settings)"))
        if "quantity" in positional:
            p.add_argument("--warehouse", default="MAIN")
        if write:
            p.add_argument("--key", help=tr("幂等键(默认新生成;同一键重试只执行一次)",
                                            "Idempotency-Key (default: a new one; a retry with the same key is served once)"))  # fmt: skip
        p.set_defaults(run=run)
        return p

    leaf("list", "每个 SKU 一行", "one line per SKU", run_list)
    leaf("show", "一个 SKU 的全部库存信息", "one SKU in full", run_show, "sku")
    leaf("movements", "库存移动(最新在前)", "the SKU's movements, newest first", run_movements, "sku").add_argument(
        "--limit", type=int, default=50)  # fmt: skip
    leaf("differences", "核对库存与台账", "check the levels against the ledger", run_differences)
    leaf("figures", "预占时长、超卖、熔断统计", "reserved time, oversold units, breaker trips", run_figures).add_argument(
        "--hours", type=int, default=24)  # fmt: skip
    leaf("status", "快速通道、告警机器人、熔断规则", "fast path, alert robot, breaker rule", run_status)
    p = leaf("receive", "入库(库外 → 可售)", "receive stock (outside → sellable)", run_receive, "sku", "quantity",
             write=True)  # fmt: skip
    p.add_argument("--title", help=tr("同时登记 SKU 名称", "also name the SKU"))
    p.add_argument("--ref", default="", help=tr("入库单号", "receipt number"))
    p = leaf("move", "在两个池之间移动库存", "move stock between pools", run_move, "sku", "quantity", write=True)
    p.add_argument("--from", dest="from_pool", required=True, choices=[x.value for x in Pool])
    p.add_argument("--to", dest="to_pool", required=True, choices=[x.value for x in Pool])
    p.add_argument("--reason", required=True, choices=REASONS)
    p.add_argument("--ref", default="")
    p = leaf("quota", "设置渠道(活动)配额", "set a channel's (campaign's) quota", run_quota, "sku", "channel", "quantity",
             write=True)  # fmt: skip
    p.add_argument("--campaign", default="")
    p = leaf("resume", "恢复熔断的 SKU(主管)", "resume a tripped SKU (supervisor)", run_resume, "sku", write=True)
    p.add_argument("--note", required=True, help=tr("为何可以恢复销售", "why it is safe to sell again"))
    p = leaf("reserve", "预占库存", "reserve stock", run_reserve, "sku", "quantity", write=True)
    p.add_argument("--channel", required=True)
    p.add_argument("--campaign", default="")
    p.add_argument("--ttl", type=int, default=900, help=tr("预占时限(秒)", "seconds until the hold expires"))
    leaf("confirm", "确认预占(已付款)", "confirm a hold (paid)", run_settle, "hold", write=True)
    leaf("release", "释放预占(已取消)", "release a hold (cancelled)", run_settle, "hold", write=True)
    p = leaf("drill", "并发演练:一个 SKU 同时收到上千个预占(主管)", "concurrency drill: a thousand holds on one SKU at once (supervisor)",
             run_drill)  # fmt: skip
    p.add_argument("--requests", type=int, default=1000, help=tr("同时发出的预占请求数", "reservations sent at once"))
    p.add_argument("--stock", type=int, default=100, help=tr("演练 SKU 的库存", "the drill SKU's stock"))


# -- the hub --------------------------------------------------------------------------------------
class _KeepRefusal(httpx.AsyncHTTPTransport):
    """The body of the last 4xx: HubError names the field, this holds the value as well."""

    def __init__(self) -> None:
        super().__init__()
        self.body: dict[str, Any] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if 400 <= response.status_code < 500:
            try:
                found = json.loads(await response.aread())
            except ValueError:
                found = None
            self.body = found if isinstance(found, dict) else {}
        return response


def _hub_url(args: argparse.Namespace) -> str:
    if args.hub:
        return str(args.hub).rstrip("/")
    from orderdesk.app.services.settings import Settings

    return Settings.load().hub_url.rstrip("/")


def _call(args: argparse.Namespace, work: Work) -> Any:
    """``work`` with a client signed in as `orderdesk login` (or ORDERDESK_TOKEN) left it."""
    url = _hub_url(args)
    try:
        token = token_for(url)
    except CredentialsError as exc:
        raise credentials_error(exc) from None
    kept = _KeepRefusal()

    async def run() -> Any:
        async with HubClient(url, token, attempts=3, max_backoff=2.0, transport=kept) as client:
            return await work(client)

    try:
        return asyncio.run(run())
    except HubError as exc:
        raise _refused(exc, kept.body) from None


def _refused(exc: HubError, body: dict[str, Any]) -> UserError:
    """A 4xx naming a field: one line naming the field and the value; anything else as `sync` says it."""
    if not (400 <= exc.status < 500) or exc.status in (401, 429) or not exc.field:
        return hub_error(exc)
    field = exc.field
    named = f"{field} {body['value']!r}" if "value" in body else field

    def line(message: str, colon: str) -> str:
        if message.startswith(named):
            return message
        for lead in (f"{field}: ", f"{field}:", f"{field}:"):
            message = message.removeprefix(lead)
        return f"{named}{colon}{message}"

    code = EXIT_NOT_FOUND if exc.status == 404 else EXIT_REFUSED
    return UserError(tr(f"订单中心拒绝了请求({exc.status}):{line(exc.zh, ':')}",
                        f"the hub refused ({exc.status}): {line(exc.en, ': ')}"), code)  # fmt: skip


def _get(args: argparse.Namespace, path: str, **params: Any) -> Any:
    return _call(args, lambda client: client.request("GET", path, params=params))


def _post(path: str, body: dict[str, Any] | None, key: str) -> Work:
    return lambda client: client.request("POST", path, json=body or {}, headers={"Idempotency-Key": key})


def _sku(args: argparse.Namespace) -> str:
    return f"{BASE}/skus/{quote(args.sku, safe='')}"


def _key(args: argparse.Namespace) -> str:
    return args.key or f"cli-{uuid.uuid4().hex}"


# -- words ----------------------------------------------------------------------------------------
def _pool(name: str) -> str:
    return tr(*POOL_LABELS[Pool(name)]) if name in Pool._value2member_map_ else name


def _pools(counts: dict[str, int]) -> str:
    return ", ".join(f"{_pool(p.value)} {counts.get(p.value, 0)}" for p in LEVEL_POOLS)


def _when(ms: int | None) -> str:
    return datetime.fromtimestamp(ms / 1000, CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S") if ms else "-"


def _breaker(state: str) -> str:
    return {"tripped": tr("熔断", "TRIPPED"), "closed": tr("正常", "selling")}.get(state, state)


def _brief(b: dict[str, Any]) -> str:
    return (f"{b['sku']}  {b['title'] or '-'}  {_pools(b['totals'])}  {tr('预占单', 'holds')} {b['held']['count']}  "
            f"{_breaker(b['breaker']['state'])}  {tr('窗口内超卖', 'oversold in window')} {b['oversold_window_units']}")  # fmt: skip


# -- reading --------------------------------------------------------------------------------------
def run_list(args: argparse.Namespace) -> int:
    async def pages(client: HubClient) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        after: str | None = ""
        while after is not None:
            page = await client.request("GET", BASE, params={"after": after, "limit": 500})
            found += page["skus"]
            after = page["next"]
        return found

    skus = _call(args, pages)
    if args.json:
        emit_json({"skus": skus})
    elif not skus:
        emit_line(tr("订单中心还没有任何 SKU", "the hub has no SKUs yet"))
    for b in [] if args.json else skus:
        emit_line(_brief(b))
    return 0


def run_show(args: argparse.Namespace) -> int:
    b = _get(args, _sku(args))
    if args.json:
        return _say(args, b)
    emit_line(_brief(b))
    for warehouse, counts in sorted(b["levels"].items()):
        emit_line(f"  {tr('仓库', 'warehouse')} {warehouse}: {_pools(counts)}")
    for q in b["quotas"]:
        emit_line(tr(f"  配额 {q['channel']}/{q['campaign'] or '-'} @ {q['warehouse']}:已用 {q['taken']} / {q['quantity']}",
                     f"  quota {q['channel']}/{q['campaign'] or '-'} @ {q['warehouse']}: {q['taken']} taken of {q['quantity']}"))  # fmt: skip
    held = b["held"]
    emit_line(tr(f"  预占:{held['count']} 单,{held['units']} 件", f"  holds: {held['count']}, {held['units']} units"))
    for h in held["expiring"]:
        left = max(0, (h["expires_at_ms"] - b["at_ms"]) // 60_000)
        emit_line(tr(f"    {h['key']}  {h['quantity']} 件  {h['channel']}/{h['campaign'] or '-'}  剩余 {left} 分钟",
                     f"    {h['key']}  {h['quantity']} units  {h['channel']}/{h['campaign'] or '-'}  {left} min left"))  # fmt: skip
    k = b["breaker"]
    reason = f"({tr(k.get('reason_zh') or k['reason'], k['reason'])})" if k["reason"] else ""
    emit_line(tr(f"  熔断器:{_breaker(k['state'])}{reason},自 {_when(k['since_ms'])},累计熔断 {k['trips']} 次;"
                 f"超卖 窗口内 {b['oversold_window_units']} / 累计 {b['oversold_total_units']} 件",
                 f"  breaker: {_breaker(k['state'])}{reason} since {_when(k['since_ms'])}, {k['trips']} trips; "
                 f"oversold {b['oversold_window_units']} in the window, {b['oversold_total_units']} in all"))  # fmt: skip
    for e in b.get("breaker_history", []):
        detail = json.loads(e["detail_json"] or "{}")
        note = detail.get("note") or ", ".join(f"{n}={v}" for n, v in detail.items() if n != "channels")
        event = {"tripped": tr("熔断", "tripped"), "resumed": tr("恢复", "resumed")}.get(e["event"], e["event"])
        emit_line(f"    {_when(e['at_ms'])}  {event}  {e['actor']}  {note}")
    for a in b["listing_actions"]:
        action = {"pause": tr("下架", "pause"), "resume": tr("恢复上架", "resume")}.get(a["action"], a["action"])
        emit_line(tr(f"  待处理的上下架指令 #{a['id']}:{a['channel']} {action}({_when(a['created_at_ms'])})",
                     f"  pending listing action #{a['id']}: {a['channel']} {action} ({_when(a['created_at_ms'])})"))  # fmt: skip
    return 0


def run_movements(args: argparse.Namespace) -> int:
    limit = max(1, min(args.limit, 1000))
    found = _get(args, f"{_sku(args)}/movements", limit=limit)
    if args.json:
        return _say(args, found)
    if not found["movements"]:
        emit_line(tr(f"{args.sku} 没有库存移动", f"no movements of {args.sku}"))
    for m in found["movements"]:
        emit_line(f"{_when(m['at_ms'])}  #{m['id']}  {m['warehouse']}  {_pool(m['from_pool'])} → {_pool(m['to_pool'])}  "
                  f"{m['quantity']}  {m['reason']}  {m['actor']}  {m['ref_kind']}:{m['ref_id']}")  # fmt: skip
    return 0


def run_differences(args: argparse.Namespace) -> int:
    found = _get(args, f"{BASE}/differences")
    if args.json:
        emit_json(found)
    elif not found["differences"]:
        emit_line(tr("台账与库存一致", "the ledger and the levels agree"))
    for d in [] if args.json else found["differences"]:
        emit_line(tr(f"不一致:{d['sku']} @ {d['warehouse']} {_pool(d['pool'])}:库存 {d['level']},台账 {d['ledger']}",
                     f"differs: {d['sku']} @ {d['warehouse']} {_pool(d['pool'])}: level {d['level']}, ledger {d['ledger']}"))  # fmt: skip
    return 1 if found["differences"] else 0


def run_figures(args: argparse.Namespace) -> int:
    f = _get(args, f"{BASE}/figures", hours=args.hours)
    if args.json:
        return _say(args, f)
    r = f["reserved_ms"]

    def s(ms: int | None) -> str:
        return "-" if ms is None else f"{ms / 1000:,.1f}s"

    states = ", ".join(f"{state} {n}" for state, n in sorted(f["reservations"].items())) or "-"
    tripped = ", ".join(f["breaker"]["tripped_now"]) or "-"
    emit_line(tr(f"最近 {args.hours} 小时:", f"the last {args.hours} hours:"))
    emit_line(tr(f"  预占时长:已结 {r['settled']},平均 {s(r['mean'])},p50 {s(r['p50'])},p90 {s(r['p90'])},最长 {s(r['max'])}",
                 f"  reserved for: {r['settled']} settled, mean {s(r['mean'])}, p50 {s(r['p50'])}, p90 {s(r['p90'])}, max {s(r['max'])}"))  # fmt: skip
    emit_line(tr(f"  预占:{states};当前 {f['held_now']['count']} 单 {f['held_now']['units']} 件",
                 f"  reservations: {states}; held now {f['held_now']['count']} ({f['held_now']['units']} units)"))  # fmt: skip
    emit_line(tr(f"  超卖:{f['oversold']['units']} 件({f['oversold']['sales']} 笔销售)",
                 f"  oversold: {f['oversold']['units']} units ({f['oversold']['sales']} sales)"))  # fmt: skip
    emit_line(tr(f"  熔断:累计 {f['breaker']['trips']} 次;当前熔断 {tripped}",
                 f"  breaker: {f['breaker']['trips']} trips; tripped now: {tripped}"))  # fmt: skip
    return 0


def run_status(args: argparse.Namespace) -> int:
    s = _get(args, f"{BASE}/status")
    if args.json:
        return _say(args, s)
    fast, rule = s["fast_path"], s["breaker"]
    skus = f"{len(fast['skus'])} SKU: {', '.join(fast['skus']) or '-'}"
    emit_line(tr(f"Redis 快速通道:开启({skus})", f"Redis fast path: on ({skus})") if fast["on"] else
              tr(f"Redis 快速通道:关闭({fast['reason'] or '未说明'})", f"Redis fast path: off ({fast['reason'] or 'no reason given'})"))  # fmt: skip
    emit_line(tr(f"告警机器人:{'已配置' if s['alerts']['robot'] else '未配置'}",
                 f"alert robot: {'configured' if s['alerts']['robot'] else 'not configured'}"))  # fmt: skip
    emit_line(tr(f"熔断规则:{rule['window_s']} 秒内超卖超过 {rule['threshold_units']} 件即熔断",
                 f"breaker rule: trips on more than {rule['threshold_units']} units oversold within {rule['window_s']} s"))  # fmt: skip
    return 0


# -- writing --------------------------------------------------------------------------------------
def _say(args: argparse.Namespace, document: Any, line: str = "") -> int:
    """The hub's document with --json, else one line in the user's language."""
    emit_json(document) if args.json else emit_line(line)
    return 0


def _movement(args: argparse.Namespace, from_pool: str, to_pool: str, reason: str) -> Work:
    body = {"sku": args.sku, "warehouse": args.warehouse, "from_pool": from_pool, "to_pool": to_pool,
            "quantity": args.quantity, "reason": reason, "ref": args.ref}  # fmt: skip
    return _post(f"{BASE}/movements", body, _key(args))


def run_receive(args: argparse.Namespace) -> int:
    move = _movement(args, "outside", "sellable", "receipt")

    if not isinstance(args.quantity, int) or args.quantity < 1:  # refused before the SKU is named: nothing changes
        raise UserError(
            tr(f"quantity {args.quantity}:入库数量应至少为 1", f"quantity {args.quantity}: receive at least 1 unit")
        )

    async def work(client: HubClient) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        named = None
        if args.title is not None:
            named = await client.request("POST", f"{BASE}/skus", json={"sku": args.sku, "title": args.title})
        return named, await move(client)

    registered, m = _call(args, work)
    return _say(args, {"registered": registered, "movement": m},
                tr(f"已入库 #{m['id']}:{m['sku']} @ {m['warehouse']} 可售 +{m['quantity']} 件",
                   f"received #{m['id']}: {m['sku']} @ {m['warehouse']}, sellable +{m['quantity']} units"))  # fmt: skip


def run_move(args: argparse.Namespace) -> int:
    m = _call(args, _movement(args, args.from_pool, args.to_pool, args.reason))
    way = f"{m['sku']} @ {m['warehouse']} {_pool(m['from_pool'])} → {_pool(m['to_pool'])}"
    return _say(
        args, m, tr(f"已移动 #{m['id']}:{way} {m['quantity']} 件", f"moved #{m['id']}: {way}, {m['quantity']} units")
    )


def run_quota(args: argparse.Namespace) -> int:
    body = {"sku": args.sku, "warehouse": args.warehouse, "channel": args.channel, "campaign": args.campaign,
            "quantity": args.quantity}  # fmt: skip
    share = f"{args.sku} {args.channel}/{args.campaign or '-'} = {args.quantity}"
    q = _call(args, _post(f"{BASE}/quotas", body, _key(args)))
    return _say(args, q, tr(f"已设置配额:{share} 件", f"quota set: {share} units"))


def run_resume(args: argparse.Namespace) -> int:
    done = _call(args, _post(f"{_sku(args)}/resume", {"note": args.note}, _key(args)))
    channels = ", ".join(done.get("channels", [])) or "-"
    return _say(args, done, tr(f"已恢复 {args.sku} 的销售;已通知渠道恢复上架:{channels}",
                               f"{args.sku} sells again; channels asked to resume the listing: {channels}"))  # fmt: skip


def _hold(args: argparse.Namespace, h: dict[str, Any], zh: str, en: str) -> int:
    return _say(args, h, tr(f"{zh} {h['key']}:{h['sku']} @ {h['warehouse']} {h['quantity']} 件,{h['channel']},"
                            f"状态 {h['state']},到期 {_when(h['expires_at_ms'])}",
                            f"{en} {h['key']}: {h['sku']} @ {h['warehouse']}, {h['quantity']} units, {h['channel']}, "
                            f"{h['state']}, expires {_when(h['expires_at_ms'])}"))  # fmt: skip


def run_reserve(args: argparse.Namespace) -> int:
    body = {"sku": args.sku, "warehouse": args.warehouse, "quantity": args.quantity, "channel": args.channel,
            "campaign": args.campaign, "ttl_s": args.ttl}  # fmt: skip
    return _hold(args, _call(args, _post(f"{BASE}/reservations", body, _key(args))), "已预占", "reserved")


def run_settle(args: argparse.Namespace) -> int:
    how = args.inventory_command
    h = _call(args, _post(f"{BASE}/reservations/{quote(args.hold, safe='')}/{how}", None, _key(args)))
    return _hold(args, h, *{"confirm": ("已确认", "confirmed"), "release": ("已释放", "released")}[how])


def run_drill(args: argparse.Namespace) -> int:
    """A scratch SKU with ``--stock`` units, ``--requests`` reservations of one at once, the hub's verdict
    from its own ledger (kept for the self-check), then every hold released."""
    from orderdesk.inventory.drill import storm_async

    if not 1 <= args.requests <= 5000 or not 1 <= args.stock <= 1_000_000:
        raise UserError(tr(f"--requests {args.requests} / --stock {args.stock}:请求数 1–5000,库存 1–1000000",
                           f"--requests {args.requests} / --stock {args.stock}: requests 1–5000, stock 1–1,000,000"))  # fmt: skip
    url = _hub_url(args)
    token = token_for(url)
    sku = "DRILL-" + datetime.now(CHINA_TZ).strftime("%Y%m%d%H%M%S")
    started = int(time.time() * 1000)

    async def stock(client: HubClient) -> None:
        await client.request("POST", f"{BASE}/skus", json={"sku": sku, "title": "并发演练 drill"})
        await client.request("POST", f"{BASE}/movements", headers={"Idempotency-Key": f"drill-{sku}"},
                             json={"sku": sku, "from_pool": "outside", "to_pool": "sellable", "quantity": args.stock,
                                   "reason": "receipt", "ref": "drill"})  # fmt: skip

    _call(args, stock)
    storm = asyncio.run(storm_async(url, token, args.requests, f"{BASE}/reservations", sku, "drill", "drill"))
    body = {"sku": sku, "requests": args.requests, "stock": args.stock, "started_ms": started,
            "p99_ms": storm.pct(0.99), "seconds": storm.seconds}  # fmt: skip

    async def settle(client: HubClient) -> dict[str, Any]:
        verdict = await client.drill_done(body)
        for key in storm.won:
            await client.request("POST", f"{BASE}/reservations/{quote(key, safe='')}/release", json={},
                                 headers={"Idempotency-Key": f"release-{key}"})  # fmt: skip
        return verdict

    v = _call(args, settle)
    held, over = v["units_held"], v["oversold"]
    ok = over == 0 and v["differences"] == 0
    return _say(args, v | {"refused": len(storm.refused), "other": len(storm.other)},
                tr(f"{'通过' if ok else '未通过'}:{args.requests} 个并发预占,库存 {args.stock},中枢放出 {held} 件,超卖 {over},"
                   f"台账差异 {v['differences']},用时 {storm.seconds:.1f} 秒,p99 {storm.pct(0.99):.0f} ms(已记录,预占已释放)",
                   f"{'passed' if ok else 'FAILED'}: {args.requests} reservations at once, stock {args.stock}, the hub held "
                   f"{held}, oversold {over}, ledger differences {v['differences']}, {storm.seconds:.1f} s, "
                   f"p99 {storm.pct(0.99):.0f} ms (recorded; holds released)"))  # fmt: skip
