"""What the routes depend on: the store and the token authority of the app, and the caller, whose
token is checked (signature, expiry, audience), not revoked, and whose role is read from the hub's
records on every request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orderdesk.hub import auth, revocation
from orderdesk.hub.refusals import Refusal
from orderdesk.hub.store import HubStore

ROLE_ZH = {"packer": "打包员", "clerk": "财务", "supervisor": "主管", "channel": "渠道接口"}
_bearer = HTTPBearer(auto_error=False, description="a token from POST /v1/auth/token")


# These two are ``async`` on purpose: FastAPI runs a plain ``def`` dependency on its thread pool, and
# two thread hops per request for reading app.state cost more than the request's own work (profiled:
# the flash-sale storm's event loop was busy handing work to threads).
async def store_of(request: Request) -> HubStore:
    return request.app.state.store


async def tokens_of(request: Request) -> auth.TokenAuthority:
    return request.app.state.tokens


def _unauthorised(*, en: str, zh: str) -> Refusal:
    return Refusal(401, en=en, zh=zh, field="Authorization", headers={"WWW-Authenticate": "Bearer"})


def _caller(
    store: Annotated[HubStore, Depends(store_of)],
    tokens: Annotated[auth.TokenAuthority, Depends(tokens_of)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> auth.Caller:
    if credentials is None:
        raise _unauthorised(en="a bearer token is needed: sign in (POST /v1/auth/token)",
                            zh="需要登录令牌:请先登录(POST /v1/auth/token)")  # fmt: skip
    try:
        claims = tokens.read(credentials.credentials)
    except auth.TokenRefused as exc:
        raise _unauthorised(en=exc.en, zh=exc.zh) from None
    with store.read() as c:
        found = revocation.standing(c, claims.user, claims.token_id)
    if found is None:
        raise _unauthorised(en=f"the user {claims.user[:64]} no longer exists at this hub",
                            zh=f"用户 {claims.user[:64]} 在订单中心已不存在")  # fmt: skip
    role, revoked = found
    if revoked:
        raise _unauthorised(en="this token was signed out: sign in again", zh="此令牌已退出登录:请重新登录")
    return auth.Caller(claims.user, role, claims.expires_at, claims.token_id)


Caller = Annotated[auth.Caller, Depends(_caller)]
Store = Annotated[HubStore, Depends(store_of)]
Tokens = Annotated[auth.TokenAuthority, Depends(tokens_of)]


def require_role(who: auth.Caller, roles: frozenset[str], *, doing_en: str, doing_zh: str) -> None:
    """403 unless the caller's current role is one of ``roles``."""
    if who.role not in roles:
        raise Refusal(403, en=f"a {who.role} may not {doing_en}", zh=f"{ROLE_ZH.get(who.role, who.role)}不能{doing_zh}", field="role",
                      value=who.role)  # fmt: skip
