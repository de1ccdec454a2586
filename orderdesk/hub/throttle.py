"""Sign-in throttling, per user name and per client address, kept in the hub's database so that every
hub process on it counts the same attempts.

Each attempt is written down *before* the password is checked (under the hub's write lock, so
concurrent attempts cannot all slip under the limit) and struck out again when it succeeds; what
stays is the failures. An attempt is refused with 429 while the user name or the address has
``per_user`` / ``per_address`` failures within the last ``window_seconds``; ``Retry-After`` says when
the oldest of them leaves the window. The password is not even checked then, so a throttled guess
learns nothing. A good sign-in clears the user name's failures (not the address's).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from orderdesk.hub.refusals import Refusal
from orderdesk.hub.schema import sign_in_failures
from orderdesk.hub.store import HubStore, now_ms


@dataclass(frozen=True, slots=True)
class SignInLimits:
    per_user: int = 5
    per_address: int = 20
    window_seconds: int = 300


@dataclass(frozen=True, slots=True)
class Attempt:
    user_key: str
    row_ids: tuple[int, ...]


def _wait_ms(c: Connection, key: str, most: int, since_ms: int, window_ms: int, now: int) -> int:
    """How long until ``key`` has fewer than ``most`` failures in the window (0: it has now)."""
    query = (
        select(sign_in_failures.c.at_ms)
        .where(sign_in_failures.c.key == key, sign_in_failures.c.at_ms > since_ms)
        .order_by(sign_in_failures.c.at_ms.desc())
        .limit(most)
    )
    times = list(c.execute(query).scalars())
    return max(0, times[-1] + window_ms - now) if len(times) >= most else 0


def _too_many(scope: str, seconds: int) -> Refusal:
    minutes, rest = divmod(seconds, 60)
    wait_en = f"{minutes} min {rest} s" if minutes else f"{rest} s"
    wait_zh = f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"
    if scope == "username":
        en, zh = "too many failed sign-ins for this user name", "此用户名登录失败次数过多"
    else:
        en, zh = "too many failed sign-ins from this address", "此地址登录失败次数过多"
    return Refusal(429, en=f"{en}: try again in {wait_en}", zh=f"{zh}:请 {wait_zh} 后再试", field=scope,
                   headers={"Retry-After": str(seconds)}, extra={"retry_after": seconds})  # fmt: skip


def begin(store: HubStore, limits: SignInLimits, user: str, address: str) -> Attempt:
    """Write the attempt down, or refuse it (429) when the user name or the address is throttled."""
    user_key, address_key = f"user:{user}", f"address:{address}"
    window_ms = limits.window_seconds * 1000
    with store.write() as c:
        now = now_ms()
        since = now - window_ms
        c.execute(delete(sign_in_failures).where(sign_in_failures.c.at_ms <= since))
        for scope, key, most in (("username", user_key, limits.per_user), ("address", address_key, limits.per_address)):
            wait = _wait_ms(c, key, most, since, window_ms, now)
            if wait:
                raise _too_many(scope, max(1, math.ceil(wait / 1000)))
        ids = [
            int(
                c.execute(
                    insert(sign_in_failures).values(key=key, at_ms=now).returning(sign_in_failures.c.id)
                ).scalar_one()
            )
            for key in (user_key, address_key)
        ]
    return Attempt(user_key, tuple(ids))


def succeeded(store: HubStore, attempt: Attempt) -> None:
    """The password was right: strike the attempt out, and the user name's earlier failures."""
    with store.write() as c:
        c.execute(delete(sign_in_failures).where(
            sign_in_failures.c.id.in_(attempt.row_ids) | (sign_in_failures.c.key == attempt.user_key)))  # fmt: skip
