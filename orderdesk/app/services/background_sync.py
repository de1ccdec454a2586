"""Sync in the background on the console's asyncio loop (qasync): push the outbox, pull the feed,
every few seconds, never blocking the UI (database work runs in threads, snapshot pages in worker
processes). The status bar shows what :class:`SyncStatus` says. A new interval takes effect at once:
the sleeping loop wakes and waits only what is left of the new interval since the last run ended."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from orderdesk.app.services.session import Session
from orderdesk.sync import outbox
from orderdesk.sync.cache import Cache, check_record, retention
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.trouble import classify
from orderdesk.sync.call_record import CALLS
from orderdesk.sync.client import HubClient, HubError
from orderdesk.sync.said import Said
from orderdesk.sync.syncer import Syncer

log = logging.getLogger(__name__)
PRUNE_EVERY_S = 86_400.0


@dataclass(frozen=True)
class SyncStatus:
    online: bool = False
    syncing: bool = False
    last_synced_at: float | None = None  # time.time() of the last run that caught up
    pending_actions: int = 0
    orders_applied: int = 0  # since the console started
    invoices_applied: int = 0  # since the console started
    stock_applied: int = 0  # since the console started
    actions_refused: int = 0  # since the console started
    error: Said | None = None  # why the last run failed, for the status bar
    needs_sign_in: bool = False  # the hub answered 401: the token expired, was revoked, or there is none

    def lag_s(self, now: float | None = None) -> float | None:
        return None if self.last_synced_at is None else max(0.0, (now or time.time()) - self.last_synced_at)


def describe(exc: HubError) -> Said:
    if exc.status == 401:
        return Said(en="the hub no longer accepts this sign-in: sign in again", zh="中心不再接受当前登录:请重新登录")
    if exc.status == 0:  # the transport's own words (English) go to the log, not into the Chinese text
        return Said(en="hub unreachable: working offline, will retry", zh="无法连接中心:离线工作中,将自动重试")
    if exc.status >= 500:
        return Said(
            en=f"the hub has a problem (HTTP {exc.status}): will retry",
            zh=f"中心出现故障(HTTP {exc.status}):将自动重试",
        )
    return Said(
        en=f"the hub refused the sync (HTTP {exc.status}): {exc}", zh=f"中心拒绝了同步(HTTP {exc.status}),详情见日志"
    )


class BackgroundSync:
    def __init__(
        self, session: Session, cache: Cache, *, interval_s: float = 5.0, on_status: Callable[[SyncStatus], None],
        retention_days: int = retention.DEFAULT_DAYS,
    ) -> None:  # fmt: skip
        self.session = session
        self.cache = cache
        self.interval_s = interval_s
        self.retention_days = retention_days  # 0: keep everything
        self.last_prune: retention.PruneReport | None = None
        self._pruned_at: float | None = None  # time.monotonic() of the last prune this session
        self._pruning: asyncio.Future[retention.PruneReport] | None = None
        self.on_status = on_status
        self.status = SyncStatus()
        self._task: asyncio.Task[None] | None = None
        self._counting: asyncio.Task[None] | None = None
        self._stopped = False
        self._wake = asyncio.Event()  # sync now
        self._rescheduled = asyncio.Event()  # the interval changed: work out the wait again

    def use_session(self, session: Session) -> None:
        """A new sign-in (after 401, or after signing in offline): the next run uses its token."""
        self.session = session
        self._set(replace(self.status, needs_sign_in=False, error=None))
        self.sync_now()

    def refresh_pending(self) -> None:
        """Count the actions waiting in the outbox (they grow offline, when no run finishes)."""
        if not self._stopped and (self._counting is None or self._counting.done()):
            self._counting = asyncio.ensure_future(self._count_pending())

    async def _count_pending(self) -> None:
        def count() -> int:
            with self.cache.read() as c:
                return outbox.count_pending(c)

        try:
            pending = await asyncio.to_thread(count)
        except Exception:  # the count is a courtesy: a busy or closing cache must not break the status
            log.debug("counting the outbox failed", exc_info=True)
            return
        if pending != self.status.pending_actions:
            self._set(replace(self.status, pending_actions=pending))

    def _set(self, status: SyncStatus) -> None:
        self.status = status
        self.on_status(status)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def sync_now(self) -> None:
        self._wake.set()

    def set_interval(self, seconds: float) -> None:
        """Sync every ``seconds`` from now on: the next run comes ``seconds`` after the last one ended
        (at once when that is past), not after the old interval has run out."""
        if not seconds > 0:
            raise ValueError(f"sync interval {seconds!r}: more than 0 seconds")
        self.interval_s = float(seconds)
        self._rescheduled.set()

    async def stop(self) -> None:
        self._stopped = True
        if self._counting is not None:  # let its thread finish: none may outlive the window's loop
            with contextlib.suppress(Exception):
                await self._counting
        if self._pruning is not None:  # the prune sees _stopped and ends after its current 2,000 orders
            with contextlib.suppress(Exception):
                await self._pruning
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
            self._set(replace(self.status, syncing=False, error=found.said))
            return
        self._set(replace(self.status, syncing=True))
        try:
            async with HubClient(self.session.hub_url, self.session.token, attempts=3, max_backoff=5.0) as client:
                summary = await Syncer(client, CacheWriter(self.cache, operator=self.session.user)).run_once()
        except HubError as exc:
            said = describe(exc)
            log.warning("sync: %s (%s)", said.en, exc)
            self._set(replace(self.status, syncing=False, online=exc.status not in (0, 401) and exc.status < 500,
                              error=said, needs_sign_in=exc.status == 401))  # fmt: skip
            return
        except Exception as exc:
            trouble = classify(exc, self.cache.path)
            if trouble is None:
                raise
            log.error("sync: %s", trouble.en, exc_info=True)
            if trouble.kind == "damaged":
                check_record.note_failed(self.cache.path, trouble)
            self._set(replace(self.status, syncing=False, error=trouble.said))
            return
        self._set(
            replace(
                self.status,
                syncing=False,
                online=True,
                last_synced_at=time.time() if summary.caught_up else self.status.last_synced_at,
                pending_actions=summary.actions_pending,
                orders_applied=self.status.orders_applied + summary.orders_applied,
                invoices_applied=self.status.invoices_applied + summary.invoices_applied,
                stock_applied=self.status.stock_applied + summary.stock_applied,
                actions_refused=self.status.actions_refused + summary.actions_refused,
                error=None,
                needs_sign_in=False,
            )
        )

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()  # a sync_now() while this run is under way asks for another run
            await self.once()
            if not self.status.online:  # offline the outbox grows with no run to count it
                await self._count_pending()
            await asyncio.to_thread(self._keep_call_record)
            if self._prune_due():
                await self.prune()
            await self._sleep_until_due(loop.time())

    def _prune_due(self) -> bool:
        """After the first run that caught up, then daily; never while offline or keeping everything."""
        if self.retention_days < 1 or self.status.last_synced_at is None or self._stopped:
            return False
        return self._pruned_at is None or time.monotonic() - self._pruned_at >= PRUNE_EVERY_S

    async def prune(self) -> retention.PruneReport | None:
        """The retention window, in a thread, 2,000 orders per transaction (a sync or a print between
        them goes on); stopping the sync stops it between two. A failure is logged and tried tomorrow."""
        self._pruned_at = time.monotonic()
        try:
            # Months not locked by finance keep their orders whoever is signed in: one cache serves every
            # role that signs in at this computer, and a supervisor's month figures need them.
            self._pruning = asyncio.ensure_future(
                asyncio.to_thread(retention.prune, self.cache, self.retention_days, cancelled=lambda: self._stopped)
            )
            report = await asyncio.shield(self._pruning)  # a stop waits for it (below), it is not cut off
        except Exception:
            log.warning("retention: pruning the cache failed; tried again in a day", exc_info=True)
            return None
        if report.orders_pruned or report.audit_archived:
            log.info("retention: %d closed orders older than %d days left the cache, %d audit entries archived (%s)",
                     report.orders_pruned, self.retention_days, report.audit_archived, report.archive)  # fmt: skip
        self.last_prune = report
        return report

    def _keep_call_record(self) -> None:
        """The calls this console made to the hub, into the cache (the self-check's availability)."""
        if not CALLS.pending():  # no write transaction for nothing
            return
        try:
            with self.cache.write() as c:
                CALLS.flush(c)
        except Exception as exc:  # a busy or damaged file: the counts stay in memory for the next run
            log.warning("sync: could not keep the call record: %s", exc)

    async def _sleep_until_due(self, finished: float) -> None:
        loop = asyncio.get_running_loop()
        while not self._wake.is_set():
            left = finished + self.interval_s - loop.time()
            if left <= 0:
                return
            self._rescheduled.clear()
            waits = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(self._rescheduled.wait())]
            try:
                await asyncio.wait(waits, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()
