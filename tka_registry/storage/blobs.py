"""Stored files as blobs in the database, named and checked by their SHA-256.

:func:`put_blob` runs inside the transaction that writes the row pointing to the file, so a
row never points to a missing file and a rolled-back change leaves no file behind. Every read
checks the bytes against their SHA-256: a changed file is never served.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from tka_registry.storage.tables import FileBlob

log = logging.getLogger("tka_registry.storage")


class StoredFileMissing(RuntimeError):
    """No blob holds the file a row points to."""


class StoredFileCorrupt(RuntimeError):
    """A blob's bytes no longer hash to the SHA-256 they are stored under."""


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


async def put_blob(content: bytes, *, now: datetime) -> str:
    """Keep ``content`` (once: identical bytes share a blob); answers its SHA-256 hex.

    Call it inside the write transaction that inserts the row naming the SHA-256.
    """
    if not FileBlob._meta.db.transaction_exists():
        raise RuntimeError("put_blob runs inside the transaction of the row that points to it")
    digest = sha256_hex(content)
    blob = FileBlob(sha256=digest, size_bytes=len(content), content=content, created_at=now)
    await FileBlob.insert(blob).on_conflict(target=FileBlob.sha256, action="DO NOTHING")
    return digest


async def has_blob(sha256: str) -> bool:
    return bool(await FileBlob.exists().where(FileBlob.sha256 == sha256))


async def get_blob(sha256: str) -> bytes:
    """The bytes stored under ``sha256``, checked against it.

    Raises :class:`StoredFileMissing` or :class:`StoredFileCorrupt` (logged: both mean the
    database was changed outside the registry).
    """
    row = await FileBlob.select(FileBlob.content).where(FileBlob.sha256 == sha256).first()
    if row is None:
        log.error("stored file %s is missing from file_blob", sha256)
        raise StoredFileMissing(f"stored file {sha256} is missing")
    content = bytes(row["content"])
    if sha256_hex(content) != sha256:
        log.error("stored file %s does not match its SHA-256", sha256)
        raise StoredFileCorrupt(f"stored file {sha256} does not match its SHA-256")
    return content
