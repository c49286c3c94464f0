"""Uploads kept between a dry run and its confirmation (the import page), in the database so
any process or host can confirm what another checked. One nobody confirmed is removed a day
later (at the next upload): the sheets hold personal data."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tka_registry.db import write_transaction
from tka_registry.storage.tables import PendingUpload

KEPT_FOR = timedelta(days=1)
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Pending:
    token: str
    file_name: str
    content: bytes


async def keep_upload(
    content: bytes, file_name: str, *, account_id: int | None, now: datetime
) -> str:
    """Keep the upload; answers its token. Uploads older than a day that were never
    confirmed go first."""
    token = secrets.token_hex(16)
    async with write_transaction(PendingUpload._meta.db):
        await PendingUpload.delete().where(PendingUpload.created_at < now - KEPT_FOR)
        await PendingUpload.insert(
            PendingUpload(
                token=token,
                file_name=file_name[:200],
                size_bytes=len(content),
                content=content,
                account_id=account_id,
                created_at=now,
            )
        )
    return token


async def pending_upload(token: str) -> Pending | None:
    """The kept upload of ``token``, or None when it is unknown, confirmed or removed."""
    if not _TOKEN.fullmatch(token):
        return None
    row = await PendingUpload.select().where(PendingUpload.token == token).first()
    if row is None:
        return None
    return Pending(token=token, file_name=row["file_name"], content=bytes(row["content"]))


async def discard_upload(token: str) -> None:
    async with write_transaction(PendingUpload._meta.db):
        await PendingUpload.delete().where(PendingUpload.token == token)


@contextlib.contextmanager
def as_file(content: bytes, suffix: str = "") -> Iterator[Path]:
    """``content`` in a private temporary file for readers that take a path; removed after."""
    handle, name = tempfile.mkstemp(prefix="tka-upload-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)
