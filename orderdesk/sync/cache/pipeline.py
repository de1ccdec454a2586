"""Applying many batches with both cores: a worker process prepares batch i+1 (validate, map, build
rows, fold the orders that look new) while this process applies batch i in its transaction. Reports
come back per batch, in order, so a caller can show progress and stop between batches.

A prepared batch travels through a file in shared memory, not through the executor's result pipe:
that pipe is drained by a helper thread that needs this process's GIL, which the busy writer holds,
so the worker blocked on a full pipe and the hand-over ran serialised with the writer (measured:
2.1–2.4 s per 5,000-order batch instead of 1.3).
"""

from __future__ import annotations

import contextlib
import copyreg
import multiprocessing
import multiprocessing.connection
import os
import pickle
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from orderdesk.sync.cache.apply import ApplyReport, CacheWriter, cycle_collection_paused
from orderdesk.sync.cache.audit import AuditDraft
from orderdesk.sync.cache.first_fold import FirstFold
from orderdesk.sync.cache.ingest import PreparedBatch, PreparedObservation, PreparedOrder, prepare
from orderdesk.sync.fold import FoldObservation
from orderdesk.sync.mapping import MappingRegistry

Batch = tuple[Sequence[Any], Sequence[Any]]  # (orders, observations) as raw records

_worker_registry: MappingRegistry | None = None
_worker_operator = "system"
_worker_folder: str | None = None
_worker_parent = 0  # the process that started this worker: the owner of what it prepares


_PREFIX = "orderdesk-batch-"
_STALE_SECONDS = 600


def _hand_over_folder() -> str | None:
    """/dev/shm where there is one; else None, meaning the system temp folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_hand_over_files() -> int:
    """Remove batch files a killed run left behind: those whose writing process is gone, and any older
    than ten minutes. Each file is named after the process it was prepared for."""
    now, removed = time.time(), 0
    for stale in Path(_hand_over_folder() or tempfile.gettempdir()).glob(f"{_PREFIX}*.pickle"):
        owner = stale.name.removeprefix(_PREFIX).split("-", 1)[0]
        try:
            if (owner.isdigit() and not _alive(int(owner))) or now - stale.stat().st_mtime > _STALE_SECONDS:
                stale.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def _plain_tuple(record: tuple[Any, ...]) -> tuple[Any, ...]:
    """A named tuple rebuilt by tuple.__new__: C code only, where its own __new__ is a Python function
    run once per record by the process that takes the batch (tens of thousands per batch)."""
    return tuple.__new__, (type(record), tuple(record))


_HAND_OVER = copyreg.dispatch_table.copy()
for _record in (PreparedOrder, PreparedObservation, FoldObservation, FirstFold, AuditDraft):
    _HAND_OVER[_record] = _plain_tuple


def _start_worker(documents: list[Mapping[str, Any]], operator: str, folder: str | None) -> None:
    global _worker_registry, _worker_operator, _worker_folder, _worker_parent
    _worker_parent = os.getppid()
    _worker_registry = MappingRegistry(documents)
    _worker_operator = operator
    _worker_folder = folder
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    _yield_to_the_writer()


WORKER_NICENESS = 10


def _yield_to_the_writer() -> None:
    """Workers run at a lower priority than the process that started them. The writer (in the
    console, the UI process) is the critical path: with two workers and the writer sharing two cores
    evenly, it waited for a core about a tenth of the time (bench sync_orders); the workers only
    need the time it leaves."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):  # not permitted here: equal priority, as before
            os.nice(WORKER_NICENESS)


def _exit_with_parent() -> None:
    """A killed writer must not leave its worker behind: the worker holds both ends of the executor's
    queue pipe, so it would never see end-of-file and would wait forever (seen after kill -9)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)


def worker_prepare(orders: Sequence[Any], observations: Sequence[Any]) -> str:
    """In a worker: prepare one batch (folding the orders that look new) into a hand-over file; returns
    its path (whoever takes it deletes it)."""
    assert _worker_registry is not None, "only in a worker started by preparing_workers"
    with cycle_collection_paused():
        batch = prepare(orders, observations, _worker_registry, fold_new_as=_worker_operator)
        # The process that takes it, as it was at start: once it has died, getppid() would name init
        # (seen: a file owned by "1", which the sweep took for alive), the sweep knows.
        owner = _worker_parent
        handle, path = tempfile.mkstemp(prefix=f"{_PREFIX}{owner}-", suffix=".pickle", dir=_worker_folder)
        with os.fdopen(handle, "wb") as file:
            pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = _HAND_OVER
            pickler.dump(batch)
        del batch  # freed before the collector is back (it would scan it all)
    return path


def take(path: str) -> PreparedBatch:
    """The prepared batch a worker left at ``path``; the file goes."""
    try:
        with open(path, "rb") as file, cycle_collection_paused():
            return pickle.load(file)
    finally:
        os.unlink(path)


def take_and_apply(writer: CacheWriter, path: str) -> ApplyReport:
    """The batch a worker prepared at ``path``, applied, and let go before the cycle collector is back
    (re-enabled while the batch was still referenced, it scanned all of it: 8.5 % of the writer)."""
    with cycle_collection_paused():
        batch = take(path)
        report = writer.apply_prepared(batch)
        del batch
    return report


def discard(futures: Iterable[Future[Any]]) -> None:
    """Batches prepared but never applied: cancel what has not started, delete what is done."""
    for future in futures:
        if not future.cancel() and future.done() and future.exception() is None:
            result = future.result()
            os.unlink(result[0] if isinstance(result, tuple) else result)


def start_preparing_workers(writer: CacheWriter, workers: int) -> ProcessPoolExecutor:
    """Worker processes that prepare batches for ``writer`` with the mapping tables in force now
    (spawned, so nothing of this process's threads or connections is copied). The caller shuts it
    down; from an event loop, do that in a thread: it waits for the processes to end."""
    documents = [writer.registry().table(s).document for s in writer.registry().sources]
    context = multiprocessing.get_context("spawn")
    sweep_hand_over_files()
    initargs = (documents, writer.operator, _hand_over_folder())
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=initargs)


@contextmanager
def preparing_workers(writer: CacheWriter, workers: int) -> Iterator[ProcessPoolExecutor]:
    with start_preparing_workers(writer, workers) as pool:
        yield pool


def apply_batches(writer: CacheWriter, batches: Iterable[Batch], *, workers: int = 1) -> Iterator[ApplyReport]:
    """Apply batches in order, one transaction each; with ``workers`` > 0 preparation runs ahead in
    worker processes while this one writes."""
    iterator = iter(batches)
    if workers <= 0:
        for orders, observations in iterator:
            yield writer.apply(orders, observations)
        return
    first = next(iterator, None)
    if first is None:
        return
    second = next(iterator, None)
    if second is None:  # one batch: no worker is worth starting
        yield writer.apply(*first)
        return
    with preparing_workers(writer, workers) as pool:
        ahead: list[Future[str]] = [pool.submit(worker_prepare, *second)]

        def submit() -> None:
            batch = next(iterator, None)
            if batch is not None:
                ahead.append(pool.submit(worker_prepare, *batch))

        for _ in range(2 * workers - 1):  # two ahead per worker: the next input is across before it is wanted
            submit()
        try:
            yield writer.apply(*first)  # this process does the first batch while the worker starts up
            while ahead:
                path = ahead.pop(0).result()
                submit()
                yield take_and_apply(writer, path)
        finally:
            discard(ahead)
