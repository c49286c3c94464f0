"""How errors are answered: always a status, a detail and the fields at fault; never a trace."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_500_INTERNAL_SERVER_ERROR

from tka_registry.errors import DomainError

log = logging.getLogger("tka_registry")


def _body(status: int, detail: str, errors: list[dict[str, str]]) -> dict[str, Any]:
    return {"status_code": status, "detail": detail, "errors": errors}


def domain_error(_: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    errors = [{"field": p.field, "reason": p.reason} for p in error.problems]
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


def internal_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    reference = uuid.uuid4().hex[:12]
    log.exception("internal error %s on %s %s", reference, request.method, request.url.path)
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
