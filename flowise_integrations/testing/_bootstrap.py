"""Turn a fresh Flowise server into one that accepts an API key, without a browser.

Two eras. Since 3.0.1 a new server has no user, organization or workspace, and API keys belong to
a workspace, so a key cannot exist until someone registers: this module does what the UI does,
registering the owner account, logging in (the JWT arrives as cookies) and creating an API key
through the cookie-authenticated internal path (``x-request-from: internal``). Flowise 2.x has no
accounts: the harness starts it with basic auth (``FLOWISE_USERNAME``/``FLOWISE_PASSWORD``,
see :func:`basic_auth_environment`), and the internal path with those credentials creates a key,
which then opens every route. This is the only place in the package that uses the internal path;
everything afterwards uses ``Authorization: Bearer <key>``.

Bootstrapping is idempotent: an existing organization means "already registered", and an
existing key with the requested name is reused (its permissions updated if they differ).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from .._core.capabilities import parse_version
from ._process import HarnessError

__all__ = [
    "DEFAULT_EMAIL",
    "DEFAULT_KEY_NAME",
    "DEFAULT_PASSWORD",
    "FULL_PERMISSIONS",
    "basic_auth_environment",
    "bootstrap",
    "permissions_for",
]

DEFAULT_EMAIL = "admin@example.com"
"""Owner e-mail for test servers (Flowise rejects addresses without a dotted domain)."""

DEFAULT_PASSWORD = "Flowise-Test-Passw0rd!"
"""Owner password for test servers; it meets Flowise's lower/upper/digit/special rule."""

DEFAULT_KEY_NAME = "flowise-integrations-tests"
"""Name of the API key the harness creates."""

_FLOW_ACTIONS = ("view", "create", "update", "duplicate", "delete", "export", "import", "config", "domains")
_CRUD = ("view", "create", "update", "delete")
_DOCUMENT_STORE_ACTIONS = (
    *_CRUD,
    "add-loader",
    "delete-loader",
    "preview-process",
    "upsert-config",
)

FULL_PERMISSIONS: tuple[str, ...] = (
    *(f"chatflows:{a}" for a in _FLOW_ACTIONS),
    *(f"agentflows:{a}" for a in _FLOW_ACTIONS),
    *(f"tools:{a}" for a in (*_CRUD, "export")),
    *(f"assistants:{a}" for a in _CRUD),
    *(f"credentials:{a}" for a in (*_CRUD, "share")),
    *(f"variables:{a}" for a in _CRUD),
    *(f"apikeys:{a}" for a in _CRUD),
    *(f"documentStores:{a}" for a in _DOCUMENT_STORE_ACTIONS),
    *(f"executions:{a}" for a in ("view", "update", "delete")),
    "templates:marketplace",
    # Feature-gated (403) on open source whatever the key holds; included so tests can show the gate.
    *(f"datasets:{a}" for a in _CRUD),
)
"""An all-round permission set for a test API key (workspace/admin permissions are refused on keys)."""

# Permissions newer than the account era itself; an older server refuses a key that asks for them.
_PERMISSIONS_SINCE = {"executions:update": (3, 1, 3)}

_ALREADY_REGISTERED = "You can only have one organization"
_INTERNAL = {"x-request-from": "internal"}
_BODY_LIMIT = 500


def permissions_for(version: str) -> tuple[str, ...]:
    """:data:`FULL_PERMISSIONS` less those Flowise ``version`` does not know yet."""
    have = parse_version(version)
    return tuple(p for p in FULL_PERMISSIONS if have >= _PERMISSIONS_SINCE.get(p, (0, 0, 0)))


def basic_auth_environment(
    version: str, *, email: str = DEFAULT_EMAIL, password: str = DEFAULT_PASSWORD
) -> dict[str, str]:
    """The server settings :func:`bootstrap` expects of Flowise ``version``: basic auth before 3.0."""
    if parse_version(version) >= (3, 0, 0):
        return {}
    return {"FLOWISE_USERNAME": email, "FLOWISE_PASSWORD": password}


def bootstrap(
    base_url: str,
    *,
    email: str = DEFAULT_EMAIL,
    password: str = DEFAULT_PASSWORD,
    key_name: str = DEFAULT_KEY_NAME,
    permissions: Sequence[str] | None = None,
    name: str = "Admin",
    timeout: float = 30.0,
) -> str:
    """Return the plaintext API key named ``key_name``, creating what it needs first.

    On Flowise 3 that is the owner account (registered if needed, then logged in) and a key with
    ``permissions`` (default: every permission the server knows); on Flowise 2 a key made with
    basic auth (2.x keys have no permissions). Raises :class:`HarnessError` with the HTTP status
    and (password-free) body on failure.
    """
    with httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout) as session:
        steps = _Steps(session, password)
        version = steps.version()
        if parse_version(version) < (3, 0, 0):
            session.auth = httpx.BasicAuth(email, password)
            return steps.api_key(key_name, None)
        steps.register(name=name, email=email)
        steps.login(email=email)
        chosen = permissions_for(version) if permissions is None else permissions
        return steps.api_key(key_name, list(chosen))


class _Steps:
    """The individual HTTP calls, sharing one cookie jar; errors never echo the password."""

    def __init__(self, session: httpx.Client, password: str) -> None:
        self._session = session
        self._password = password

    def version(self) -> str:
        response = self._send("GET", "/api/v1/version", "asking the server's version")
        self._expect(response, (200,), "asking the server's version")
        try:
            version = response.json()["version"]
        except (ValueError, KeyError, TypeError) as exc:
            raise HarnessError(
                f"asking the server's version: unexpected body {response.text[:200]!r}"
            ) from exc
        return str(version)

    def register(self, *, name: str, email: str) -> None:
        body = {"user": {"name": name, "email": email, "credential": self._password}}
        response = self._send("POST", "/api/v1/account/register", "registering the owner account", json=body)
        if response.status_code == 400 and _ALREADY_REGISTERED in response.text:
            return
        self._expect(response, (200, 201), "registering the owner account")

    def login(self, *, email: str) -> None:
        body = {"email": email, "password": self._password}
        response = self._send("POST", "/api/v1/auth/login", "logging in", json=body)
        self._expect(response, (200,), "logging in")
        if "token" not in self._session.cookies:
            raise HarnessError(
                "logging in: the server set no 'token' cookie (is APP_URL https or NODE_ENV production?)"
            )

    def api_key(self, key_name: str, permissions: list[str] | None) -> str:
        """The key named ``key_name``, created if missing; ``None`` permissions for a 2.x key."""
        existing = _find_key(self._list_keys(), key_name)
        if existing is None:
            body: dict[str, Any] = {"keyName": key_name}
            if permissions is not None:
                body["permissions"] = permissions
            response = self._send(
                "POST", "/api/v1/apikey", "creating the API key", json=body, headers=_INTERNAL
            )
            self._expect(response, (200, 201), "creating the API key")
            existing = _find_key(_key_list(response, "creating the API key"), key_name)
            if existing is None:
                raise HarnessError(f"creating the API key: {key_name!r} is not in the server's key list")
        elif permissions is not None and sorted(existing.get("permissions") or []) != sorted(permissions):
            self._update_key(existing, key_name, permissions)
        return _plaintext(existing, key_name)

    def _list_keys(self) -> list[dict[str, Any]]:
        response = self._send("GET", "/api/v1/apikey", "listing API keys", headers=_INTERNAL)
        self._expect(response, (200,), "listing API keys")
        return _key_list(response, "listing API keys")

    def _update_key(self, key: dict[str, Any], key_name: str, permissions: list[str]) -> None:
        response = self._send(
            "PUT",
            f"/api/v1/apikey/{key.get('id')}",
            "updating the API key's permissions",
            json={"keyName": key_name, "permissions": permissions},
            headers=_INTERNAL,
        )
        self._expect(response, (200,), "updating the API key's permissions")

    def _send(self, method: str, path: str, what: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._session.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise HarnessError(f"{what}: {method} {path} failed: {exc}") from exc

    def _expect(self, response: httpx.Response, ok: tuple[int, ...], what: str) -> None:
        if response.status_code in ok:
            return
        body = response.text[:_BODY_LIMIT]
        if self._password:
            body = body.replace(self._password, "***")
        request = response.request
        raise HarnessError(f"{what}: {request.method} {request.url.path} -> {response.status_code}: {body}")


def _key_list(response: httpx.Response, what: str) -> list[dict[str, Any]]:
    try:
        data = response.json()
    except ValueError as exc:
        raise HarnessError(f"{what}: expected a JSON key list, got {response.text[:_BODY_LIMIT]!r}") from exc
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list):
        raise HarnessError(f"{what}: expected a JSON key list, got {type(data).__name__}")
    return [item for item in data if isinstance(item, dict)]


def _find_key(keys: list[dict[str, Any]], key_name: str) -> dict[str, Any] | None:
    return next((key for key in keys if key.get("keyName") == key_name), None)


def _plaintext(key: dict[str, Any], key_name: str) -> str:
    value = key.get("apiKey")
    if not isinstance(value, str) or not value:
        raise HarnessError(f"the server's entry for API key {key_name!r} has no plaintext 'apiKey'")
    return value
