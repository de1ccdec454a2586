"""Rebuilding a cache from the hub (`orderdesk cache rebuild`, the console's "Rebuild from the hub"),
and a restore followed by a sync: move the damaged file aside, salvage, a first sync, put back.

The hub is asked who we are before anything is moved, so a wrong address or token leaves the
damaged file where it was. A rebuild the network interrupts is finished by running it again: the
marker ``<cache>.rebuild.json`` names the file kept aside, and putting rows back never doubles one."""

from __future__ import annotations

import json
from pathlib import Path

from orderdesk.sync.cache import put_back, recovery, salvage
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.store import Cache
from orderdesk.sync.client import HubClient
from orderdesk.sync.syncer import Syncer


def marker_path(path: Path) -> Path:
    return path.with_name(path.name + ".rebuild.json")


def _unfinished(path: Path) -> Path | None:
    try:
        aside = Path(json.loads(marker_path(path).read_text(encoding="utf-8"))["aside"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return aside if aside.exists() else None


async def rebuild(path: Path, hub_url: str, token: str, *, operator: str, page_size: int = 2000) -> recovery.Recovery:
    """Move what is at ``path`` aside (a file or a folder), then fill a new cache from the hub."""
    async with HubClient(hub_url, token, attempts=3) as client:
        await client.me()  # the address and the token work: only now is anything moved
        result = recovery.Recovery("rebuild", path)
        result.aside = _unfinished(path)
        if result.aside is None:
            result.aside = recovery.move_aside(path)
            if result.aside is not None:
                marker_path(path).write_text(json.dumps({"aside": str(result.aside)}), encoding="utf-8")
        found = salvage.read(result.aside) if result.aside and result.aside.is_file() else salvage.Salvage(path)
        recovery.keep_report(result, found)
        await _sync_and_place(path, client, result, found, operator, page_size)
    marker_path(path).unlink(missing_ok=True)
    return result


async def restore_and_sync(
    path: Path, backup: Path | None, hub_url: str, token: str, *, operator: str, page_size: int = 2000
) -> recovery.Recovery:
    """Restore the newest good backup, catch up with the hub, then put the print history back."""
    async with HubClient(hub_url, token, attempts=3) as client:
        await client.me()
        result, found = recovery.restore(path, backup, operator=operator, print_history=False)
        await _sync_and_place(path, client, result, found, operator, page_size)
    return result


async def _sync_and_place(
    path: Path, client: HubClient, result: recovery.Recovery, found: salvage.Salvage, operator: str, page_size: int
) -> None:
    with Cache(path) as cache:
        with cache.write() as c:
            put_back.before_sync(c, found, result.placed)  # mapping tables before the sync maps with them
        summary = await Syncer(client, CacheWriter(cache, operator="sync"), page_size=page_size).run_once()
        result.sync = summary.as_json()
        with cache.write() as c:
            put_back.print_history(c, found, result.placed)
            recovery.write_audit(c, result, operator)
    recovery.keep_report(result, found)
