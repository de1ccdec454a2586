"""Who is signed in to which hub, and which workspaces that role opens. Tokens live in the OS
keyring (sync/credentials.py) or, for the demo, only in memory; never in settings or logs.

When the hub cannot be reached, the station's last user may still sign in (their password checked
against what their last online sign-in left in the keyring): the session is *offline*, printing and
browsing work, actions wait in the outbox, and sync asks for a sign-in once the hub answers again."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from orderdesk.sync.client import HubClient, HubError, revoke_token
from orderdesk.sync.credentials import (
    check_offline,
    forget_token,
    load_token,
    offline_user,
    remember_for_offline,
    remembered_user,
    store_token,
)

WORKSPACES = ("packing", "orders", "finance", "supervision", "settings")
BY_ROLE: dict[str, tuple[str, ...]] = {
    "packer": ("packing", "orders", "inventory", "settings"),
    "clerk": ("finance", "orders", "settings"),
    "supervisor": ("packing", "orders", "finance", "supervision", "inventory", "settings"),
}


@dataclass(frozen=True)
class Session:
    hub_url: str
    user: str
    role: str
    token: str = field(repr=False)
    expires_at: int
    remembered: bool  # the token is in the keyring (False: memory only, as in the demo)
    offline: bool = False  # signed in without the hub (see the module's docstring)

    @property
    def workspaces(self) -> tuple[str, ...]:
        return BY_ROLE.get(self.role, ("settings",))

    @property
    def sees_full_contact(self) -> bool:
        """Packers see what a label needs (masked phone, address); the others see the order."""
        return self.role != "packer"

    @property
    def may_override_order_state(self) -> bool:
        """Only a supervisor may print a label for a cancelled or fully refunded order."""
        return self.role == "supervisor"


async def sign_in(hub_url: str, user: str, password: str, *, remember: bool = True) -> Session:
    """Raises HubError (wrong password: 401; hub unreachable and no offline sign-in for this user:
    status 0) or CredentialsError (no keyring, when remembering)."""
    hub_url = hub_url.rstrip("/")
    try:
        async with HubClient(hub_url, attempts=2) as client:
            answer = await client.login(user, password)
    except HubError as exc:
        if exc.status != 0:
            raise
        role = await asyncio.to_thread(check_offline, hub_url, user, password)
        if role is None:
            raise
        token = (load_token(hub_url) or "") if remembered_user(hub_url) == user else ""
        return Session(hub_url, user, role, token, 0, bool(token), offline=True)
    await asyncio.to_thread(remember_for_offline, hub_url, answer["user"], answer["role"], password)
    if remember:
        store_token(hub_url, answer["user"], answer["access_token"])
    return Session(hub_url, answer["user"], answer["role"], answer["access_token"], int(answer["expires_at"]), remember)


async def resume(hub_url: str) -> Session | None:
    """The session a stored token still holds, as the hub sees it; None when there is none or the hub
    no longer takes it. With the hub unreachable, the remembered user resumes offline."""
    hub_url = hub_url.rstrip("/")
    token = load_token(hub_url)
    if not token:
        return None
    try:
        async with HubClient(hub_url, token, attempts=2) as client:
            me = await client.me()
    except HubError as exc:
        if exc.status != 0:
            return None  # 401 (expired, revoked) or anything else: sign in again
        known = offline_user(hub_url)
        if known is None or known[0] != remembered_user(hub_url):
            return None
        return Session(hub_url, known[0], known[1], token, 0, True, offline=True)
    return Session(hub_url, me["user"], me["role"], token, int(me["expires_at"]), True)


async def sign_out(session: Session) -> bool:
    """Revoke the token at the hub, then forget it here. False when the hub could not be told (it
    is forgotten here all the same; at the hub it stays valid until it expires)."""
    told = True
    if session.token:
        try:
            await revoke_token(session.hub_url, session.token, attempts=1, timeout=5.0)
        except HubError:
            told = False
    if session.remembered:
        forget_token(session.hub_url)
    return told
