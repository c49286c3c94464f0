"""Who is calling (bearer token or session cookie), and the access rule every handler declares.

Every route handler states its roles with ``opt=access(...)``; the app-wide guard refuses a
handler that declares none, so a new endpoint cannot ship without a decided rule.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import timedelta
from hmac import compare_digest
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.service import actor_for_token
from tka_registry.security.proxies import client_address as proxied_client
from tka_registry.security.proxies import forwarded_chain, trusted_networks
from tka_registry.settings import Settings

SESSION_COOKIE = "tka_session"
CSRF_COOKIE = "tka_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API_PREFIX = "/api/"
PUBLIC = "public"


def access(*roles: Role | str) -> dict[str, Any]:
    """The ``opt`` of a route handler: the roles allowed, or ``access(PUBLIC)`` for anyone."""
    return {"access": tuple(str(role) for role in roles)}


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The client's address: the peer's, or the one trusted proxies forwarded (security/proxies)."""
    peer = connection.client.host if connection.client else "unknown"
    settings = connection.app.state.get("settings")
    if settings is None or not settings.trusted_proxies:
        return peer
    headers = connection.headers
    chain = forwarded_chain(headers.get("x-forwarded-for"), headers.get("forwarded"))
    return proxied_client(peer, chain, trusted_networks(settings.trusted_proxies))


def cookie_name(name: str, secure: bool) -> str:
    """``__Host-`` names over HTTPS: browsers then keep the cookie only Secure, for this host
    and path / (no subdomain or plain-HTTP page can plant or overwrite it)."""
    return f"__Host-{name}" if secure else name


def session_cookie(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The name of the session cookie under the app's settings."""
    return cookie_name(SESSION_COOKIE, connection.app.state.settings.cookie_secure)


def session_csrf_token(secret: str, session: str) -> str:
    """The CSRF token of a page session: derived from the session, so a token from another
    session (or none) fails; in Litestar's format (64 hex characters and their HMAC)."""
    bound = hmac.new(secret.encode(), f"csrf|{session}".encode(), hashlib.sha256).hexdigest()
    return bound + hmac.new(secret.encode(), bound.encode(), hashlib.sha256).hexdigest()


class TokenAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` to an :class:`Actor`, or None for an anonymous caller."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        kind, idle = "bearer", None
        settings = connection.app.state.settings
        if scheme.lower() != "bearer" or not token:
            # The session cookie counts for pages only: the JSON API takes bearer tokens, so it
            # needs no CSRF protection (a cross-site form cannot send an Authorization header).
            on_api = connection.scope["path"].startswith(API_PREFIX)
            token = "" if on_api else connection.cookies.get(session_cookie(connection), "")
            kind, idle = "session", timedelta(minutes=settings.session_idle_minutes)
            if token and connection.scope.get("method", "GET") not in SAFE_METHODS:
                _check_session_csrf(connection, settings, token)
        if not token:
            return AuthenticationResult(user=None, auth=None)
        now = connection.app.state.clock()
        address = client_address(connection)
        # A bearer token is never a session, nor the reverse (each is looked up by its kind).
        actor = await actor_for_token(token.strip(), now=now, address=address, kind=kind, idle=idle)
        return AuthenticationResult(user=actor, auth=token.strip() if actor else None)


def _check_session_csrf(
    connection: ASGIConnection[Any, Any, Any, Any], settings: Settings, session: str
) -> None:
    """A page form sent with a session must carry that session's CSRF cookie (which Litestar's
    CSRF check then matches with the form's token), not one of another session."""
    cookie = connection.cookies.get(cookie_name(CSRF_COOKIE, settings.cookie_secure), "")
    if not compare_digest(cookie, session_csrf_token(settings.secret_key, session.strip())):
        raise PermissionDeniedException("CSRF token verification failed")


async def access_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Refuse callers whose role the handler does not list: 401 anonymous, 403 other roles.

    A coroutine although it awaits nothing: Litestar runs a plain-function guard in a worker
    thread, a hop there and back on every request."""
    allowed: Iterable[str] | None = handler.opt.get("access")
    if allowed is None:
        raise PermissionDeniedException(f"no access rule declared for {handler.handler_name}")
    if PUBLIC in allowed:
        return
    actor: Actor | None = connection.scope.get("user")
    if actor is None:
        raise NotAuthorizedException("sign in first: send Authorization: Bearer <token>")
    if actor.role not in allowed:
        raise PermissionDeniedException(f"the {actor.role} role may not use this endpoint")
