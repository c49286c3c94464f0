"""Health check for load balancers and operators: answers within 2 s whatever happens."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from litestar import get
from litestar.datastructures import State
from litestar.response import Response

from tka_registry.accounts.auth import PUBLIC, access
from tka_registry.employers.tables import Employer
from tka_registry.settings import Settings, sqlite_path
from tka_registry.system.outages import RETRY_AFTER_SECONDS

# The database gets this long to answer ``SELECT 1``; the whole check stays under 2 s.
DATABASE_CHECK_SECONDS = 1.5
# Below this much free space the storage is reported full (a write would fail soon).
MIN_FREE_BYTES = 1024 * 1024


async def database_state() -> str:
    """``ok``, ``timeout`` or the name of the error the database answered with."""
    try:
        await asyncio.wait_for(Employer.raw("SELECT 1").run(), DATABASE_CHECK_SECONDS)
    except TimeoutError:
        return "timeout"
    except Exception as error:
        return type(error).__name__
    return "ok"


def storage_state(folder: Path) -> dict[str, Any]:
    """Whether files can be written in ``folder`` and how much room is left there."""
    try:
        stats = os.statvfs(folder)
    except OSError as error:
        return {"state": type(error).__name__, "writable": False, "free_bytes": 0}
    free = stats.f_bavail * stats.f_frsize
    writable = os.access(folder, os.W_OK)
    state = "ok" if writable and free >= MIN_FREE_BYTES else ("full" if writable else "read-only")
    return {"state": state, "writable": writable, "free_bytes": free}


def files_folder(settings: Settings) -> Path | None:
    """Where the registry's files are on this host's disk: the SQLite database's folder
    (documents, attachments and keys live in the database); None on PostgreSQL."""
    path = sqlite_path(settings.database_url)
    return path.resolve().parent if path is not None else None


@get("/health", opt=access(PUBLIC), tags=["system"])
async def health(state: State) -> Response[dict[str, Any]]:
    """200 when the database answers (and its files can be written), else 503."""
    body: dict[str, Any] = {"database": await database_state()}
    healthy = body["database"] == "ok"
    folder = files_folder(state.settings)
    if folder is not None:
        body["storage"] = storage_state(folder)
        healthy = healthy and body["storage"]["state"] == "ok"
    body["status"] = "ok" if healthy else "unavailable"
    if healthy:
        return Response(body)
    return Response(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
