"""Opaque cursors for the change feed and for keyset pages of the order listing."""

from __future__ import annotations

import base64
import json
from typing import Any


class BadCursor(ValueError):
    pass


def _encode(prefix: str, body: dict[str, Any]) -> str:
    return prefix + base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _decode(prefix: str, text: str) -> dict[str, Any]:
    if not text.startswith(prefix):
        raise BadCursor(text)
    raw = text[len(prefix) :]
    try:
        body = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError as exc:
        raise BadCursor(text) from exc
    if not isinstance(body, dict):
        raise BadCursor(text)
    return body


def _read(prefix: str, text: str, text_key: str, number_key: str) -> tuple[str, int]:
    """(text field, non-negative number field) of a token, or BadCursor."""
    body = _decode(prefix, text)
    try:
        word, number = str(body[text_key]), int(body[number_key])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadCursor(text) from exc
    if number < 0:
        raise BadCursor(text)
    return word, number


def feed_cursor(epoch: str, seq: int) -> str:
    return _encode("c1.", {"e": epoch, "s": seq})


def read_feed_cursor(text: str) -> tuple[str, int]:
    """(hub epoch, last seq served)."""
    return _read("c1.", text, "e", "s")


def page_token(after_id: int, as_of: str, until_id: int | None = None) -> str:
    """A page of the listing: orders after ``after_id`` (up to ``until_id`` when the listing was cut
    into pages beforehand, so that several pages can be read at once)."""
    body: dict[str, Any] = {"a": after_id, "f": as_of}
    if until_id is not None:
        body["u"] = until_id
    return _encode("p1.", body)


def read_page_token(text: str) -> tuple[int, str, int | None]:
    """(last order id served, feed cursor the listing started at, last order id of the page or None)."""
    as_of, after = _read("p1.", text, "f", "a")
    until = _decode("p1.", text).get("u")
    if until is not None and (not isinstance(until, int) or until < after):
        raise BadCursor(text)
    return after, as_of, until
