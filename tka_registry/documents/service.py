"""Issued documents: gathering a permit's data, rendering once, storing the bytes (a blob in the
database, by SHA-256) and serving them from storage.

Other areas call :func:`store_document` (decision letters) and :func:`ensure_permit_document`
(after a permit is issued). Rendering happens outside any transaction; only the row that records
the stored file and its blob are written inside one, with its audit entry.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tka_registry.accounts.roles import OFFICE_ROLES, Actor
from tka_registry.audit.service import record, record_read
from tka_registry.db import write_transaction
from tka_registry.documents import manual_codes, signing
from tka_registry.documents.keys import CurrentKey, current_signing_key
from tka_registry.documents.photos import permit_photos
from tka_registry.documents.render import (
    TEMPLATE_VERSION,
    DecisionLetter,
    PermitDocument,
    missing_fields,
)
from tka_registry.documents.tables import ManualCode, StoredDocument
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, FieldProblem, NotFound
from tka_registry.permits.tables import Permit
from tka_registry.settings import Settings
from tka_registry.storage.blobs import get_blob, put_blob, sha256_hex
from tka_registry.workers.tables import UNDATED_FIRST, Passport, Worker

log = logging.getLogger("tka_registry.documents")


class DocumentKind(StrEnum):
    PERMIT = "permit"
    APPROVAL = "approval"
    REJECTION = "rejection"
    REPORT = "report"


# Where each field of a permit document comes from, to name it in a 409.
FIELD_SOURCES = {
    "permit_number": "permit.number",
    "register_number": "permit.register_number",
    "kind": "permit.kind",
    "visa_index": "permit.visa_index",
    "issued_on": "permit.issued_on",
    "valid_from": "permit.valid_from",
    "expires_on": "permit.expires_on",
    "holder_name": "worker.full_name",
    "sex": "worker.sex",
    "birth_date": "worker.date_of_birth",
    "birth_place": "worker.place_of_birth",
    "nationality": "worker.nationality",
    "address": "worker.address",
    "position": "worker.position",
    "passport_number": "passport.number",
    "employer_name": "employer.name",
    "verify_url": "permit.verify_token",
}


@dataclass(frozen=True)
class StoredFile:
    """A stored rendering: its row id, where the bytes are and what they hash to."""

    id: int
    kind: str
    language: str
    template_version: str
    sha256: str
    size_bytes: int
    path: str
    created_at: datetime
    permit_id: int | None = None
    application_id: int | None = None


def _stored(row: dict[str, Any]) -> StoredFile:
    return StoredFile(
        id=row["id"],
        kind=row["kind"],
        language=row["language"],
        template_version=row["template_version"],
        sha256=row["sha256"],
        size_bytes=row["size_bytes"],
        path=row["path"],
        created_at=row["created_at"],
        permit_id=row["permit"],
        application_id=row["application_id"],
    )


# --- files ---------------------------------------------------------------------------------


async def read_document(stored: StoredFile) -> bytes:
    """The stored bytes, checked against their SHA-256 (a changed file is never served)."""
    return await get_blob(stored.sha256)


# --- storing ---------------------------------------------------------------------------------


async def store_document(
    actor: Actor,
    *,
    pdf: bytes,
    kind: DocumentKind | str,
    settings: Settings,
    now: datetime,
    permit_id: int | None = None,
    application_id: int | None = None,
    language: str | None = None,
    template_version: str = TEMPLATE_VERSION,
) -> StoredFile:
    """Keep ``pdf`` as the current ``kind`` document of a permit or an application.

    Exactly one of ``permit_id`` / ``application_id`` names the owner. The previous current
    document of the same owner and kind stays stored, no longer current. Joins the caller's
    transaction when there is one (so a decision and its letter commit together) and records
    ``document.store`` in the audit log.
    """
    kind = DocumentKind(kind)
    if (permit_id is None) == (application_id is None):
        raise ValueError("store_document needs exactly one of permit_id and application_id")
    owner = (
        StoredDocument.permit == permit_id
        if permit_id is not None
        else StoredDocument.application_id == application_id
    )
    values: dict[str, Any] = {
        "permit": permit_id,
        "application_id": application_id,
        "kind": kind.value,
        "language": (language or settings.language)[:2],
        "template_version": template_version,
        "sha256": sha256_hex(pdf),
        "size_bytes": len(pdf),
        "path": "",  # the bytes are in file_blob; a path names a file of an older version
        "created_at": now,
    }
    async with write_transaction(StoredDocument._meta.db):
        await put_blob(pdf, now=now)
        await StoredDocument.update({StoredDocument.is_current: False}).where(
            owner & (StoredDocument.kind == kind.value) & StoredDocument.is_current.eq(True)
        )
        rows = await StoredDocument.insert(StoredDocument(**values, is_current=True))
        document_id = rows[0]["id"]
        details = {k: values[k] for k in ("kind", "template_version", "sha256", "size_bytes")}
        owner_type, owner_id = (
            ("permit", permit_id) if permit_id is not None else ("application", application_id)
        )
        await record(actor, "document.store", owner_type, owner_id, details)
    return _stored({**values, "id": document_id})


async def current_document(
    *, kind: DocumentKind | str, permit_id: int | None = None, application_id: int | None = None
) -> StoredFile | None:
    """The current stored ``kind`` document of a permit or an application, or None."""
    owner = (
        StoredDocument.permit == permit_id
        if permit_id is not None
        else StoredDocument.application_id == application_id
    )
    row = (
        await StoredDocument.select()
        .where(owner & (StoredDocument.kind == str(kind)) & StoredDocument.is_current.eq(True))
        .first()
    )
    return _stored(row) if row else None


# --- rendering -------------------------------------------------------------------------------

# WeasyPrint holds the GIL and its font configuration is shared: one render at a time per
# process, off the event loop so other requests keep being answered.
_RENDER_LOCK = threading.Lock()


def _render_locked(document: PermitDocument | DecisionLetter, language: str) -> bytes:
    from tka_registry.documents.render import render_document

    with _RENDER_LOCK:
        return render_document(document, language)


async def render_pdf(document: PermitDocument | DecisionLetter, language: str) -> bytes:
    """PDF bytes of ``document``, rendered in a worker thread (one render at a time)."""
    return await asyncio.to_thread(_render_locked, document, language)


def _address(worker: dict[str, Any]) -> str:
    address, regency = worker["address"].strip(), worker["regency"].strip()
    if regency and regency.lower() not in address.lower():
        return f"{address}, {regency}" if address else ""
    return address


def _token(
    key: CurrentKey, permit: dict[str, Any], worker: dict[str, Any], signed_at: int
) -> str | None:
    """The version 2 token: it names the key and signing time, the first valid day and the
    permit's bit in the status list (its id)."""
    statement = signing.permit_statement(
        permit["number"],
        worker["full_name"],
        worker["nationality"],
        permit["expires_on"],
        kid=key.kid,
        signed_at=signed_at,
        valid_from=permit.get("valid_from") or permit["issued_on"],
        status_index=permit["id"],
    )
    try:
        return signing.sign_permit(key.private_key, statement)
    except ValueError:
        return None  # reported as missing: the number cannot be written in a token


async def permit_documents(ids: list[int], settings: Settings) -> dict[int, PermitDocument]:
    """The document data of each permit in ``ids`` (unknown ids are left out); few queries."""
    documents: dict[int, PermitDocument] = {}
    key = await current_signing_key(settings)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        permits = await Permit.select().where(Permit.id.is_in(chunk))
        worker_ids = list({p["worker"] for p in permits}) or [0]
        workers = {w["id"]: w for w in await Worker.select().where(Worker.id.is_in(worker_ids))}
        employer_ids = list({p["employer"] for p in permits if p["employer"]}) or [0]
        employers = {
            e["id"]: e["name"]
            for e in await Employer.select(Employer.id, Employer.name).where(
                Employer.id.is_in(employer_ids)
            )
        }
        passports: dict[int, str] = {}
        latest = (
            Passport.select(Passport.worker, Passport.number)
            .where(Passport.worker.is_in(worker_ids))
            .order_by(UNDATED_FIRST)
            .order_by(Passport.expires_on)
            .order_by(Passport.id)
        )
        for passport in await latest:  # ascending: the latest-expiring passport wins
            passports[passport["worker"]] = passport["number"]
        photos = await permit_photos(chunk, settings)
        signed_at = int(datetime.now(UTC).timestamp())  # wall clock: compared with key times
        tokens = {p["id"]: _token(key, p, workers[p["worker"]], signed_at) for p in permits}
        codes = {
            manual_codes.code_for(token): (permit_id, token)
            for permit_id, token in tokens.items()
            if token
        }
        async with write_transaction(ManualCode._meta.db):
            kept = await manual_codes.remember(codes, datetime.now(UTC))
        code_of = {permit_id: code for code, (permit_id, _) in codes.items() if code in kept}
        for permit in permits:
            worker = workers[permit["worker"]]
            employer = employers.get(permit["employer"]) if permit["employer"] else None
            documents[permit["id"]] = PermitDocument(
                permit_number=permit["number"],
                register_number=permit["register_number"],
                kind=permit["kind"],
                visa_index=permit["visa_index"],
                holder_name=worker["full_name"],
                sex=worker["sex"],
                birth_date=worker["date_of_birth"],
                birth_place=worker["place_of_birth"],
                nationality=worker["nationality"],
                passport_number=passports.get(worker["id"]),
                issued_on=permit["issued_on"],
                valid_from=permit["valid_from"],
                expires_on=permit["expires_on"],
                address=_address(worker),
                verify_url=(
                    signing.verify_url(settings.base_url, token)
                    if (token := tokens[permit["id"]])
                    else ""
                ),
                manual_code=(
                    manual_codes.printed(code_of[permit["id"]]) if permit["id"] in code_of else None
                ),
                employer_name=employer,
                # A Second Home holder (no sponsor) has no position on the document.
                position=worker["position"] if employer else None,
                photo=photos.get(permit["id"]),
            )
    return documents


def missing_problems(document: PermitDocument) -> list[FieldProblem]:
    """What a permit document lacks, named by the record field to fill in."""
    return [
        FieldProblem(FIELD_SOURCES.get(name, name), "is needed on the permit document")
        for name in missing_fields(document)
    ]


async def permit_document(permit_id: int, settings: Settings) -> PermitDocument:
    """The complete document data of a permit; 404 if unknown, 409 naming what is missing."""
    document = (await permit_documents([permit_id], settings)).get(permit_id)
    if document is None:
        raise NotFound("id", f"no permit with id {permit_id}")
    problems = missing_problems(document)
    if problems:
        raise Conflict.of(problems)
    return document


async def render_permit_document(
    actor: Actor, permit_id: int, *, settings: Settings, now: datetime
) -> StoredFile:
    """Render the permit's document now and store it as current (a re-render keeps the old)."""
    document = await permit_document(permit_id, settings)
    pdf = await render_pdf(document, settings.language)
    return await store_document(
        actor, pdf=pdf, kind=DocumentKind.PERMIT, settings=settings, now=now, permit_id=permit_id
    )


async def ensure_permit_document(
    permit_id: int, *, settings: Settings, now: datetime, actor: Actor | None = None
) -> StoredFile:
    """The permit's current document, rendered and stored first if it has none of this
    template version. Raises 409 (:class:`Conflict`) naming missing data."""
    stored = await current_document(kind=DocumentKind.PERMIT, permit_id=permit_id)
    if stored is not None and stored.template_version == TEMPLATE_VERSION:
        return stored
    actor = actor or Actor.system("documents")
    return await render_permit_document(actor, permit_id, settings=settings, now=now)


async def document_after_issue(
    permit_id: int, *, settings: Settings, now: datetime, actor: Actor
) -> None:
    """Called once a permit is issued: render its document, but never fail the issue.

    A permit that lacks data, or a render that fails, is logged; ``documents render --all``
    catches up later.
    """
    try:
        await ensure_permit_document(permit_id, settings=settings, now=now, actor=actor)
    except Conflict as missing:
        log.warning("permit %s issued without a document: %s", permit_id, missing.detail)
    except Exception:
        log.exception("permit %s issued, but rendering its document failed", permit_id)


# --- serving ---------------------------------------------------------------------------------


async def download_permit_document(
    actor: Actor, permit_id: int, *, settings: Settings, now: datetime
) -> tuple[bytes, str]:
    """The PDF bytes of the permit's current document and a file name; audited.

    Officers and admins see every permit, an employer its own workers' permits; everyone else
    gets the same 404 as for a permit that does not exist.
    """
    # One fixed statement for the permit, its worker's employer and its current document.
    rows = await Permit.raw(
        "SELECT p.number AS permit_number, w.employer AS owner, d.*"
        " FROM permit p JOIN worker w ON w.id = p.worker"
        " LEFT JOIN stored_document d ON d.permit = p.id AND d.kind = {} AND d.is_current"
        " WHERE p.id = {}",
        str(DocumentKind.PERMIT),
        permit_id,
    )
    permit = rows[0] if rows else None
    own = permit is not None and permit["owner"] == actor.employer_id
    if permit is None or not (actor.role in OFFICE_ROLES or (actor.is_employer and own)):
        raise NotFound("id", f"no permit with id {permit_id}")
    stored = _stored(permit) if permit["id"] is not None else None
    if stored is None:  # issued while its data was incomplete, or the render failed
        stored = await ensure_permit_document(permit_id, settings=settings, now=now)
    pdf = await read_document(stored)
    number = permit["permit_number"]
    await record_read(actor, "document.download", "permit", permit_id, {"document_id": stored.id})
    safe = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in number)
    return pdf, f"izin-tinggal-{safe}.pdf"
