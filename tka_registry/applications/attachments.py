"""Attachments of a case: uploaded while the case is with the employer, served only within it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.applications import files
from tka_registry.applications.checklist import AttachmentKind
from tka_registry.applications.schemas import EDITABLE, ApplicationStatus, AttachmentOut
from tka_registry.applications.service import add_event, application_row
from tka_registry.applications.tables import Attachment
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.documents.service import current_document, read_document
from tka_registry.errors import Conflict, NotFound
from tka_registry.settings import Settings
from tka_registry.storage.blobs import get_blob, put_blob, sha256_hex


async def add_attachment(
    actor: Actor,
    application_id: int,
    kind: AttachmentKind,
    content: bytes,
    *,
    settings: Settings,
    now: datetime,
    file_name: str = "",
    replaces: int | None = None,
) -> AttachmentOut:
    """Check the file by its content and keep it (a blob by SHA-256) with its row; with
    ``replaces``, the attachment of that id leaves the case in the same transaction.
    ``identical_to`` names the case's other attachments with the same SHA-256 (a warning)."""
    content_type = (
        files.checked_photo(content, settings.photo_max_bytes)
        if kind == AttachmentKind.PHOTO
        else files.checked_upload(content, settings.upload_max_bytes)
    )
    digest = sha256_hex(content)
    values: dict[str, Any] = {
        "application": application_id,
        "kind": kind.value,
        "file_name": files.clean_file_name(file_name),
        "content_type": content_type,
        "size_bytes": len(content),
        "sha256": digest,
        "uploaded_by": actor.email,
        "created_at": now,
    }
    async with write_transaction(Attachment._meta.db):
        await _open_case(actor, application_id)
        if replaces is not None:
            old = await _attachment_row(application_id, replaces)
            await Attachment.delete().where(Attachment.id == replaces)
            await add_event(application_id, actor, "attachment_removed", now, old["kind"])
        await put_blob(content, now=now)
        rows = await Attachment.insert(Attachment(**values))
        await add_event(application_id, actor, "attachment_added", now, kind.value)
        await record(
            actor, "attachment.add", "application", application_id, values | {"replaces": replaces}
        )
        same = await Attachment.select(Attachment.id).where(
            (Attachment.application == application_id)
            & (Attachment.sha256 == digest)
            & (Attachment.id != rows[0]["id"])
        )
    return AttachmentOut(**values, id=rows[0]["id"], identical_to=[r["id"] for r in same])


async def remove_attachment(
    actor: Actor, application_id: int, attachment_id: int, *, now: datetime
) -> None:
    """Take an attachment off a case still with the employer (draft or returned)."""
    async with write_transaction(Attachment._meta.db):
        await _open_case(actor, application_id)
        old = await _attachment_row(application_id, attachment_id)
        await Attachment.delete().where(Attachment.id == attachment_id)
        await add_event(application_id, actor, "attachment_removed", now, old["kind"])
        kept = {k: old[k] for k in ("kind", "file_name", "sha256", "size_bytes")}
        await record(actor, "attachment.remove", "application", application_id, kept)


async def _open_case(actor: Actor, application_id: int) -> None:
    row = await application_row(actor, application_id)
    if row["status"] not in EDITABLE:
        raise Conflict("status", f"the application is {row['status']}: attachments are closed")


async def _attachment_row(application_id: int, attachment_id: int) -> dict[str, Any]:
    row = (
        await Attachment.select()
        .where((Attachment.id == attachment_id) & (Attachment.application == application_id))
        .first()
    )
    if row is None:
        raise NotFound("attachment_id", f"no attachment with id {attachment_id}")
    return row


async def attachment_file(
    actor: Actor, application_id: int, attachment_id: int, *, settings: Settings
) -> tuple[bytes, str, str]:
    """The bytes, content type and a safe file name of one attachment of a visible case."""
    await application_row(actor, application_id)
    row = await _attachment_row(application_id, attachment_id)
    content = await get_blob(row["sha256"])
    extension = files.EXTENSIONS.get(row["content_type"], "bin")
    return content, row["content_type"], f"{row['kind']}-{attachment_id}.{extension}"


async def letter_pdf(actor: Actor, application_id: int, *, settings: Settings) -> bytes:
    """The decision letter of an approved or rejected case this actor may see; else 404."""
    row = await application_row(actor, application_id)
    kind = "approval" if row["status"] == ApplicationStatus.APPROVED else "rejection"
    stored = await current_document(kind=kind, application_id=application_id)
    if stored is None:
        raise NotFound("letter", "this application has no decision letter")
    return await read_document(stored)
