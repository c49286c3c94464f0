"""Bringing an installation up to date: migrations, then what older versions kept on disk.

``migrate`` and ``serve`` both run :func:`migrate_installation`; every step is idempotent, so
running it on each start, on every host, is safe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine

from tka_registry.applications.tables import Attachment
from tka_registry.db import migrate, write_transaction
from tka_registry.documents.keys import import_key_file
from tka_registry.documents.tables import StoredDocument
from tka_registry.second_home.tables import SecondHomeCase
from tka_registry.settings import Settings
from tka_registry.storage.blobs import put_blob, sha256_hex
from tka_registry.storage.tables import FileBlob

# Where versions before issue 16 kept uploads (attachments and Second Home proofs).
UPLOADS_FOLDER = "attachments"


async def _files_on_disk(settings: Settings) -> dict[str, Path]:
    """SHA-256 -> the file under TKA_DATA_DIR of every stored file whose blob is missing."""
    held = FileBlob.select(FileBlob.sha256)
    documents = await StoredDocument.select(StoredDocument.sha256, StoredDocument.path).where(
        StoredDocument.sha256.not_in(held)
    )
    wanted = {row["sha256"]: settings.data_dir / row["path"] for row in documents}
    uploads = [
        row["sha256"]
        for row in await Attachment.select(Attachment.sha256).where(Attachment.sha256.not_in(held))
    ] + [
        row["proof_sha256"]
        for row in await SecondHomeCase.select(SecondHomeCase.proof_sha256).where(
            SecondHomeCase.proof_sha256.not_in(held)
        )
    ]
    for digest in uploads:
        wanted[digest] = settings.data_dir / UPLOADS_FOLDER / digest[:2] / digest
    return wanted


async def import_stored_files(settings: Settings) -> tuple[int, list[str]]:
    """Copy files an older version kept under TKA_DATA_DIR into blobs; idempotent.

    Answers (files imported, problems): a file that is not on this host, or whose bytes no
    longer match the SHA-256 its row names, is reported and left out.
    """
    imported, problems = 0, []
    now = datetime.now(UTC)
    for digest, path in sorted((await _files_on_disk(settings)).items()):
        if not path.is_file():
            problems.append(f"{path} is not on this host (stored file {digest})")
            continue
        content = path.read_bytes()
        if sha256_hex(content) != digest:
            problems.append(f"{path} does not match its SHA-256 {digest}: not imported")
            continue
        async with write_transaction(FileBlob._meta.db):
            await put_blob(content, now=now)
        imported += 1
    return imported, problems


async def migrate_installation(engine: Engine[Any], settings: Settings) -> list[str]:
    """Apply pending migrations and move files kept under ``TKA_DATA_DIR`` into the database;
    answers one line per thing done."""
    done = [f"applied migration {name}" for name in await migrate(engine)]
    kid = await import_key_file(settings)
    if kid is not None:
        done.append(f"imported signing key {kid} from {settings.data_dir / 'keys'}")
    imported, problems = await import_stored_files(settings)
    if imported:
        done.append(f"imported {imported} stored file(s) from {settings.data_dir}")
    done.extend(f"warning: {problem}" for problem in problems)
    return done
