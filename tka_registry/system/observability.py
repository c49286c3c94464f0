"""What an operator sees of each request: its id (echoed in ``X-Request-ID``), and with
``TKA_LOG_FORMAT=json`` one JSON line per request (id, route, status, duration, account, client
address); every other log line is JSON then too, carrying the id of the request it belongs to.

:class:`RequestObserver` wraps the whole app (unmatched paths and errors included) and hands a
:class:`RequestRecord` of each finished request to its listeners (the log line, the metrics).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from litestar.connection import ASGIConnection
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from tka_registry.accounts.auth import client_address
from tka_registry.security.proxies import is_trusted_peer, trusted_networks
from tka_registry.settings import Settings

REQUEST_ID_HEADER = "x-request-id"
# An id a trusted proxy may hand on (nginx's $request_id is 32 hex digits); anything else is
# replaced, so a log line never carries a client's text.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# The route of a request no handler matched (one label, whatever the path).
UNMATCHED_ROUTE = "(unmatched)"

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
request_log = logging.getLogger("tka_registry.requests")


@dataclass(frozen=True)
class RequestRecord:
    """One answered request; ``route`` is the handler's path template, not the raw path."""

    request_id: str
    method: str
    route: str
    status: int
    duration_ms: float
    account_id: int | None
    client: str


def request_id_for(scope: Scope, settings: Settings) -> str:
    """The incoming ``X-Request-ID`` when a trusted proxy sent a sane one, else a new id."""
    if settings.trusted_proxies:
        client = scope.get("client")
        peer = client[0] if client else ""
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER.encode():
                offered = value.decode("latin-1")
                trusted = trusted_networks(settings.trusted_proxies)
                if _SANE_REQUEST_ID.fullmatch(offered) and is_trusted_peer(peer, trusted):
                    return offered
                break
    return uuid.uuid4().hex


class RequestObserver:
    """ASGI wrapper around the app: gives each HTTP request an id, echoes it in the answer and
    tells ``listeners`` how the request went once it is answered."""

    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        listeners: Sequence[Callable[[RequestRecord], None]],
    ) -> None:
        self.app = app
        self.settings = settings
        self.listeners = listeners

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope, self.settings)
        token = current_request_id.set(request_id)
        status = 500  # what the client sees if the app ends without answering
        started = time.perf_counter()

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                message["headers"] = [*headers, (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            if self.listeners:
                self._tell(scope, request_id, status, started)
            current_request_id.reset(token)

    def _tell(self, scope: Scope, request_id: str, status: int, started: float) -> None:
        record = RequestRecord(
            request_id=request_id,
            method=str(scope.get("method", "")),
            route=scope.get("path_template") or UNMATCHED_ROUTE,
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            account_id=getattr(scope.get("user"), "account_id", None),
            client=client_address(ASGIConnection(scope)),
        )
        for listener in self.listeners:
            listener(record)


def log_request(record: RequestRecord) -> None:
    """The request's JSON line (``TKA_LOG_FORMAT=json``)."""
    request_log.info("request", extra={"fields": asdict(record)})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the request id of the
    request being answered, the record's ``fields`` and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id is not None:
            line["request_id"] = request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(settings: Settings) -> dict[str, Any] | None:
    """The ``logging.config.dictConfig`` of ``serve`` (uvicorn applies it in every worker),
    or None to keep uvicorn's own text logging."""
    if settings.log_format != "json":
        return None
    json_formatter = {"()": f"{__name__}.JsonFormatter"}

    def stream(name: str) -> dict[str, str]:
        return {"class": "logging.StreamHandler", "formatter": "json", "stream": name}

    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": json_formatter},
        "handlers": {"stderr": stream("ext://sys.stderr"), "stdout": stream("ext://sys.stdout")},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            # The request lines below replace uvicorn's access lines.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            request_log.name: {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},
    }
