"""The async client of the central order API: one httpx.AsyncClient per hub, explicit timeouts,
retries with capped full-jitter backoff that honour Retry-After. Pure asyncio, no Qt."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from orderdesk.sync.call_record import CALLS
from orderdesk.sync.errors import BilingualError

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
MAX_RETRY_AFTER = 120.0  # a hub asking for longer is waited for this long, then asked again


class HubError(BilingualError):
    """The hub answered no (or could not be reached); ``status`` is the HTTP status, 0 for no answer.
    ``said`` is the hub's reason (``detail_zh`` / ``detail``; its English again when it gave no
    Chinese), or why there was no answer; ``field`` what it named as wrong."""

    def __init__(
        self, *, en: str, zh: str, status: int = 0, retry_after: float | None = None, field: str | None = None
    ) -> None:
        super().__init__(en=en, zh=zh)
        self.status = status
        self.retry_after = retry_after
        self.field = field

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status in (429, 502, 503, 504) or self.status >= 500


class CursorGone(HubError):
    """410: the feed no longer holds the changes after our cursor; relist and reconcile."""


def _unreachable(exc: httpx.TransportError) -> HubError:
    """No answer (refused, reset, timed out, cut short): httpx's own words, the same in both languages
    (who shows it says "cannot reach the hub" around them)."""
    words = f"{type(exc).__name__}: {exc}".rstrip(": ")
    return HubError(en=words, zh=words)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def _refusal(response: httpx.Response) -> tuple[str, str | None, str | None]:
    """(English reason, Chinese reason, field) of a refusal; the hub's are {detail, detail_zh, field}."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return response.text[:300] or response.reason_phrase, None, None
    detail, zh, field = body.get("detail"), body.get("detail_zh"), body.get("field")
    return (str(detail or response.reason_phrase)[:1000], str(zh)[:1000] if zh else None,
            str(field)[:200] if field else None)  # fmt: skip


def parse_json(body: bytes) -> Any:
    """JSON as the hub sends it: orjson (twice as fast on a 4 MB page); what orjson refuses but JSON
    allows (an integer beyond 64 bits, NaN) goes through the standard parser, which knows it."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def _answer(response: httpx.Response) -> Any:
    """The JSON answer, or the HubError that says why there is none."""
    if response.status_code >= 400:
        en, zh, field = _refusal(response)
        kind = CursorGone if response.status_code == 410 else HubError
        raise kind(en=en, zh=zh or en, status=response.status_code, retry_after=_retry_after(response), field=field)
    if response.status_code == 204:
        return None
    try:
        return parse_json(response.content)
    except ValueError as exc:  # a body cut short arrives as broken JSON
        raise HubError(en=f"the hub's answer was cut short: {exc}", zh=f"订单中心的回答不完整:{exc}") from exc


def _retryable(error: BaseException) -> bool:
    return isinstance(error, HubError) and error.retryable


def _retryable_unless_throttled(error: BaseException) -> bool:
    """For a sign-in: a 429 means too many failed sign-ins; waiting minutes for it helps nobody."""
    return _retryable(error) and getattr(error, "status", 0) != 429


class _WaitRetryAfter:
    """Full jitter (a random wait up to an exponentially growing cap), or longer if the hub asked."""

    def __init__(self, jitter: Callable[[RetryCallState], float]) -> None:
        self.jitter = jitter

    def __call__(self, state: RetryCallState) -> float:
        wait = self.jitter(state)
        error = state.outcome.exception() if state.outcome else None
        asked = getattr(error, "retry_after", None)
        return max(wait, min(asked, MAX_RETRY_AFTER)) if asked is not None else wait


class HubClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        attempts: int = 8,
        max_backoff: float = 30.0,
        backoff_base: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.attempts = attempts
        self._wait = _WaitRetryAfter(wait_random_exponential(multiplier=backoff_base, max=max_backoff))
        self._http = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, transport=transport, headers={"User-Agent": "OrderDesk/0.1"}
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> HubClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _once(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        raw = kwargs.pop("raw", False)  # the body's bytes (a PDF), not JSON
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:  # refused, reset, timed out, cut short
            CALLS.record(False)
            raise _unreachable(exc) from exc
        CALLS.record(response.status_code < 500)
        if raw and response.status_code < 400:
            return response.content
        return _answer(response)

    async def request(
        self, method: str, path: str, *, retry: Callable[[BaseException], bool] = _retryable, **kwargs: Any
    ) -> Any:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception(retry),
            reraise=True,
        ):
            with attempt:
                return await self._once(method, path, **dict(kwargs, headers=dict(kwargs.get("headers", {}))))
        raise AssertionError("unreachable")  # pragma: no cover

    # -- the API --------------------------------------------------------------------------------
    async def login(self, user: str, password: str) -> dict[str, Any]:
        """{access_token, expires_at, user, role}. A wrong password: HubError 401; too many failed
        sign-ins: HubError 429 at once (``retry_after`` says when to try again), not retried."""
        answer = await self.request("POST", "/v1/auth/token", json={"username": user, "password": password},
                                    retry=_retryable_unless_throttled)  # fmt: skip
        self.token = answer["access_token"]
        return answer

    async def logout(self) -> bool:
        """Revoke this client's token at the hub (POST /v1/auth/logout) and forget it here. True when
        the hub revoked it; False when the hub no longer took it anyway (expired, revoked, its user
        gone: 401). Raises HubError when the hub cannot be reached or fails (status 0 / 5xx)."""
        try:
            await self.request("POST", "/v1/auth/logout")
            revoked = True
        except HubError as exc:
            if exc.status != 401:
                raise  # the token is kept: the caller may try again
            revoked = False
        self.token = None
        return revoked

    async def me(self) -> dict[str, Any]:
        """{user, role, expires_at} of this client's token."""
        return await self.request("GET", "/v1/auth/me")

    async def changes(self, cursor: str | None, limit: int = 1000) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return await self.request("GET", "/v1/changes", params=params)

    async def orders(self, after: str | None, limit: int = 1000) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if after:
            params["after"] = after
        return await self.request("GET", "/v1/orders", params=params)

    async def order_pages(self, limit: int = 1000) -> dict[str, Any]:
        """The listing cut into pages ahead: {orders, pages: [page token…], feed_cursor}."""
        return await self.request("GET", "/v1/orders/pages", params={"limit": limit})

    async def order(self, domain_id: str) -> dict[str, Any]:
        return await self.request("GET", f"/v1/orders/{domain_id}")

    async def invoices(self, after: int, limit: int = 1000) -> dict[str, Any]:
        """A keyset page of the hub's invoices: {invoices, next} (clerks and supervisors)."""
        return await self.request("GET", "/v1/invoices", params={"after": after, "limit": limit})

    async def invoice_file(self, order_no: str, kind: str = "pdf") -> bytes:
        data: bytes = await self.request("GET", f"/v1/invoices/{order_no}/{kind}", raw=True)
        return data

    async def inventory(self, after: str = "", limit: int = 1000) -> dict[str, Any]:
        """A keyset page of the hub's SKU snapshots: {skus, next} (every role)."""
        return await self.request("GET", "/v1/inventory", params={"after": after, "limit": limit})

    async def inventory_sku(self, sku: str) -> dict[str, Any]:
        """One SKU's snapshot with its breaker history."""
        return await self.request("GET", f"/v1/inventory/skus/{quote(sku, safe='')}")

    async def inventory_movements(self, sku: str, limit: int = 200) -> dict[str, Any]:
        return await self.request("GET", f"/v1/inventory/skus/{quote(sku, safe='')}/movements", params={"limit": limit})

    async def inventory_resume(self, sku: str, note: str) -> dict[str, Any]:
        """A supervisor lets a tripped SKU sell again (audited at the hub)."""
        return await self.request("POST", f"/v1/inventory/skus/{quote(sku, safe='')}/resume", json={"note": note})

    async def inventory_figures(self, hours: int = 24 * 7) -> dict[str, Any]:
        """For the health score: reserved durations, holds, oversold units, breaker trips."""
        return await self.request("GET", "/v1/inventory/figures", params={"hours": hours})

    async def drill_done(self, body: dict[str, Any]) -> dict[str, Any]:
        """A concurrency drill ended: the hub counts its verdict from its own ledger."""
        return await self.request("POST", "/v1/inventory/drills", json=body)

    async def drill_latest(self) -> dict[str, Any] | None:
        return (await self.request("GET", "/v1/inventory/drills/latest"))["drill"]

    async def ticket_figures(self, since_ms: int) -> dict[str, Any]:
        """Customer-service tickets since ``since_ms``: {tickets, order_related, order_related_share, by_category}."""
        return await self.request("GET", "/v1/tickets/figures", params={"since_ms": since_ms})

    async def report_claim(self, kind: str, period: str, robot: str) -> dict[str, Any]:
        """Claim a report's push to a robot (exactly once across consoles): {id, granted, state, …}."""
        return await self.request("POST", "/v1/reports/claims", json={"kind": kind, "period": period, "robot": robot})

    async def report_settle(self, claim_id: int, sent: bool) -> dict[str, Any]:
        return await self.request("POST", f"/v1/reports/claims/{claim_id}", json={"sent": sent})

    async def act(self, key: str, kind: str, order: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = {"kind": kind, "payload": payload, **({"order": order} if order else {})}
        return await self.request("POST", "/v1/actions", json=body, headers={"Idempotency-Key": key})

    async def ingest(self, source: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self.request("POST", f"/v1/ingest/{source}", json=body)

    async def ingest_stats(self, since_ms: int) -> dict[str, Any]:
        """Channel API health (supervisor): the ingest's calls per source since ``since_ms`` and per hour
        for the last 48 hours, with call and record success rates (docs/api.md: channel API health)."""
        return await self.request("GET", "/v1/ingest/stats", params={"since_ms": since_ms})


async def revoke_token(hub_url: str, token: str, *, attempts: int = 2, timeout: float = 10.0) -> bool:
    """Sign a token out at the hub: True when the hub revoked it, False when it no longer took it
    anyway. Raises HubError (status 0: not reached; 5xx) when the hub could not be told: forget the
    token locally all the same, and say so."""
    async with HubClient(hub_url, token, attempts=attempts, timeout=httpx.Timeout(timeout, connect=5.0)) as client:
        return await client.logout()


class SnapshotReader:
    """A blocking reader of the order listing, for a worker process that fetches and prepares pages
    itself; the same timeouts, retries and errors as HubClient."""

    def __init__(self, base_url: str, token: str, *, attempts: int = 8, max_backoff: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.attempts = attempts
        self._wait = _WaitRetryAfter(wait_random_exponential(multiplier=0.5, max=max_backoff))
        self._http = httpx.Client(base_url=self.base_url, timeout=DEFAULT_TIMEOUT,
                                  headers={"User-Agent": "OrderDesk/0.1", "Authorization": f"Bearer {token}"})  # fmt: skip

    def orders(self, after: str | None, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit, **({"after": after} if after else {})}
        for attempt in Retrying(stop=stop_after_attempt(self.attempts), wait=self._wait,
                                retry=retry_if_exception(_retryable), reraise=True):  # fmt: skip
            with attempt:
                try:
                    response = self._http.get("/v1/orders", params=params)
                except httpx.TransportError as exc:
                    raise _unreachable(exc) from exc
                return _answer(response)
        raise AssertionError("unreachable")  # pragma: no cover
