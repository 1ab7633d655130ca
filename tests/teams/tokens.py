"""Real Bot Framework JWTs, offline: a test RSA key, an OpenID metadata server publishing it, a signer.

The SDK reads `TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL` (a configuration key of
`ConfigurationBotFrameworkAuthentication`), fetches `jwks_uri` from it with `requests`, and checks
signature, issuer, expiry, audience (our app id) and the `serviceurl` claim. Here that URL points at
a loopback server; plain http is fine because the SDK fetches whatever URL it is given.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.teams.servers import ThreadedServer

ISSUER = "https://api.botframework.com"
KEY_ID = "boundary-test-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdServer:
    def __init__(self) -> None:
        self.key = new_key()
        self.server: ThreadedServer | None = None
        # The SDK caches signing keys per metadata URL for a day, process-wide. A later server on a
        # recycled port would otherwise be answered from an earlier server's key: a path of its own
        # keeps every server's URL, and so its cache entry, distinct.
        self.prefix = f"/{uuid.uuid4().hex}"

    @property
    def metadata_url(self) -> str:
        assert self.server is not None
        return f"{self.server.url}{self.prefix}/v1/.well-known/openidconfiguration"

    def app(self) -> web.Application:
        async def metadata(_request: web.Request) -> web.Response:
            assert self.server is not None
            return web.json_response(
                {"issuer": ISSUER, "jwks_uri": f"{self.server.url}{self.prefix}/v1/keys"}
            )

        async def keys(_request: web.Request) -> web.Response:
            jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
            jwk.update({"kid": KEY_ID, "use": "sig", "endorsements": ["msteams", "emulator"]})
            return web.json_response({"keys": [jwk]})

        app = web.Application()
        app.router.add_get(f"{self.prefix}/v1/.well-known/openidconfiguration", metadata)
        app.router.add_get(f"{self.prefix}/v1/keys", keys)
        return app

    def start(self) -> OpenIdServer:
        self.server = ThreadedServer(self.app).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def token(
        self,
        *,
        audience: str,
        service_url: str,
        issuer: str = ISSUER,
        lifetime: int = 3600,
        key: rsa.RSAPrivateKey | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": now + lifetime,
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})
