"""Health check for load balancers and operators: answers within 2 s whatever happens."""

from __future__ import annotations

import asyncio
import contextlib
import errno
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


# The storage check gets this long (a hung disk must not hold /health past 2 s).
STORAGE_CHECK_SECONDS = 0.4
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def _write_problem(folder: Path) -> OSError | None:
    """Write and remove a small file in ``folder``: the error a write meets there, if any.

    Permissions and mount flags do not tell: a filesystem the kernel turned read-only after a
    disk error (ext4 ``errors=remount-ro``) still reports itself writable to ``access()``.
    """
    probe = folder / f".tka-health-{os.getpid()}"
    try:
        handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(handle, b"ok")
        finally:
            os.close(handle)
        probe.unlink()
    except OSError as error:
        with contextlib.suppress(OSError):
            probe.unlink()
        return error
    return None


def storage_state(folder: Path) -> dict[str, Any]:
    """Whether files can be written in ``folder`` (tried, not guessed) and the room left."""
    try:
        stats = os.statvfs(folder)
    except OSError as error:
        return {"state": type(error).__name__, "writable": False, "free_bytes": 0}
    free = stats.f_bavail * stats.f_frsize
    problem = _write_problem(folder)
    if problem is None:
        state = "ok" if free >= MIN_FREE_BYTES else "full"
    elif problem.errno in _FULL_ERRNOS:
        state = "full"
    elif problem.errno in _READ_ONLY_ERRNOS:
        state = "read-only"
    else:
        state = errno.errorcode.get(problem.errno or 0, type(problem).__name__)
    return {"state": state, "writable": problem is None, "free_bytes": free}


async def checked_storage(folder: Path) -> dict[str, Any]:
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(storage_state, folder), STORAGE_CHECK_SECONDS
        )
    except TimeoutError:
        return {"state": "timeout", "writable": False, "free_bytes": 0}


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
        body["storage"] = await checked_storage(folder)
        healthy = healthy and body["storage"]["state"] == "ok"
    body["status"] = "ok" if healthy else "unavailable"
    if healthy:
        return Response(body)
    return Response(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
