"""Who is signed in to which hub, and which workspaces that role opens. Tokens live in the OS
keyring (sync/credentials.py) or, for the demo, only in memory; never in settings or logs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.client import HubClient, HubError
from sync.credentials import forget_token, load_token, store_token

WORKSPACES = ("packing", "orders", "finance", "supervision", "settings")
BY_ROLE: dict[str, tuple[str, ...]] = {
    "packer": ("packing", "orders", "settings"),
    "clerk": ("finance", "orders", "settings"),
    "supervisor": ("packing", "orders", "finance", "supervision", "settings"),
}


@dataclass(frozen=True)
class Session:
    hub_url: str
    user: str
    role: str
    token: str = field(repr=False)
    expires_at: int
    remembered: bool  # the token is in the keyring (False: memory only, as in the demo)

    @property
    def workspaces(self) -> tuple[str, ...]:
        return BY_ROLE.get(self.role, ("settings",))

    @property
    def sees_full_contact(self) -> bool:
        """Packers see what a label needs (masked phone, address); the others see the order."""
        return self.role != "packer"


async def sign_in(hub_url: str, user: str, password: str, *, remember: bool = True) -> Session:
    """Raises HubError (wrong password: status 401) or CredentialsError (no keyring, when remembering)."""
    async with HubClient(hub_url, attempts=2) as client:
        answer = await client.login(user, password)
    if remember:
        store_token(hub_url, answer["user"], answer["access_token"])
    return Session(hub_url.rstrip("/"), answer["user"], answer["role"], answer["access_token"],
                   int(answer["expires_at"]), remember)  # fmt: skip


async def resume(hub_url: str) -> Session | None:
    """The session a stored token still holds, as the hub sees it; None when there is none or the hub
    no longer takes it."""
    token = load_token(hub_url)
    if not token:
        return None
    try:
        async with HubClient(hub_url, token, attempts=2) as client:
            me = await client.me()
    except HubError as exc:
        if exc.status == 401:
            return None
        raise
    return Session(hub_url.rstrip("/"), me["user"], me["role"], token, int(me["expires_at"]), True)


def sign_out(session: Session) -> None:
    if session.remembered:
        forget_token(session.hub_url)
