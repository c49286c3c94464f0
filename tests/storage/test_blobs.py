"""Stored files as blobs in the database: written with their row, checked on every read, and
imported from the data directory of an older installation by ``migrate`` (issue 16)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.system.serving import tka, tka_env
from tka_registry.db import write_transaction
from tka_registry.documents.tables import StoredDocument
from tka_registry.storage import blobs
from tka_registry.storage.tables import FileBlob

PDF = b"%PDF-1.7\n% a stored file\n%%EOF\n"


async def test_a_blob_is_written_with_its_row_and_once(db: str) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        await blobs.put_blob(PDF, now=NOW)
    async with write_transaction(FileBlob._meta.db):
        first = await blobs.put_blob(PDF, now=NOW)
        again = await blobs.put_blob(PDF, now=NOW)
    assert first == again == hashlib.sha256(PDF).hexdigest()
    assert await FileBlob.count() == 1
    assert await blobs.get_blob(first) == PDF


async def test_a_rolled_back_change_leaves_no_blob(db: str) -> None:
    with pytest.raises(ZeroDivisionError):
        async with write_transaction(FileBlob._meta.db):
            await blobs.put_blob(PDF, now=NOW)
            1 / 0  # noqa: B018 - the change fails after the blob was written
    assert await FileBlob.count() == 0


async def test_a_changed_or_missing_blob_is_never_served(db: str) -> None:
    async with write_transaction(FileBlob._meta.db):
        digest = await blobs.put_blob(PDF, now=NOW)
    await FileBlob.update({FileBlob.content: PDF + b"x"}).where(FileBlob.sha256 == digest)
    with pytest.raises(blobs.StoredFileCorrupt):
        await blobs.get_blob(digest)
    with pytest.raises(blobs.StoredFileMissing):
        await blobs.get_blob("0" * 64)


async def _legacy_document(data_dir: Path, content: bytes, *, on_disk: bytes | None) -> str:
    """A stored_document row of an older version, its file under ``data_dir/documents``."""
    digest = hashlib.sha256(content).hexdigest()
    relative = f"documents/{digest[:2]}/{digest}.pdf"
    if on_disk is not None:
        (data_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (data_dir / relative).write_bytes(on_disk)
    await StoredDocument.insert(
        StoredDocument(
            kind="report", language="id", template_version="documents-2", sha256=digest,
            size_bytes=len(content), path=relative, is_current=False, created_at=NOW,
        )
    )  # fmt: skip
    return digest


async def test_migrate_moves_old_files_into_the_database_once(db: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "old-install"
    data_dir.mkdir()
    kept = await _legacy_document(data_dir, PDF, on_disk=PDF)
    lost = await _legacy_document(data_dir, PDF + b"lost", on_disk=None)
    changed = await _legacy_document(data_dir, PDF + b"changed", on_disk=b"tampered")

    first = tka(tka_env(db, data_dir), "migrate")
    assert first.returncode == 0, first.stderr
    assert "imported 1 stored file(s)" in first.stdout
    assert f"is not on this host (stored file {lost})" in first.stdout
    assert f"does not match its SHA-256 {changed}" in first.stdout
    assert await blobs.get_blob(kept) == PDF
    assert not await blobs.has_blob(lost) and not await blobs.has_blob(changed)

    again = tka(tka_env(db, data_dir), "migrate")
    assert again.returncode == 0 and "stored file(s)" not in again.stdout
    assert await FileBlob.count() == 1
