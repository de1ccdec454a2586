"""A concurrency drill (the seed's self-check: 单SKU并发1000+请求无超卖): a thousand reservations of one
unit on one SKU at once, every one on its own connection, over raw HTTP/1.1 (httpx's pool spends more
time with a thousand connections than the hub does). `orderdesk inventory drill` runs it against a hub
and asks the hub to record the verdict from its own ledger; ``./dev bench inventory_storm`` uses it too."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

WAREHOUSE = "MAIN"


@dataclass
class Storm:
    won: list[str] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    fast_path: set[str] = field(default_factory=set)

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def storm_async(url: str, bearer: str, requests: int, path: str, sku: str, channel: str,
                      campaign: str = "新年福袋") -> Storm:  # fmt: skip
    """Raw HTTP/1.1 over asyncio streams: every connection is opened first, then every request goes at
    once. (httpx's pool spends more time with a thousand connections than the hub does.)"""
    result = Storm()
    run = uuid.uuid4().hex[:8]
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    body_of = {"sku": sku, "warehouse": WAREHOUSE, "quantity": 1, "channel": channel, "campaign": campaign}
    body = json.dumps(body_of, ensure_ascii=False).encode()
    go = asyncio.Event()
    ready = 0

    async def one(n: int) -> None:
        nonlocal ready
        key = f"storm-{run}-{n:06d}"
        head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {bearer}\r\n"
                f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n").encode()  # fmt: skip
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            result.other.append(f"{key}: {exc!r}")
            ready += 1
            return
        ready += 1
        await go.wait()
        began = time.perf_counter()
        try:
            writer.write(head + body)
            await writer.drain()
            status_line = await reader.readline()
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            answer = await reader.readexactly(int(headers.get("content-length", "0")))
        except (OSError, asyncio.IncompleteReadError) as exc:
            result.other.append(f"{key}: {exc!r}")
            return
        finally:
            writer.close()
        result.latencies_ms.append((time.perf_counter() - began) * 1000)
        result.fast_path.add(headers.get("x-fast-path", "-"))
        status = int(status_line.split()[1]) if len(status_line.split()) > 1 else 0
        if status == 201:
            result.won.append(json.loads(answer)["key"])
        elif status == 409:
            result.refused.append(json.loads(answer))
        else:
            result.other.append(f"{key}: {status} {answer[:200]!r}")

    tasks = [asyncio.ensure_future(one(n)) for n in range(requests)]
    while ready < requests:
        await asyncio.sleep(0.01)
    began = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - began
    return result
