"""Errors on pages answer HTML (never a trace); the JSON API keeps its JSON errors.

An anonymous visitor of a page is sent to sign in (303) with a ``next`` back to the page.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import asyncpg
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_303_SEE_OTHER,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from tka_registry.accounts.auth import session_cookie
from tka_registry.errors import DomainError
from tka_registry.http_errors import log_internal_error, outage_seen, retry_after
from tka_registry.web.layout import SIGN_IN_PATH

log = logging.getLogger("tka_registry")

# Paths answered as JSON or files; everything else is a page.
NON_PAGE_PREFIXES = ("/api/", "/schema", "/health", "/metrics", "/static/")

ExceptionHandler = Callable[[Request[Any, Any, Any], Any], Response[Any]]


def is_page_request(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    return not (path.startswith(NON_PAGE_PREFIXES) or path in {"/api", "/static"})


def sign_in_redirect(request: Request[Any, Any, Any]) -> Redirect:
    """303 to the sign-in page, returning afterwards to the page asked for (GET only)."""
    target = SIGN_IN_PATH
    if request.method == "GET" and request.url.path != SIGN_IN_PATH:
        query = request.scope.get("query_string", b"").decode("latin-1")
        here = request.url.path + (f"?{query}" if query else "")
        target += "?" + urlencode({"next": here})
    response = Redirect(target, status_code=HTTP_303_SEE_OTHER)
    if request.cookies.get(session_cookie(request)):  # an expired or revoked session: forget it
        response.delete_cookie(session_cookie(request), path="/")
    return response


def error_page(request: Request[Any, Any, Any], status: int, reference: str = "") -> Template:
    return Template(
        template_name="errors/error.html",
        context={"status": status, "reference": reference},
        status_code=status,
    )


def _status_of(error: Exception) -> int:
    if isinstance(error, HTTPException | DomainError):
        return int(error.status_code)
    if isinstance(error, sqlite3.IntegrityError | asyncpg.IntegrityConstraintViolationError):
        return 409  # saved at the same moment as a clashing record: nothing was written
    return HTTP_500_INTERNAL_SERVER_ERROR


def page_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    if outage_seen(request, error) is not None:
        page = error_page(request, HTTP_503_SERVICE_UNAVAILABLE)
        page.headers.update(retry_after())
        return page
    status = _status_of(error)
    if status == 401:
        return sign_in_redirect(request)
    reference = ""
    if status >= 500:
        reference = log_internal_error(request, error)
    return error_page(request, status, reference)


def html_aware(handlers: dict[Any, ExceptionHandler]) -> dict[Any, ExceptionHandler]:
    """The API's exception handlers, answering pages with HTML instead."""

    def wrap(api_handler: ExceptionHandler) -> ExceptionHandler:
        def handle(request: Request[Any, Any, Any], error: Any) -> Response[Any]:
            if is_page_request(request):
                return page_error(request, error)
            return api_handler(request, error)

        return handle

    return {kind: wrap(handler) for kind, handler in handlers.items()}
