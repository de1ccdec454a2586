"""/v1/auth: sign in (throttled), who am I, sign out (revokes the token)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from orderdesk.hub import revocation, throttle
from orderdesk.hub.deps import Caller, Store, Tokens
from orderdesk.hub.refusals import Refusal, responses

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: int
    user: str
    role: str


class WhoAmI(BaseModel):
    user: str
    role: str
    expires_at: int


@router.post("/token", response_model=TokenResponse, responses=responses(400, 401, 413, 422, 429))
def sign_in(body: TokenRequest, request: Request, store: Store, tokens: Tokens) -> TokenResponse:
    """A bearer token (a JWT, 12 h) for a user name and password. Failed sign-ins are throttled per
    user name and per client address (429 with Retry-After)."""
    address = request.client.host if request.client else "unknown"
    attempt = throttle.begin(store, request.app.state.sign_in_limits, body.username, address)
    role = store.check_password(body.username, body.password)
    if role is None:
        raise Refusal(401, en="wrong user name or password", zh="用户名或密码错误", field="password")
    throttle.succeeded(store, attempt)
    issued = tokens.issue(body.username)
    return TokenResponse(access_token=issued.text, expires_at=issued.expires_at, user=body.username, role=role)


@router.get("/me", response_model=WhoAmI, responses=responses(401))
def who_am_i(who: Caller) -> WhoAmI:
    """Who the bearer token names, with the role the hub's records give them now: a console that
    starts with a stored token learns its role here."""
    return WhoAmI(user=who.user, role=who.role, expires_at=who.expires_at)


@router.post("/logout", status_code=204, response_class=Response, responses=responses(401))
def sign_out(who: Caller, store: Store) -> Response:
    """Revoke this token at once, in every hub process on this database (its id is kept until it
    would have expired). A second sign-out with the same token answers 401."""
    revocation.revoke(store, who)
    return Response(status_code=204)
