"""Bearer tokens: JSON Web Tokens (HS256, through PyJWT) naming the user, the hub database they were
issued for (the audience: the store's epoch) and a token id (``jti``, what sign-out revokes).

A token carries no role: every request reads the user's current role from the hub's records
(``hub/deps.py``), so a demoted or removed user loses the rights at once. Tokens of the hub's old
format (``body.signature``) and tokens signed with any other secret are refused like forged ones.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import jwt

from orderdesk.sync.errors import BilingualError

ROLES = ("packer", "clerk", "supervisor")
TOKEN_SECONDS = 12 * 3600  # a working day and a half
ALGORITHM = "HS256"
ISSUER = "orderdesk-hub"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a request comes from: the token's user with the role the hub's records give them now."""

    user: str
    role: str
    expires_at: int
    token_id: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    text: str
    token_id: str
    expires_at: int


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user: str
    token_id: str
    expires_at: int


class TokenRefused(BilingualError):
    """Why a token does not open the hub (``said``; ``str()`` is the English form)."""


class TokenAuthority:
    """Issues and reads the tokens of one hub database with one signing secret."""

    def __init__(self, secret: str, audience: str) -> None:
        self._secret = secret
        self.audience = audience

    def issue(self, user: str, now: float | None = None) -> IssuedToken:
        issued = int(time.time() if now is None else now)
        token_id = secrets.token_urlsafe(16)
        claims = {"sub": user, "jti": token_id, "iat": issued, "exp": issued + TOKEN_SECONDS,
                  "aud": self.audience, "iss": ISSUER}  # fmt: skip
        return IssuedToken(jwt.encode(claims, self._secret, algorithm=ALGORITHM), token_id, issued + TOKEN_SECONDS)

    def read(self, text: str) -> TokenClaims:
        """The claims of a token this hub issued and that has not expired; else TokenRefused."""
        try:
            claims = jwt.decode(
                text,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=ISSUER,
                options={"require": ["sub", "jti", "iat", "exp", "aud", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRefused(en="the token has expired: sign in again", zh="令牌已过期:请重新登录") from None
        except jwt.InvalidAudienceError:
            raise TokenRefused(
                en="the token was issued for another hub database: sign in again",
                zh="令牌属于另一个订单中心数据库:请重新登录",
            ) from None
        except jwt.PyJWTError:
            raise TokenRefused(
                en="not a token this hub issued (malformed, forged or of an older format): sign in again",
                zh="不是本订单中心签发的令牌(格式不对、被篡改或是旧格式):请重新登录",
            ) from None
        if not isinstance(claims["jti"], str) or not isinstance(claims["exp"], int):
            raise TokenRefused(en="the token's claims are malformed: sign in again", zh="令牌内容格式不对:请重新登录")
        return TokenClaims(claims["sub"], claims["jti"], claims["exp"])
