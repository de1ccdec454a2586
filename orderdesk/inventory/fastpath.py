"""The flash-sale fast path: a per-(SKU, warehouse) permit counter in Redis that sits in front of the
database, so the hundreds of losers of a flash sale are refused by one atomic Lua script without
touching the database. It is a filter, not the guard: a winner here still goes through the database's
conditional UPDATE, and when the database refuses, the caller gives the permit back.

- ``load`` sets the counter to the database's sellable level (put on the fast path, reconcile).
- ``take`` is one script: a key served before answers as it did (``replayed``); otherwise a counter at
  or above the quantity is decremented and the key recorded. A refusal is not recorded, so the same key
  may be granted later when stock returns. ``left == -1`` means "not loaded: ask the database".
- ``give_back`` returns stock to the counter (release, expiry, database refusal) and forgets the key.
  It is not idempotent: the caller gives back once per movement the database actually made.

The key record expires after ``key_ttl_s``: expiry only forgets old keys, it never releases stock, and
key-expiry notifications are never used. Any Redis failure is :class:`FastPathUnavailable`, so the
caller falls back to the database and says so. SKU and warehouse are length-prefixed in Redis key
names (``3:a:b``), so parts containing ``:`` cannot collide; the idempotency key comes last."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from orderdesk.inventory.ledger import InventoryRefused, check_quantity
from orderdesk.sync.errors import BilingualError

NOT_LOADED = -1
MAX_PERMITS = 2**53 - 1  # Lua numbers are doubles: exact up to here

_TAKE = """
local record = redis.call('GET', KEYS[2])
local left = redis.call('GET', KEYS[1])
if record then return {1, 1, left and tonumber(left) or -1} end
if not left then return {0, 0, -1} end
if tonumber(left) < tonumber(ARGV[1]) then return {0, 0, tonumber(left)} end
left = redis.call('DECRBY', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
return {1, 0, left}
"""

_GIVE_BACK = """
if not redis.call('GET', KEYS[1]) then return -1 end
if #KEYS > 1 then redis.call('DEL', KEYS[2]) end
return redis.call('INCRBY', KEYS[1], ARGV[1])
"""


class FastPathUnavailable(BilingualError):
    """Why the fast path is off (no URL, no server, refused, timeout); the caller asks the database."""


@dataclass(frozen=True, slots=True)
class Take:
    granted: bool  # a permit was taken now, or was taken earlier for this key (replayed)
    replayed: bool  # this key was served before: nothing taken now
    left: int  # permits left after this call; -1: the SKU is not on the fast path, ask the database


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise InventoryRefused(
            field, value, en=f"{field} {value!r}: a non-empty text", zh=f"{field} {value!r}:应为非空文本"
        )
    return value


def _whole(value: Any, field: str, lowest: int, highest: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
        raise InventoryRefused(field, value, en=f"{field} {value!r}: a whole number from {lowest} to {highest:,}",
                               zh=f"{field} {value!r}:应为 {lowest} 到 {highest:,} 的整数")  # fmt: skip
    return value


def _without_secrets(url: str, reason: str) -> tuple[str, str]:
    """The URL and the reason with any password in the URL (user info or ``?password=``) shown as ***."""
    try:
        parts = urlsplit(url)
        secrets = {parts.password or ""} | {v for k, v in parse_qsl(parts.query) if k == "password"}
    except ValueError:  # a malformed port or host: hide everything between the scheme and the host
        secrets = {url.split("://", 1)[-1].rpartition("@")[0]}
    for secret in sorted((s for s in secrets | {unquote(s) for s in secrets} if s), key=len, reverse=True):
        url, reason = url.replace(secret, "***"), reason.replace(secret, "***")
    return url, reason


class FastPath:
    """Permits per (SKU, warehouse) in Redis; thread-safe (the client's pool is)."""

    def __init__(self, client: redis.Redis, prefix: str = "orderdesk:inv") -> None:
        self.client, self.prefix = client, _text(prefix, "prefix")
        self._take = client.register_script(_TAKE)
        self._give_back = client.register_script(_GIVE_BACK)

    @classmethod
    def connect(cls, url: str | None, *, timeout_s: float = 0.5, prefix: str = "orderdesk:inv") -> FastPath:
        """A fast path on the server at ``url``, pinged first. No retries: a late answer is a refusal here,
        since the database is always there to ask instead."""
        if not url:
            raise FastPathUnavailable(
                en="no Redis URL configured: the fast path is off", zh="未配置 Redis 地址:快速通道已关闭"
            )
        client: redis.Redis | None = None
        try:
            client = redis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s,
                                          retry=Retry(NoBackoff(), 0))  # fmt: skip
            client.ping()
        except (redis.RedisError, ValueError, OSError) as exc:
            if client is not None:
                client.close()
            shown, reason = _without_secrets(url, str(exc) or type(exc).__name__)
            raise FastPathUnavailable(en=f"Redis at {shown} is unavailable ({reason}): the fast path is off",
                                      zh=f"Redis({shown})不可用({reason}):快速通道已关闭") from None  # fmt: skip
        return cls(client, prefix)

    def _pool(self, sku: str, warehouse: str) -> str:
        sku, warehouse = _text(sku, "sku"), _text(warehouse, "warehouse")
        return f"{self.prefix}:{len(sku)}:{sku}:{len(warehouse)}:{warehouse}"

    def _call(self, what: str, work: Callable[[], Any]) -> Any:
        try:
            return work()
        except redis.RedisError as exc:
            reason = str(exc) or type(exc).__name__
            raise FastPathUnavailable(en=f"Redis failed to {what} ({reason}): ask the database",
                                      zh=f"Redis 执行失败({what}:{reason}):请改由数据库判断") from exc  # fmt: skip

    def load(self, sku: str, warehouse: str, permits: int) -> None:
        """Set the counter to the database's sellable level."""
        pool, permits = self._pool(sku, warehouse), _whole(permits, "permits", 0, MAX_PERMITS)
        self._call("load permits", lambda: self.client.set(f"{pool}:permits", permits))

    def take(self, sku: str, warehouse: str, quantity: int, key: str, *, key_ttl_s: int = 2 * 86400) -> Take:
        pool, quantity = self._pool(sku, warehouse), check_quantity(quantity)
        key, key_ttl_s = _text(key, "key"), _whole(key_ttl_s, "key_ttl_s", 1, 365 * 86400)
        keys, args = [f"{pool}:permits", f"{pool}:key:{key}"], [quantity, key_ttl_s]
        granted, replayed, left = self._call("take permits", lambda: self._take(keys=keys, args=args))
        return Take(bool(granted), bool(replayed), int(left))

    def give_back(self, sku: str, warehouse: str, quantity: int, key: str | None = None) -> int:
        """Permits now, or -1 when the SKU is not on the fast path (then nothing changes)."""
        pool, quantity = self._pool(sku, warehouse), check_quantity(quantity)
        keys = [f"{pool}:permits"] + ([f"{pool}:key:{_text(key, 'key')}"] if key is not None else [])
        return int(self._call("give permits back", lambda: self._give_back(keys=keys, args=[quantity])))

    def permits(self, sku: str, warehouse: str) -> int | None:
        pool = self._pool(sku, warehouse)
        value = self._call("read permits", lambda: self.client.get(f"{pool}:permits"))
        return None if value is None else int(value)

    def forget(self, sku: str, warehouse: str) -> None:
        """Take the SKU off the fast path; its key records expire on their own."""
        pool = self._pool(sku, warehouse)
        self._call("forget permits", lambda: self.client.delete(f"{pool}:permits"))

    def close(self) -> None:
        self.client.close()
