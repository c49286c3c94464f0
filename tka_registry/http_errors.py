"""How errors are answered: always a status, a detail and the fields at fault; never a trace."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import (
    HTTP_409_CONFLICT,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from tka_registry.errors import DomainError
from tka_registry.system.observability import current_request_id
from tka_registry.system.outages import (
    RETRY_AFTER_SECONDS,
    Outage,
    ThrottledLog,
    kind_of,
    outage_of,
)

log = logging.getLogger("tka_registry")


def _body(status: int, detail: str, errors: list[dict[str, str]]) -> dict[str, Any]:
    return {"status_code": status, "detail": detail, "errors": errors}


def domain_error(_: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    errors = [
        {"field": p.field, "reason": p.reason}
        | ({"message_id": p.message_id} if p.message_id else {})
        for p in error.problems
    ]
    return Response(_body(error.status_code, error.detail, errors), status_code=error.status_code)


def validation_error(_: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    errors = []
    for item in error.extra or []:
        if isinstance(item, dict):
            field = str(item.get("key") or item.get("source") or "body")
            reason = str(item.get("message", "invalid value")).removeprefix("Value error, ")
            errors.append({"field": field, "reason": reason})
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors) or error.detail
    return Response(_body(400, detail, errors), status_code=400)


def http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    return Response(
        _body(error.status_code, error.detail, []),
        status_code=error.status_code,
        headers=error.headers,
    )


def integrity_error(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """A unique rule broken by a record saved at the same moment: nothing was written."""
    log.info("integrity conflict: %s", error)
    detail = "this conflicts with a record saved at the same moment; reload and try again"
    return Response(_body(HTTP_409_CONFLICT, detail, []), status_code=HTTP_409_CONFLICT)


def unstorable_value(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """A value the database cannot hold (an id beyond its integers, a NUL character): the
    caller's mistake, answered 400 without the driver's words."""
    log.info("value refused by the database: %s", error)
    detail = "a value is out of range, or holds characters the registry cannot store"
    return Response(_body(400, detail, []), status_code=400)


# Tracebacks of one kind once a minute with a count, not once per request.
THROTTLED = ThrottledLog(log)


def outage_seen(request: Request[Any, Any, Any], error: BaseException) -> Outage | None:
    """The outage ``error`` shows (logged, throttled), or None for an ordinary fault."""
    outage = outage_of(error)
    if outage is not None:
        THROTTLED.error(
            f"{outage}:{kind_of(error)}",
            f"{outage} unavailable ({type(error).__name__}: {error}); answering 503,"
            f" first on {request.method} {request.url.path}",
            error,
        )
    return outage


def retry_after() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS)}


def service_unavailable(outage: Outage) -> Response[Any]:
    detail = f"the {outage} is unavailable for a moment; nothing was saved: try again shortly"
    return Response(
        _body(HTTP_503_SERVICE_UNAVAILABLE, detail, [{"field": str(outage), "reason": detail}]),
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
        headers=retry_after(),
        media_type=MediaType.JSON,
    )


def log_internal_error(request: Request[Any, Any, Any], error: BaseException) -> str:
    """Log an unexpected error (its traceback once a minute per kind); answers the reference
    quoted to the user."""
    # The request id's start: the operator finds the request's JSON log line by it.
    reference = (current_request_id.get() or uuid.uuid4().hex)[:12]
    where = f"{request.method} {request.url.path}"
    message = f"internal error {reference} on {where}"
    if not THROTTLED.error(f"500:{kind_of(error)}:{where}", message, error):
        log.error("%s: %s (traceback logged earlier)", message, type(error).__name__)
    return reference


def internal_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    outage = outage_seen(request, error)
    if outage is not None:
        return service_unavailable(outage)
    reference = log_internal_error(request, error)
    detail = f"internal error; quote reference {reference} to the IT section"
    status = HTTP_500_INTERNAL_SERVER_ERROR
    return Response(_body(status, detail, []), status_code=status, media_type=MediaType.JSON)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    sqlite3.IntegrityError: integrity_error,
    asyncpg.exceptions.IntegrityConstraintViolationError: integrity_error,
    OverflowError: unstorable_value,
    asyncpg.exceptions.DataError: unstorable_value,
    asyncpg.exceptions._base.DataError: unstorable_value,
    Exception: internal_error,
}
