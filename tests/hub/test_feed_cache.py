"""The feed cache of a hub process: pages from it are exactly the database's pages, whatever the
gaps in the change numbers, the cache's size, where a reader stands and when the feed grows."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from orderdesk.hub.feed_cache import FeedCache, Page, render


def _rows(numbers: list[int]) -> list[SimpleNamespace]:
    return [SimpleNamespace(seq=n, kind="order", body_json=f'{{"n":{n}}}') for n in numbers]


class Database:
    """The committed feed so far; ``fetch`` answers as HubStore.read_changes does."""

    def __init__(self) -> None:
        self.rows: list[SimpleNamespace] = []
        self.fetched = 0

    def commit(self, numbers: list[int]) -> None:
        self.rows.extend(_rows(numbers))

    @property
    def head(self) -> int:
        return self.rows[-1].seq if self.rows else 0

    def fetch(self, after: int, limit: int) -> list[SimpleNamespace]:
        found = [row for row in self.rows if row.seq > after][:limit]
        self.fetched += len(found)
        return found

    def page(self, after: int, limit: int) -> Page:
        rows = self.fetch(after, limit)
        return Page(rows[-1].seq if rows else after, [render(row.kind, row.body_json) for row in rows])


@settings(max_examples=150, deadline=None)
@given(
    commits=st.lists(st.lists(st.integers(1, 4), min_size=0, max_size=12), min_size=1, max_size=8),
    reads=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 9)), min_size=1, max_size=12),
    max_bytes=st.sampled_from([1, 60, 400, 10**6]),
)
def test_a_page_from_the_cache_is_the_databases_page_or_none_when_it_lies_before_what_is_kept(
    commits, reads, max_bytes
):
    database, cache = Database(), FeedCache(max_bytes=max_bytes)
    database.commit([1, 2])  # the cache starts at the head its first reader sees
    number = 2
    for steps, (back, limit) in zip(commits, reads * len(commits), strict=False):
        numbers = []
        for step in steps:  # numbers skipped: writes rolled back
            number += step
            numbers.append(number)
        database.commit(numbers)
        after = max(0, database.head - back)
        kept = cache.page(after, limit, database.head, database.fetch)
        base, known = cache.known
        assert known == database.head
        if kept is None:
            assert after < base
        else:
            assert kept == database.page(after, limit)


def test_each_change_is_fetched_once_however_many_readers_follow_the_head():
    database, cache = Database(), FeedCache()
    database.commit([1])
    cache.page(1, 100, database.head, database.fetch)
    database.commit(list(range(2, 52)))
    before = database.fetched
    for _reader in range(100):
        assert len(cache.page(1, 1000, database.head, database.fetch).changes) == 50
    assert database.fetched - before == 50


def test_the_cache_lets_the_oldest_changes_go_beyond_its_size_and_sends_older_cursors_to_the_database():
    database, cache = Database(), FeedCache(max_bytes=400)
    database.commit([1])
    cache.page(1, 10, 1, database.fetch)
    database.commit(list(range(2, 40)))
    assert len(cache.page(30, 100, database.head, database.fetch).changes) == 9
    base, known = cache.known
    assert known == 39 and 20 < base < 30  # about 400 bytes of 33-byte changes kept
    assert cache.page(base - 1, 10, database.head, database.fetch) is None
    assert cache.page(base, 10, database.head, database.fetch) == database.page(base, 10)
