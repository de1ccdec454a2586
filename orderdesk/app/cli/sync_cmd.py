"""`orderdesk login | logout | sync`: sign in to a hub (token to the keyring), keep the cache in step."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from orderdesk.app.cli.common import UserError, emit_json, emit_line, open_cache
from orderdesk.app.i18n import tr
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.full_check import full_check
from orderdesk.sync.client import HubClient, HubError, revoke_token
from orderdesk.sync.credentials import CredentialsError, forget_token, load_token, store_token, stored_token
from orderdesk.sync.syncer import Syncer


def register(commands: argparse._SubParsersAction) -> None:
    login = commands.add_parser(
        "login", help=tr("登录订单中心(令牌存入系统密钥环)", "sign in to a hub (token into the keyring)")
    )
    login.add_argument("--hub", required=True)
    login.add_argument("--user", required=True)
    login.add_argument(
        "--password-stdin", action="store_true", help=tr("从标准输入读密码", "read the password from stdin")
    )
    login.set_defaults(run=run_login)
    logout = commands.add_parser(
        "logout", help=tr("退出登录(在订单中心吊销令牌并删除)", "sign out (revoke the token at the hub, forget it)")
    )
    logout.add_argument("--hub", required=True)
    logout.set_defaults(run=run_logout)
    sync = commands.add_parser("sync", help=tr("与订单中心同步", "sync the cache with a hub"))
    sync.add_argument("--hub", required=True)
    mode = sync.add_mutually_exclusive_group()
    mode.add_argument(
        "--once", action="store_true", default=True, help=tr("同步一次直到追平(默认)", "sync until caught up (default)")
    )
    mode.add_argument("--watch", action="store_true", help=tr("持续同步,Ctrl-C 停止", "keep syncing until Ctrl-C"))
    sync.add_argument(
        "--interval", type=float, default=5.0, help=tr("--watch 的间隔秒数", "seconds between rounds with --watch")
    )
    sync.add_argument("--page-size", type=int, default=2000)
    sync.set_defaults(run=run_sync)


def credentials_error(exc: CredentialsError) -> UserError:
    return UserError(tr(exc.said))


def hub_error(exc: HubError, then: str = "") -> UserError:
    if exc.status == 401:
        return UserError(
            tr(
                "订单中心拒绝了令牌或密码:请重新登录(orderdesk login)",
                "the hub refused the token or password: sign in again (orderdesk login)",
            )
            + then
        )
    if exc.status == 0:
        return UserError(tr(f"连不上订单中心:{exc}", f"cannot reach the hub: {exc}") + then)
    if exc.status == 429:  # too many failed sign-ins: the hub says how long to wait
        return UserError(tr(f"订单中心:{exc.zh}", f"the hub: {exc.en}") + then)
    return UserError(
        tr(f"订单中心拒绝了请求({exc.status}):{exc.zh}", f"the hub refused ({exc.status}): {exc.en}") + then
    )


def token_for(hub_url: str) -> str:
    """The token for ``hub_url`` (keyring or ORDERDESK_TOKEN), or a UserError saying to sign in."""
    try:
        token = load_token(hub_url)
    except CredentialsError as exc:
        raise credentials_error(exc) from None
    if not token:
        raise UserError(
            tr(
                f"还没有登录 {hub_url}:先运行 orderdesk login",
                f"not signed in to {hub_url}: run orderdesk login first",
            )
        )
    return token


def _check_if_due(cache: Cache) -> None:
    """`sync --watch`: the daily full check between rounds (CacheUnusable ends the watch)."""
    if cache.full_check_due(daily=True):
        result = full_check(cache.path)
        if not result.ok:
            raise result.problems[0]


def run_login(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(tr("密码:", "Password: "))

    async def sign_in() -> dict:
        async with HubClient(args.hub, attempts=3) as client:
            return await client.login(args.user, password)

    try:
        answer = asyncio.run(sign_in())
        store_token(args.hub, args.user, answer["access_token"])
    except HubError as exc:
        raise hub_error(exc) from None
    except CredentialsError as exc:
        raise credentials_error(exc) from None
    if args.json:
        emit_json({"hub": args.hub, "user": answer["user"], "role": answer["role"], "expires_at": answer["expires_at"]})
    else:
        emit_line(tr(f"已登录 {args.hub},角色 {answer['role']}", f"signed in to {args.hub} as {answer['role']}"))
    return 0


def _valid_until(token: str) -> str:
    """When a token expires, read from it unverified (only to tell the user): a local time, or ''."""
    import datetime

    import jwt

    try:
        expires = int(jwt.decode(token, options={"verify_signature": False})["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return ""
    return datetime.datetime.fromtimestamp(expires).strftime("%Y-%m-%d %H:%M")


def run_logout(args: argparse.Namespace) -> int:
    """Revoke the stored token at the hub, then forget it here. Offline: forget it all the same and
    say the hub could not be told (exit 1)."""
    try:
        token = stored_token(args.hub)
    except CredentialsError as exc:
        raise credentials_error(exc) from None
    revoked: bool | None = None
    unreachable: HubError | None = None
    if token:
        try:
            revoked = asyncio.run(revoke_token(args.hub, token))
        except HubError as exc:
            unreachable = exc
    try:
        forget_token(args.hub)
    except CredentialsError as exc:
        raise credentials_error(exc) from None
    if args.json:
        emit_json({"hub": args.hub, "signed_out": True, "had_token": bool(token), "revoked_at_hub": revoked,
                   "hub_not_told": tr(unreachable.said) if unreachable else None})  # fmt: skip
    elif not token:
        emit_line(tr(f"本机没有 {args.hub} 的登录令牌", f"no token for {args.hub} here: nothing to sign out"))
    elif unreachable is None:
        emit_line(tr("已退出登录:订单中心已吊销此令牌", "signed out: the hub revoked the token") if revoked else
                  tr("已退出登录(订单中心本已不再接受此令牌)", "signed out (the hub no longer took this token anyway)"))  # fmt: skip
    else:
        until = _valid_until(token)
        emit_line(tr("已在本机退出登录(令牌已删除)", "signed out here (the token is forgotten)"))
        sys.stderr.write(tr(
            f"orderdesk: 无法通知订单中心({unreachable.zh}):令牌在订单中心{f'到 {until} ' if until else ''}仍然有效\n",
            f"orderdesk: the hub could not be told ({unreachable.en}): the token stays valid there"
            f"{f' until {until}' if until else ''}\n",
        ))  # fmt: skip
    return 1 if unreachable else 0


def run_sync(args: argparse.Namespace) -> int:
    token = token_for(args.hub)

    async def rounds() -> dict:
        # The full check runs first when the file changed outside OrderDesk or none passed in 24 hours:
        # a sync never says "caught up" about a file that fails its checks.
        with open_cache(args, full_check="daily") as cache:
            async with HubClient(args.hub, token) as client:
                syncer = Syncer(client, CacheWriter(cache, operator="sync"), page_size=args.page_size)
                while True:
                    summary = await syncer.run_once()
                    if not args.watch:
                        return summary.as_json()
                    await asyncio.to_thread(_check_if_due, cache)
                    sys.stderr.write(tr(f"\r已同步:订单 {summary.orders_applied},状态 {summary.observations_applied}",
                                        f"\rsynced: orders {summary.orders_applied}, observations {summary.observations_applied}"))  # fmt: skip
                    await asyncio.sleep(args.interval)

    try:
        result = asyncio.run(rounds())
    except HubError as exc:
        raise hub_error(exc) from None
    if args.json:
        emit_json(result)
    else:
        emit_line(tr(
            f"已追平:订单 {result['orders_applied']},状态 {result['observations_applied']},新异常 {result['anomalies_found']},"
            f"推送动作 {result['actions_pushed']},待推送 {result['actions_pending']}",
            f"caught up: orders {result['orders_applied']}, observations {result['observations_applied']}, "
            f"anomalies {result['anomalies_found']}, actions pushed {result['actions_pushed']}, pending {result['actions_pending']}",
        ))  # fmt: skip
        if result["missing_at_hub"]:
            emit_line(
                tr(
                    f"注意:{len(result['missing_at_hub'])} 个缓存订单在订单中心已不存在",
                    f"note: {len(result['missing_at_hub'])} cached orders are no longer at the hub",
                )
            )
    return 0 if result["caught_up"] else 1
