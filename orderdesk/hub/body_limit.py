"""Body size limits, per route: FastAPI's ``max_body_size`` (Starlette counts the bytes as they are
read and refuses the rest: the refusal goes through the hub's handlers, in words). A request whose
``Content-Length`` already says it is too large is answered here, before any route runs and before
a byte of the body is read; Starlette would answer that one in bare English text."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from orderdesk.hub.refusals import body_too_large


class ContentLengthCheck:
    """``limits``: path prefix → bytes (the same the routers are included with); else ``default``."""

    def __init__(self, app: ASGIApp, limits: dict[str, int], default: int) -> None:
        self.app = app
        self.limits = limits
        self.default = default

    def _limit(self, scope: Scope) -> int:
        path = str(scope.get("path", ""))
        return next((limit for prefix, limit in self.limits.items() if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = Headers(scope=scope).get("content-length", "")
            limit = self._limit(scope)
            if declared.isdigit() and int(declared) > limit:
                refusal = body_too_large(limit)
                await JSONResponse(refusal.body(), 413)(scope, receive, send)
                return
        await self.app(scope, receive, send)
