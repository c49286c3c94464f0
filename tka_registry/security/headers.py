"""Security headers on every response, error pages and unknown paths included.

Added in a ``before_send`` hook rather than a route middleware: the hook sees every message the
app sends, also the 404 for an unknown path and the 413 for an oversized body.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

# No inline scripts or styles anywhere in the registry's own pages.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# The Swagger viewer under /schema is Litestar's page with an inline bootstrap script; its
# assets come from this server (security/api_viewer.py), never from a third-party CDN. It
# shows only the public API description, never registry data.
API_VIEWER_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
API_VIEWER_PATHS = ("/schema", "/schema/swagger", "/schema/oauth2-redirect.html")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


# Answers carry personal data (API, pages, exports, documents): no browser or proxy keeps a
# copy (OWASP ASVS 4.0.3 8.2.1). Only the package's own static files may be cached.
NO_STORE = "no-store"
CACHEABLE_PREFIXES = ("/static/",)

# Behind HTTPS (TKA_COOKIE_SECURE=true) browsers are told to use nothing else for a year.
HSTS = "max-age=31536000; includeSubDomains"


def policy_for(path: str) -> str:
    """The Content-Security-Policy for a request path."""
    return API_VIEWER_POLICY if path.rstrip("/") in API_VIEWER_PATHS else CONTENT_SECURITY_POLICY


async def add_security_headers(message: Message, scope: Scope) -> None:
    """``before_send`` hook: set the security headers on each response's start message."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    path = scope.get("path", "")
    headers["Content-Security-Policy"] = policy_for(path)
    if not path.startswith(CACHEABLE_PREFIXES):
        headers["Cache-Control"] = NO_STORE
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    app = scope.get("app")
    settings = app.state.get("settings") if app is not None else None
    if settings is not None and settings.cookie_secure:  # served over HTTPS (README)
        headers["Strict-Transport-Security"] = HSTS
