"""A local Entra ID look-alike: client-credential tokens as RS256 JWTs, and their check.

Real azure-identity credentials (``ClientSecretCredential`` with ``authority`` pointed at
the emulator and instance discovery disabled) obtain tokens from the routes in
:mod:`batch_emulator.api.identity`; the Batch routes accept those tokens as bearer auth.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["BATCH_AUDIENCES", "ClientRegistration", "TokenError", "TokenIssuer"]

BATCH_AUDIENCES = ("https://batch.core.windows.net/", "https://batch.core.windows.net")
_LIFETIME = 3600


class TokenError(Exception):
    """The token is malformed, forged, expired or for another audience."""


@dataclass(frozen=True)
class ClientRegistration:
    """The one application (service principal) allowed to obtain tokens."""

    tenant_id: str
    client_id: str
    client_secret: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class TokenIssuer:
    """Issues and verifies access tokens signed with one RSA key."""

    client: ClientRegistration
    private_key_pem: bytes = b""
    _key: rsa.RSAPrivateKey = field(init=False)
    kid: str = field(init=False)

    def __post_init__(self) -> None:
        if self.private_key_pem:
            loaded = serialization.load_pem_private_key(self.private_key_pem, password=None)
            if not isinstance(loaded, rsa.RSAPrivateKey):
                raise ValueError("the token signing key must be RSA")
            self._key = loaded
        else:
            self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            self.private_key_pem = self._key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        numbers = self._key.public_key().public_numbers()
        digest = hashes.Hash(hashes.SHA256())
        digest.update(numbers.n.to_bytes(256))
        self.kid = _b64(digest.finalize()[:12])

    def check_client(self, client_id: str, client_secret: str) -> bool:
        return client_id == self.client.client_id and hmac.compare_digest(
            client_secret.encode(), self.client.client_secret.encode()
        )

    def issue(self, issuer: str, scope: str) -> dict[str, Any]:
        """A token response (``access_token``, ``expires_in``...) for the batch audience."""
        now = int(time.time())
        claims = {
            "aud": BATCH_AUDIENCES[0],
            "iss": issuer,
            "iat": now,
            "nbf": now,
            "exp": now + _LIFETIME,
            "appid": self.client.client_id,
            "tid": self.client.tenant_id,
            "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, self.client.client_id)),
            "sub": self.client.client_id,
            "scp": scope,
            "jti": secrets.token_hex(8),
        }
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
        signature = self._key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return {
            "token_type": "Bearer",
            "expires_in": _LIFETIME,
            "ext_expires_in": _LIFETIME,
            "access_token": f"{signing_input}.{_b64(signature)}",
        }

    def verify(self, token: str) -> dict[str, Any]:
        parts = token.split(".")
        if len(parts) != 3:
            raise TokenError("The access token is malformed.")
        try:
            header = json.loads(_unb64(parts[0]))
            claims = json.loads(_unb64(parts[1]))
            signature = _unb64(parts[2])
        except (ValueError, json.JSONDecodeError):
            raise TokenError("The access token is malformed.") from None
        if header.get("alg") != "RS256":
            raise TokenError("The access token's signing algorithm is not accepted.")
        try:
            self._key.public_key().verify(
                signature, f"{parts[0]}.{parts[1]}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except Exception:  # any failure means a forged or damaged token
            raise TokenError("The access token's signature is invalid.") from None
        now = time.time()
        if not isinstance(claims, dict):
            raise TokenError("The access token is malformed.")
        if float(claims.get("exp", 0)) < now:
            raise TokenError("The access token has expired.")
        if float(claims.get("nbf", 0)) > now + 300:
            raise TokenError("The access token is not yet valid.")
        if claims.get("aud") not in BATCH_AUDIENCES:
            raise TokenError("The access token's audience is not Azure Batch.")
        return claims

    def jwks(self) -> dict[str, Any]:
        numbers = self._key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": _b64(numbers.n.to_bytes(256)),
                    "e": _b64(numbers.e.to_bytes(3)),
                }
            ]
        }
