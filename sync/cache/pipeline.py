"""Applying many batches with both cores: a worker process prepares batch i+1 (validate, map, build
rows) while this process applies batch i in its transaction. Reports come back per batch, in order,
so a caller can show progress and stop between batches.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from sync.cache.apply import ApplyReport, CacheWriter, cycle_collection_paused
from sync.cache.ingest import PreparedBatch, prepare
from sync.mapping import MappingRegistry

Batch = tuple[Sequence[Any], Sequence[Any]]  # (orders, observations) as raw records

_worker_registry: MappingRegistry | None = None


def _start_worker(documents: list[Mapping[str, Any]]) -> None:
    global _worker_registry
    _worker_registry = MappingRegistry(documents)


def _prepare_in_worker(orders: Sequence[Any], observations: Sequence[Any]) -> PreparedBatch:
    assert _worker_registry is not None
    with cycle_collection_paused():
        return prepare(orders, observations, _worker_registry)


def apply_batches(writer: CacheWriter, batches: Iterable[Batch], *, workers: int = 1) -> Iterator[ApplyReport]:
    """Apply batches in order, one transaction each; with ``workers`` > 0 preparation runs ahead in
    a separate process (spawned, so nothing of this process's threads or connections is copied).
    The mapping tables are the ones in force when the run starts."""
    iterator = iter(batches)
    if workers <= 0:
        for orders, observations in iterator:
            yield writer.apply(orders, observations)
        return
    documents = [writer.registry().table(s).document for s in writer.registry().sources]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(documents,)) as pool:
        ahead: list[Future[PreparedBatch]] = []

        def submit() -> None:
            batch = next(iterator, None)
            if batch is not None:
                ahead.append(pool.submit(_prepare_in_worker, *batch))

        first = next(iterator, None)
        if first is None:
            return
        for _ in range(workers):
            submit()
        try:
            yield writer.apply(*first)  # this process does the first batch while the worker starts up
            while ahead:
                prepared = ahead.pop(0).result()
                submit()
                yield writer.apply_prepared(prepared)
        finally:
            for future in ahead:
                future.cancel()
