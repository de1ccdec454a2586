"""Top-level windows and dialogs are deleted by Qt, on the UI thread, never by Python's garbage
collector. A closed window is still referenced from cycles (signal lambdas); whichever thread runs
the collector next would destroy it there — a worker thread, where its timers cannot be stopped, and
the next timer event then lands on freed memory (seen: a segfault after sign-out). :func:`retire`
hands the object to Qt's deferred delete and keeps it referenced until Qt has deleted it."""

from __future__ import annotations

from PySide6.QtCore import QObject

_retiring: set[QObject] = set()


def retire(thing: QObject) -> None:
    """Delete ``thing`` on the UI thread at the next turn of the event loop (hide it first if shown)."""
    if thing in _retiring:
        return
    _retiring.add(thing)
    thing.destroyed.connect(lambda *_: _retiring.discard(thing))
    hide = getattr(thing, "hide", None)
    if hide is not None:
        hide()
    thing.deleteLater()


def retiring() -> int:
    """How many are waiting for Qt to delete them (for tests)."""
    return len(_retiring)
