"""The load's two kinds of client, each run in a process of its own (``multiprocessing``, spawned):

- **consoles** follow the change feed as the console's background sync does (``HubClient.changes``,
  the Syncer's page size, every ``interval`` seconds after the previous sync ended, each console with
  its own token and its own connection) and apply nothing; they note how long each feed page took
  and how late each new order reached them (now − its ``created_at``, which the ingest sets to the
  moment the order was made);
- **channels** push orders at a steady rate with their observations following over the next seconds
  (as ``hub/live.py`` does), through ``POST /v1/ingest/{source}``: each source its own sender with
  its own token and connection, one push per source per ``push_every`` seconds, sent in order; a
  hub that cannot keep up makes the queue (and the lag) grow rather than the rate drop.

Both measure only inside the stage's window ``[t_start, t_end]`` (wall-clock times) and hand their
figures back through a pipe as plain lists.
"""

from __future__ import annotations

import asyncio
import heapq
import random
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

import httpx
import orjson

from orderdesk.hub.demo import records
from orderdesk.sync.client import HubClient

CHANNELS = ("taobao", "douyin", "pdd", "wechat_channels", "youzan", "miniapp")
SOURCES = (*CHANNELS, "kuaidi100", "finance")
DRAIN_SECONDS = 60


@dataclass
class ConsoleFigures:
    page_ms: list[float] = field(default_factory=list)  # every GET /v1/changes inside the window
    page_hub_ms: list[float] = field(default_factory=list)  # of which in the hub (its Server-Timing)
    order_lag_s: list[float] = field(default_factory=list)  # every new order seen, from its creation
    polls: int = 0
    # (when the previous poll began, the first order the poll brought): a poll is more than one behind
    # when the hub had answered that order's push before the previous poll began (hub_load.py)
    poll_firsts: list[tuple[float, str]] = field(default_factory=list)
    pages: int = 0
    changes: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class ChannelFigures:
    push_ms: list[float] = field(default_factory=list)  # every push answered inside the window
    orders_made: int = 0  # orders the channels made inside the window
    orders_stored: int = 0  # orders the hub answered for inside the window
    observations_stored: int = 0
    refused: int = 0
    backlog_at_end: int = 0  # pushes made but not yet answered when the window closed
    answered: dict[str, float] = field(default_factory=dict)  # order no. → when the hub answered its push
    errors: list[str] = field(default_factory=list)


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


# -- consoles ---------------------------------------------------------------------------------------
def run_consoles(config: dict[str, Any], out: Connection) -> None:
    """Process entry: ``config`` has url, tokens, cursor, interval, page_size, parse, t_start, t_end."""
    figures = ConsoleFigures()
    asyncio.run(_consoles(config, figures))
    out.send(asdict(figures))
    out.close()


async def _consoles(config: dict[str, Any], figures: ConsoleFigures) -> None:
    await asyncio.gather(*(_console(config, token, figures) for token in config["tokens"]))


async def _console(config: dict[str, Any], token: str, figures: ConsoleFigures) -> None:
    interval, t_start, t_end = config["interval"], config["t_start"], config["t_end"]
    cursor: str = config["cursor"]
    previous_poll = None
    timeout = httpx.Timeout(30.0, connect=10.0)
    read = _parsed_page if config["parse"] else _light_page
    opened = (
        HubClient(config["url"], token, timeout=timeout, attempts=3)
        if config["parse"]
        else LightFeed(config["url"], token)
    )
    async with opened as client:
        await asyncio.sleep(random.uniform(0, interval))  # the stations did not all start at once
        while time.time() < t_end:
            poll = time.time()
            inside = t_start <= poll < t_end
            first = None
            try:
                more = True
                while more and time.time() < t_end:
                    page = await read(client, cursor, config["page_size"])
                    cursor, more = page.cursor, page.has_more
                    if inside:
                        figures.page_ms.append(page.took_ms)
                        if page.in_hub_ms is not None:
                            figures.page_hub_ms.append(page.in_hub_ms)
                        figures.pages += 1
                        figures.changes += page.changes
                        figures.order_lag_s.extend(page.arrived - made for _, made in page.orders)
                    if page.orders and first is None:
                        first = page.orders[0][0]  # the feed is in commit order: the earliest committed order
            except Exception as exc:  # a load test goes on; the error is counted and shown
                if inside:
                    figures.errors.append(f"{type(exc).__name__}: {exc}"[:200])
            if inside:
                figures.polls += 1
                if previous_poll is not None and first is not None:
                    figures.poll_firsts.append((previous_poll, first))
            previous_poll = poll
            await asyncio.sleep(interval)  # as the console: the next sync `interval` after this one ended


class Page(NamedTuple):
    cursor: str  # the next cursor
    has_more: bool
    changes: int
    orders: list[tuple[str, float]]  # (order no., when it was made) of each order in the page
    took_ms: float  # from asking to holding the whole page (not reading it: that is the client's work)
    arrived: float  # wall-clock time the whole page was there: what the lag is measured to
    in_hub_ms: float | None  # the hub's own time (Server-Timing)


_TAIL = re.compile(rb'"cursor":\s*"([^"]+)",\s*"has_more":\s*(true|false)\}\s*$')
_ORDER = re.compile(rb'"kind":"order","body":\{[^{}]*?"channel_order_no":"([^"]+)",[^{}]*?"created_at":"([^"]+)"')


class LightFeed:
    """A keep-alive HTTP/1.1 connection that asks for feed pages and reads each answer whole by its
    Content-Length (asyncio streams): on two shared cores, httpx's chunk-by-chunk reading of 1.5 MB
    pages for 100 consoles cost the client more than the hub spent answering them."""

    def __init__(self, url: str, token: str) -> None:
        address = urlsplit(url)
        self.host, self.port = address.hostname or "127.0.0.1", address.port or 80
        self.token = token
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def __aenter__(self) -> LightFeed:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._streams is not None:
            self._streams[1].close()

    async def get(self, target: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers in lower case, body) of GET ``target``; asked again on a new connection when
        the hub had closed the kept one (its keep-alive timeout) before answering."""
        reused = self._streams is not None and not self._streams[0].at_eof()
        try:
            return await self._get(target)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:  # closed as we asked: reset, or no answer
            if not reused or getattr(exc, "partial", b""):
                raise
            return await self._get(target)

    async def _get(self, target: str) -> tuple[int, dict[str, str], bytes]:
        if self._streams is None or self._streams[1].is_closing() or self._streams[0].at_eof():
            self._streams = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), 10)
        reader, writer = self._streams
        writer.write(
            f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {self.token}\r\n\r\n".encode()
        )
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            lines = head.decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
            body = await asyncio.wait_for(reader.readexactly(int(headers["content-length"])), 30)
        except BaseException:
            writer.close()
            self._streams = None
            raise
        return int(lines[0].split()[1]), headers, body


async def _light_page(client: LightFeed, cursor: str, limit: int) -> Page:
    """A page read as bytes, with only what a light client needs found in them: the cursor, whether
    more follows, and each order's creation time (what the lag is measured from)."""
    started = time.perf_counter()
    status, headers, body = await client.get("/v1/changes?" + urlencode({"cursor": cursor, "limit": limit}))
    took, arrived = (time.perf_counter() - started) * 1000, time.time()
    if status != 200:
        raise RuntimeError(f"{status} {body[:150]!r}")
    tail = _TAIL.search(body, max(0, len(body) - 400))
    if tail is None:
        raise RuntimeError(f"no cursor at the end of the page: {body[-200:]!r}")
    made = [(number.decode(), _epoch(at.decode())) for number, at in _ORDER.findall(body)]
    timing = headers.get("server-timing", "")
    in_hub = float(timing.split("dur=")[1]) if "dur=" in timing else None
    return Page(tail.group(1).decode(), tail.group(2) == b"true", body.count(b'{"kind":"'), made, took, arrived, in_hub)


async def _parsed_page(client: HubClient, cursor: str, limit: int) -> Page:
    """A page as the console reads it: HubClient.changes (orjson, every change parsed; the parse is
    inside ``took_ms`` here)."""
    started = time.perf_counter()
    page = await client.changes(cursor, limit)
    took, arrived = (time.perf_counter() - started) * 1000, time.time()
    made = [(c["body"]["channel_order_no"], _epoch(c["body"]["created_at"])) for c in page["changes"]
            if c["kind"] == "order"]  # fmt: skip
    return Page(page["cursor"], page["has_more"], len(page["changes"]), made, took, arrived, None)


# -- channels ---------------------------------------------------------------------------------------
def run_channels(config: dict[str, Any], out: Connection) -> None:
    """Process entry: ``config`` has url, tokens (per source), rate, push_every, first, seed, t_start, t_end."""
    figures = ChannelFigures()
    asyncio.run(_channels(config, figures))
    out.send(asdict(figures))
    out.close()


async def _channels(config: dict[str, Any], figures: ChannelFigures) -> None:
    queues: dict[str, asyncio.Queue[tuple[dict[str, Any], int]]] = {s: asyncio.Queue() for s in SOURCES}
    senders = [asyncio.create_task(_sender(config, s, queues[s], figures)) for s in SOURCES]
    rnd = random.Random(config["seed"])
    due: list[tuple[float, int, dict[str, Any]]] = []
    number, owed, tick = config["first"], 0.0, time.time()
    while tick < config["t_end"]:
        await asyncio.sleep(max(0.0, tick - time.time()))
        now = time.time()
        owed += config["rate"] * config["push_every"]
        count, owed = int(owed), owed - int(owed)
        made = datetime.fromtimestamp(now, UTC).isoformat()
        batches: dict[str, dict[str, list[Any]]] = {s: {"orders": [], "observations": []} for s in SOURCES}
        for order, observations in records(count, config["seed"] + number, first=number, start=datetime.now(UTC)):
            order["created_at"] = made  # what the consoles measure their lag from
            batches[order["channel"]]["orders"].append(order)
            for index, observation in enumerate(observations):
                heapq.heappush(due, (now + index * rnd.uniform(0.5, 3.0), number, observation))
            number += 1
        while due and due[0][0] <= now:
            observation = heapq.heappop(due)[2]
            batches[observation["source"]]["observations"].append(observation)
        if config["t_start"] <= now < config["t_end"]:
            figures.orders_made += count
        for source, body in batches.items():
            if body["orders"] or body["observations"]:
                queues[source].put_nowait((body, now))
        tick += config["push_every"]
    figures.backlog_at_end = sum(q.qsize() for q in queues.values())
    try:  # what is still queued is sent, so that the next stage starts on a drained hub
        await asyncio.wait_for(asyncio.gather(*(q.join() for q in queues.values())), DRAIN_SECONDS)
    except TimeoutError:
        figures.errors.append(
            f"{sum(q.qsize() for q in queues.values())} pushes still queued {DRAIN_SECONDS} s after the stage"
        )
    for sender in senders:
        sender.cancel()


async def _sender(config: dict[str, Any], source: str, queue: asyncio.Queue, figures: ChannelFigures) -> None:
    headers = {"Authorization": f"Bearer {config['tokens'][source]}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=config["url"], headers=headers, timeout=httpx.Timeout(60.0)) as http:
        while True:
            body, _ = await queue.get()
            try:
                started = time.perf_counter()
                answer = await http.post(f"/v1/ingest/{source}", content=orjson.dumps(body))
                answered = time.time()
                inside = config["t_start"] <= answered < config["t_end"]
                if answer.status_code != 200:
                    if inside:
                        figures.errors.append(f"{source}: {answer.status_code} {answer.text[:150]}")
                else:
                    figures.answered.update((o["channel_order_no"], answered) for o in body["orders"])
                if answer.status_code == 200 and inside:
                    result = answer.json()
                    figures.push_ms.append((time.perf_counter() - started) * 1000)
                    figures.orders_stored += len(result["orders"])
                    figures.observations_stored += result["observations_new"]
                    figures.refused += result["refused_count"]
            except Exception as exc:  # counted and shown; the channel goes on pushing
                if config["t_start"] <= time.time() < config["t_end"]:
                    figures.errors.append(f"{source}: {type(exc).__name__}: {exc}"[:200])
            finally:
                queue.task_done()
