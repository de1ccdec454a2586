"""Sync in the background on the console's asyncio loop (qasync): push the outbox, pull the feed,
every few seconds, never blocking the UI (database work runs in threads, snapshot pages in worker
processes). The status bar shows what :class:`SyncStatus` says."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.services.session import Session
from sync.cache import Cache, check_record
from sync.cache.apply import CacheWriter
from sync.cache.trouble import classify
from sync.client import HubClient, HubError
from sync.syncer import Syncer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    online: bool = False
    syncing: bool = False
    last_synced_at: float | None = None  # time.time() of the last run that caught up
    pending_actions: int = 0
    orders_applied: int = 0  # since the console started
    error_en: str | None = None
    error_zh: str | None = None

    def lag_s(self, now: float | None = None) -> float | None:
        return None if self.last_synced_at is None else max(0.0, (now or time.time()) - self.last_synced_at)


def describe(exc: HubError) -> tuple[str, str]:
    if exc.status == 401:
        return ("the hub no longer accepts this sign-in: sign in again", "中心不再接受当前登录:请重新登录")
    if exc.status == 0:
        return (f"hub unreachable ({exc}); working offline, will retry", f"无法连接中心({exc});离线工作中,将自动重试")
    return (f"the hub answered {exc.status}: {exc}", f"中心返回 {exc.status}:{exc}")


class BackgroundSync:
    def __init__(
        self, session: Session, cache: Cache, *, interval_s: float = 5.0, on_status: Callable[[SyncStatus], None]
    ) -> None:
        self.session = session
        self.cache = cache
        self.interval_s = interval_s
        self.on_status = on_status
        self.status = SyncStatus()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def _set(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.on_status(self.status)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def sync_now(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def once(self) -> None:
        # A full check that failed (app/ui/cache_trouble.watch_cache) stops the sync: never "synced"
        # about a file that fails its checks.
        found = check_record.known_finding(self.cache.path, check_record.load(self.cache.path))
        if found is not None:
            self._set(syncing=False, error_en=found.en, error_zh=found.zh)
            return
        self._set(syncing=True)
        try:
            async with HubClient(self.session.hub_url, self.session.token, attempts=3, max_backoff=5.0) as client:
                summary = await Syncer(client, CacheWriter(self.cache, operator=self.session.user)).run_once()
        except HubError as exc:
            en, zh = describe(exc)
            log.warning("sync: %s", en)
            self._set(syncing=False, online=False, error_en=en, error_zh=zh)
            return
        except Exception as exc:
            trouble = classify(exc, self.cache.path)
            if trouble is None:
                raise
            log.error("sync: %s", trouble.en, exc_info=True)
            if trouble.kind == "damaged":
                check_record.note_failed(self.cache.path, trouble)
            self._set(syncing=False, error_en=trouble.en, error_zh=trouble.zh)
            return
        self._set(
            syncing=False,
            online=True,
            last_synced_at=time.time() if summary.caught_up else self.status.last_synced_at,
            pending_actions=summary.actions_pending,
            orders_applied=self.status.orders_applied + summary.orders_applied,
            error_en=None,
            error_zh=None,
        )

    async def _run(self) -> None:
        while True:
            await self.once()
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval_s)
