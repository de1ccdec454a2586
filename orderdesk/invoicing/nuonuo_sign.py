"""The 诺诺 open platform's request signature (DOMAIN-FACTS.md): X-Nuonuo-Sign is
base64(HMAC-SHA1(app secret, "a=services&l=v1&p=open&k=<appkey>&i=<senid>&n=<nonce>&t=<timestamp>&f=<body>")).
The local platform checks it the same way, so a request with a wrong key, body or time is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(secret: str, *, app_key: str, sender_id: str, nonce: str, timestamp: str, body: str) -> str:
    message = f"a=services&l=v1&p=open&k={app_key}&i={sender_id}&n={nonce}&t={timestamp}&f={body}"
    return base64.b64encode(hmac.new(secret.encode(), message.encode(), hashlib.sha1).digest()).decode()


def verify(secret: str, signature: str, **parts: str) -> bool:
    return hmac.compare_digest(sign(secret, **parts), signature)
