"""The newest stretch of the change feed, kept in each hub process as the bytes a page is made of.

A warehouse's consoles all follow the feed near its head, so without this every change was fetched
from the database, decoded and formatted once per console (100 consoles: 100 times). Here each
change is fetched and rendered once per hub process, and a page is a join of bytes.

Why a stretch can be kept and trusted: a change never changes once committed, and change numbers are
handed out in commit order (hub/store.py: every write holds the feed lock until it commits). So once
a read sees change n, it has seen every change below n that will ever exist: the cache knows the
feed completely on (``base``, ``known``], gaps included (numbers of rolled-back writes stay unused).
A read whose cursor lies before ``base`` goes to the database as before. The oldest changes are let
go beyond ``max_bytes``; retention (410) is still decided from the database on every request.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

FETCH = 5000  # changes per query while catching up with the database


class Page(NamedTuple):
    last: int  # the number of the last change in it (``after`` when it is empty)
    changes: list[bytes]


def render(kind: str, body_json: str) -> bytes:
    """One change as it appears in a page: its body is stored as JSON already and spliced in."""
    return f'{{"kind":"{kind}","body":{body_json}}}'.encode()


class FeedCache:
    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._seqs: list[int] = []
        self._pages: list[bytes] = []
        self._bytes = 0
        self._base = -1  # -1: not started; then the feed is known on (base, known]
        self._known = -1
        self._lock = threading.Lock()  # guards the lists; held only to copy or extend them
        self._refreshing = threading.Lock()  # one database fetch at a time per process

    def page(self, after: int, limit: int, head: int, fetch: Callable[[int, int], Sequence[Any]]) -> Page | None:
        """Up to ``limit`` changes after ``after``, knowing the feed through ``head`` (read by the
        caller); ``fetch(after, n)`` reads rows (seq, kind, body_json) from the database. None when
        ``after`` lies before what is kept: read the database instead."""
        with self._lock:
            if self._base < 0:
                self._base = self._known = head  # start at the head: consoles follow it
        if self._known < head:
            with self._refreshing:
                while self._known < head:  # another thread may have brought it meanwhile
                    rows = fetch(self._known, FETCH)
                    if not rows:
                        break
                    self._extend(rows)
        with self._lock:
            if after < self._base:
                return None
            start = bisect_right(self._seqs, after)
            pages = self._pages[start : start + limit]
            return Page(self._seqs[start + len(pages) - 1] if pages else after, pages)

    def _extend(self, rows: Sequence[Any]) -> None:
        seqs = [int(row.seq) for row in rows]
        pages = [render(row.kind, row.body_json) for row in rows]
        with self._lock:
            self._seqs.extend(seqs)
            self._pages.extend(pages)
            self._bytes += sum(len(p) for p in pages)
            self._known = seqs[-1]
            drop = 0
            while self._bytes > self.max_bytes and drop < len(self._pages) - 1:
                self._bytes -= len(self._pages[drop])
                drop += 1
            if drop:
                self._base = self._seqs[drop - 1]
                del self._seqs[:drop], self._pages[:drop]

    @property
    def known(self) -> tuple[int, int]:
        """(base, known): the stretch of the feed held, for tests and figures."""
        with self._lock:
            return self._base, self._known
