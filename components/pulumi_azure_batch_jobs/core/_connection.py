"""Where the Batch account is and how to authenticate to it.

Resolution order for each setting: the explicit argument, then stack config in the
``azure-batch-jobs`` namespace (``endpoint``, ``accountName``, ``accountKey``), then the
Azure CLI's environment variables (``AZURE_BATCH_ENDPOINT``, ``AZURE_BATCH_ACCOUNT``,
``AZURE_BATCH_ACCESS_KEY``). With a key the client signs with the shared key
(``AzureNamedKeyCredential``); without one it uses azure-identity's
``DefaultAzureCredential``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._rest import API_VERSION

if TYPE_CHECKING:
    from azure.batch import BatchClient
    from azure.core.credentials import AzureNamedKeyCredential
    from azure.core.pipeline.policies import RetryPolicy
    from azure.identity import DefaultAzureCredential

CONFIG_NAMESPACE = "azure-batch-jobs"
ENV_ENDPOINT = "AZURE_BATCH_ENDPOINT"
ENV_ACCOUNT = "AZURE_BATCH_ACCOUNT"
ENV_KEY = "AZURE_BATCH_ACCESS_KEY"
BATCH_SCOPE = "https://batch.core.windows.net//.default"
ENV_AUTHORITY_HOST = "AZURE_AUTHORITY_HOST"
#: Entra ID hosts MSAL knows; any other authority (Azure Stack, ADFS, a local emulator)
#: must not be "discovered" through login.microsoftonline.com.
KNOWN_AUTHORITY_HOSTS = frozenset(
    {
        "login.microsoftonline.com",
        "login.microsoft.com",
        "login.windows.net",
        "sts.windows.net",
        "login.chinacloudapi.cn",
        "login.partner.microsoftonline.cn",
        "login.microsoftonline.us",
        "login.microsoftonline.de",
    }
)

# Retries of transient failures (5xx, 429 honouring Retry-After, connection resets) are
# azure-core's RetryPolicy; these bound them so no call waits forever. Connect, read and
# status retries get the whole budget (azure-core's default of 3 each fails one call in
# ~600 at a 20 % fault rate).
RETRY_SETTINGS: dict[str, Any] = {
    "retry_total": 6,
    "retry_connect": 6,
    "retry_read": 6,
    "retry_status": 6,
    "retry_backoff_factor": 0.5,
    "retry_backoff_max": 20,
    "connection_timeout": 10,
    "read_timeout": 60,
}


class BatchConfigurationError(ValueError):
    """The account could not be located or authenticated; the message says what to set."""


@dataclass(frozen=True)
class BatchConnection:
    """An account endpoint and how to authenticate; ``repr`` never shows the key."""

    endpoint: str
    account_name: str | None = None
    account_key: str | None = field(default=None, repr=False)


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def resolve_connection(
    *,
    endpoint: str | None = None,
    account_name: str | None = None,
    account_key: str | None = None,
    config: Callable[[str], str | None] | None = None,
    environ: Mapping[str, str] | None = None,
) -> BatchConnection:
    """Resolve endpoint, account and key from arguments, stack config and environment."""
    env = os.environ if environ is None else environ
    cfg = config or (lambda _key: None)
    endpoint = _first(endpoint, cfg("endpoint"), env.get(ENV_ENDPOINT))
    account_name = _first(account_name, cfg("accountName"), env.get(ENV_ACCOUNT))
    account_key = _first(account_key, cfg("accountKey"), env.get(ENV_KEY))
    if not endpoint:
        raise BatchConfigurationError(
            "no Batch account endpoint: pass `endpoint`, set stack config "
            f"`{CONFIG_NAMESPACE}:endpoint`, or set {ENV_ENDPOINT}"
        )
    if "://" not in endpoint:
        endpoint = f"https://{endpoint}"
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BatchConfigurationError(f"endpoint: not an http(s) URL (got {endpoint!r})")
    if account_key and not account_name:
        raise BatchConfigurationError(
            "a shared key needs the account name: pass `account_name`, set stack config "
            f"`{CONFIG_NAMESPACE}:accountName`, or set {ENV_ACCOUNT}"
        )
    return BatchConnection(endpoint.rstrip("/"), account_name, account_key)


def identity_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """Options for ``DefaultAzureCredential``: no instance discovery for custom authorities."""
    authority = environ.get(ENV_AUTHORITY_HOST)
    if not authority:
        return {}
    host = urlsplit(authority if "://" in authority else f"https://{authority}").hostname
    if host in KNOWN_AUTHORITY_HOSTS:
        return {}
    return {"disable_instance_discovery": True}


def environment_settings(endpoint: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """What ``requests`` reads from the environment, read once for a client of ``endpoint``.

    With its default ``use_env_settings`` the azure-core transport lets ``requests`` scan
    the whole environment for proxies, CA bundle and ``.netrc`` on every request (a good
    share of a request's client CPU). The client is built with that off and these settings
    resolved here instead: the endpoint's proxies (``HTTP(S)_PROXY``, ``NO_PROXY``, as
    ``requests`` reads them) and ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE``. (A ``.netrc``
    entry for the endpoint is no longer applied: its Basic credentials would replace the
    Batch ``Authorization`` header.)
    """
    from requests.utils import get_environ_proxies

    settings: dict[str, Any] = {"use_env_settings": False}
    proxies = get_environ_proxies(endpoint)
    if proxies:
        settings["proxies"] = proxies
    bundle = environ.get("REQUESTS_CA_BUNDLE") or environ.get("CURL_CA_BUNDLE")
    if bundle:
        settings["connection_verify"] = bundle
    return settings


def make_client(connection: BatchConnection) -> BatchClient:
    """A ``BatchClient`` for the connection, with bounded retries and timeouts."""
    from azure.batch import BatchClient

    credential: AzureNamedKeyCredential | DefaultAzureCredential
    if connection.account_key is not None:
        from azure.core.credentials import AzureNamedKeyCredential

        credential = AzureNamedKeyCredential(connection.account_name or "", connection.account_key)
    else:
        from azure.identity import DefaultAzureCredential

        credential = DefaultAzureCredential(**identity_options(os.environ))
    return BatchClient(
        connection.endpoint,
        credential,
        credential_scopes=[BATCH_SCOPE],
        api_version=API_VERSION,
        retry_policy=_retry_policy(),
        **RETRY_SETTINGS,
        **environment_settings(connection.endpoint, os.environ),
    )


@functools.lru_cache(maxsize=16)
def shared_client(connection: BatchConnection) -> BatchClient:
    """One client per connection for the life of the process (the provider host serves
    every resource of a stack from one process): its HTTP connections and, with Entra
    ID, its token cache are reused instead of built again for every call."""
    return make_client(connection)


def _retry_policy() -> RetryPolicy[Any, Any]:
    """azure-core's RetryPolicy, also retrying POST and PATCH after a lost response.

    azure-core retries POST/PATCH only on 500/503/504, not on a connection reset or a
    read error, so a lost response to Add Job or Add Task Collection would fail the
    operation. Every POST/PATCH the component sends is safe to repeat: Add Job carries
    a create token (a repeated add answers JobExists for our own job), Add Task
    Collection tolerates TaskExists, and Update Job sends the same properties again.
    """
    from azure.core.pipeline.policies import RetryPolicy

    class RetryLostResponses(RetryPolicy):  # type: ignore[type-arg]
        def configure_retries(self, options: dict[str, Any]) -> dict[str, Any]:
            # The settings' "methods" are the methods retried after any error; azure-core
            # has no constructor setting for them. A test fails loudly if this stops taking
            # effect (tests/integration/test_retry_lost_responses.py).
            settings: dict[str, Any] = super().configure_retries(options)
            settings["methods"] = frozenset({*settings["methods"], "POST", "PATCH"})
            return settings

    return RetryLostResponses(**RETRY_SETTINGS)
