"""Bearer tokens that carry the user and the role, signed by the hub; the role is checked per action."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

ROLES = ("packer", "clerk", "supervisor")
TOKEN_SECONDS = 12 * 3600  # a working day and a half


@dataclass(frozen=True, slots=True)
class Caller:
    user: str
    role: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(secret: str, user: str, role: str, now: float | None = None) -> tuple[str, int]:
    expires = int((now or time.time()) + TOKEN_SECONDS)
    body = _b64(json.dumps({"sub": user, "role": role, "exp": expires}, separators=(",", ":")).encode())
    signature = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}", expires


def verify(secret: str, token: str, now: float | None = None) -> Caller | None:
    """The caller a token names, or None when it is malformed, forged or expired."""
    body, _, signature = token.partition(".")
    expected = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        return None
    try:
        claims = json.loads(_unb64(body))
        caller = Caller(str(claims["sub"]), str(claims["role"]), int(claims["exp"]))
    except (ValueError, KeyError, TypeError):
        return None
    if caller.role not in ROLES or caller.expires_at < (now or time.time()):
        return None
    return caller
