"""A local token authority: OpenID discovery, JWKS and the client-credentials token endpoint.

Enough of Entra ID's v2.0 (and ADFS-style) endpoints for MSAL, hence azure-identity,
to obtain tokens for ``https://batch.core.windows.net//.default``.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from batch_emulator.tokens import TokenIssuer

__all__ = ["routes"]


def _issuer(request: Request) -> TokenIssuer | None:
    issuer = request.app.state.tokens
    return issuer if isinstance(issuer, TokenIssuer) else None


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


async def openid_configuration(request: Request) -> Response:
    tenant = request.path_params["tenant"]
    base = f"{_base(request)}/{tenant}"
    v2 = request.url.path.endswith("/v2.0/.well-known/openid-configuration")
    token = f"{base}/oauth2/v2.0/token" if v2 else f"{base}/oauth2/token"
    return JSONResponse(
        {
            "issuer": f"{base}/v2.0" if v2 else base,
            "token_endpoint": token,
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_types_supported": ["code", "token"],
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "tenant_region_scope": "WW",
        }
    )


async def keys(request: Request) -> Response:
    issuer = _issuer(request)
    if issuer is None:
        return _oauth_error(404, "not_found", "No token authority is configured.")
    return JSONResponse(issuer.jwks())


async def token(request: Request) -> Response:
    issuer = _issuer(request)
    if issuer is None:
        return _oauth_error(404, "not_found", "No token authority is configured.")
    raw = parse_qs((await request.body()).decode("utf-8", "replace"))
    form = {name: values[0] for name, values in raw.items()}
    grant = form.get("grant_type", "")
    if grant != "client_credentials":
        return _oauth_error(
            400, "unsupported_grant_type", "Only the client_credentials grant is supported."
        )
    client_id = form.get("client_id", "")
    secret = form.get("client_secret", "")
    if not issuer.check_client(client_id, secret):
        return _oauth_error(
            401, "invalid_client", "AADSTS7000215: Invalid client secret or unknown client."
        )
    scope = form.get("scope", "")
    if not any(s.startswith("https://batch.core.windows.net") for s in scope.split()):
        return _oauth_error(400, "invalid_scope", "AADSTS70011: The scope is not Azure Batch.")
    tenant = request.path_params["tenant"]
    response = issuer.issue(f"{_base(request)}/{tenant}/v2.0", scope)
    return JSONResponse(response, headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [
        Route("/{tenant}/v2.0/.well-known/openid-configuration", openid_configuration),
        Route("/{tenant}/.well-known/openid-configuration", openid_configuration),
        Route("/{tenant}/discovery/v2.0/keys", keys),
        Route("/{tenant}/oauth2/v2.0/token", token, methods=["POST"]),
        Route("/{tenant}/oauth2/token", token, methods=["POST"]),
    ]
