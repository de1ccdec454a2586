"""Signing out revokes a token: its id is kept in the hub's database until the token would have expired
anyway (then it is dropped), so every hub process on that database refuses it from then on."""

from __future__ import annotations

import time

from sqlalchemy import Connection, delete, exists, insert, select

from orderdesk.hub.auth import Caller
from orderdesk.hub.schema import revoked_tokens, users
from orderdesk.hub.store import HubStore, now_ms


def revoke(store: HubStore, caller: Caller) -> None:
    with store.write() as c:
        c.execute(delete(revoked_tokens).where(revoked_tokens.c.expires_at < int(time.time())))
        known = select(revoked_tokens.c.token_id).where(revoked_tokens.c.token_id == caller.token_id)
        if c.execute(known).first() is None:
            c.execute(insert(revoked_tokens).values(token_id=caller.token_id, expires_at=caller.expires_at,
                                                    revoked_at_ms=now_ms()))  # fmt: skip


def standing(c: Connection, user: str, token_id: str) -> tuple[str, bool] | None:
    """(the user's current role, whether this token was revoked), or None when the user is gone:
    one query per request."""
    revoked = exists().where(revoked_tokens.c.token_id == token_id)
    row = c.execute(select(users.c.role, revoked).where(users.c.username == user)).first()
    return None if row is None else (str(row[0]), bool(row[1]))
