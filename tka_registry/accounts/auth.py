"""Who is calling (bearer token or session cookie), and the access rule every handler declares.

Every route handler states its roles with ``opt=access(...)``; the app-wide guard refuses a
handler that declares none, so a new endpoint cannot ship without a decided rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.service import actor_for_token

SESSION_COOKIE = "tka_session"
API_PREFIX = "/api/"
PUBLIC = "public"


def access(*roles: Role | str) -> dict[str, Any]:
    """The ``opt`` of a route handler: the roles allowed, or ``access(PUBLIC)`` for anyone."""
    return {"access": tuple(str(role) for role in roles)}


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return connection.client.host if connection.client else "unknown"


class TokenAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` to an :class:`Actor`, or None for an anonymous caller."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            # The session cookie counts for pages only: the JSON API takes bearer tokens, so it
            # needs no CSRF protection (a cross-site form cannot send an Authorization header).
            on_api = connection.scope["path"].startswith(API_PREFIX)
            token = "" if on_api else connection.cookies.get(SESSION_COOKIE, "")
        if not token:
            return AuthenticationResult(user=None, auth=None)
        now = connection.app.state.clock()
        actor = await actor_for_token(token.strip(), now=now, address=client_address(connection))
        return AuthenticationResult(user=actor, auth=token.strip() if actor else None)


def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Refuse callers whose role the handler does not list: 401 anonymous, 403 other roles."""
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
