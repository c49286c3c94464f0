"""The 90-day commitment: lodging the bank letter or property certificate, the overdue list,
and revoking a case (the principal's permit and every dependant's, in one transaction)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.applications import files
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.errors import Conflict, FieldProblem, InvalidInput, NotFound
from tka_registry.pagination import Page
from tka_registry.permits.schemas import PermitRevocation
from tka_registry.permits.service import revoke_permit
from tka_registry.permits.tables import Permit
from tka_registry.rules import second_home as rules
from tka_registry.second_home import facts as read
from tka_registry.second_home.schemas import CaseOut, CaseStatus, CaseSummary, ProofKind
from tka_registry.second_home.service import count_dependants, get_case, summary
from tka_registry.second_home.tables import SecondHomeCase
from tka_registry.settings import Settings
from tka_registry.storage.blobs import get_blob, put_blob


async def _approved_row(case_id: int, now: datetime) -> dict[str, Any]:
    await SecondHomeCase.update({SecondHomeCase.updated_at: now}).where(
        SecondHomeCase.id == case_id
    )
    row = await SecondHomeCase.select().where(SecondHomeCase.id == case_id).first()
    if row is None:
        raise NotFound("id", f"no Second Home case with id {case_id}")
    if row["status"] != CaseStatus.APPROVED:
        raise Conflict("status", "the case is %(status)s, not approved", status=row["status"])
    return row


async def lodge_proof(
    actor: Actor, case_id: int, *, kind: ProofKind, lodged_on: date, content: bytes,
    settings: Settings, today: date, now: datetime,
) -> CaseOut:  # fmt: skip
    """Record the bank letter or property certificate (PDF/JPEG/PNG judged by its content)."""
    media_type = files.checked_upload(content, settings.upload_max_bytes, field="file")
    if lodged_on > today:
        raise InvalidInput(
            "lodged_on", "lodging date %(day)s is in the future", day=lodged_on.isoformat()
        )
    async with write_transaction(SecondHomeCase._meta.db):
        row = await _approved_row(case_id, now)
        if row["proof_lodged_on"] is not None:
            raise Conflict(
                "lodged_on", "proof was lodged on %(day)s", day=row["proof_lodged_on"].isoformat()
            )
        issued_on = row["decided_on"]
        deadline = rules.proof_deadline(issued_on, settings.second_home_proof_deadline_days)
        if lodged_on < issued_on:
            raise InvalidInput(
                "lodged_on",
                "lodging date %(day)s is before issue %(issued)s",
                day=lodged_on.isoformat(), issued=issued_on.isoformat(),
            )  # fmt: skip
        if lodged_on > deadline:
            # SE IMI-0740.GR.01.01/2022: past the deadline the permit is revoked, not closed.
            raise InvalidInput(
                "lodged_on",
                "the deadline was %(deadline)s: the case is overdue and must be revoked",
                deadline=deadline.isoformat(),
            )
        digest = await put_blob(content, now=now)
        changes: dict[Any, Any] = {
            SecondHomeCase.proof_kind: kind.value,
            SecondHomeCase.proof_lodged_on: lodged_on,
            SecondHomeCase.proof_sha256: digest,
            SecondHomeCase.proof_media_type: media_type,
        }
        await SecondHomeCase.update(changes).where(SecondHomeCase.id == case_id)
        details = {"kind": kind.value, "lodged_on": lodged_on, "sha256": digest}
        await record(actor, "second_home.proof", "second_home_case", case_id, details)
    return await get_case(case_id, settings=settings, today=today)


async def proof_file(case_id: int, settings: Settings) -> tuple[bytes, str]:
    """The lodged proof's bytes and media type."""
    row = await SecondHomeCase.select().where(SecondHomeCase.id == case_id).first()
    if row is None or row["proof_sha256"] is None:
        raise NotFound("id", f"no lodged proof for Second Home case {case_id}")
    return await get_blob(row["proof_sha256"]), row["proof_media_type"]


async def revoke_case(
    actor: Actor, case_id: int, *, revoked_on: date, reason: str, settings: Settings,
    today: date, now: datetime,
) -> CaseOut:  # fmt: skip
    """Revoke the principal's permit and every dependant's, in the same transaction."""
    if revoked_on > today:
        raise InvalidInput(
            "revoked_on", "revocation date %(day)s is in the future", day=revoked_on.isoformat()
        )
    async with write_transaction(SecondHomeCase._meta.db):
        row = await _approved_row(case_id, now)
        facts = await read.load_case(case_id)
        revocation = PermitRevocation(revoked_on=revoked_on, revocation_reason=reason)
        revoked: list[int] = []
        for permit_id in facts.permit_ids:
            permit = await Permit.select(Permit.revoked_on).where(Permit.id == permit_id).first()
            if permit is None or permit["revoked_on"] is not None:
                continue  # revoked on its own already (a dependant who left, say)
            await revoke_permit(
                actor, permit_id, revocation, today=today, settings=settings, with_case=True
            )
            revoked.append(permit_id)
        await SecondHomeCase.update(
            {
                SecondHomeCase.status: CaseStatus.REVOKED,
                SecondHomeCase.revoked_on: revoked_on,
                SecondHomeCase.revocation_reason: reason,
            }
        ).where(SecondHomeCase.id == row["id"])
        details = {"revoked_on": revoked_on, "reason": reason, "permits": revoked}
        await record(actor, "second_home.revoke", "second_home_case", case_id, details)
    return await get_case(case_id, settings=settings, today=today)


async def principal_permit_refusal(permit_id: int) -> FieldProblem | None:
    """Why ``permit_id`` may not be revoked on its own: it is the principal's permit of an
    approved case, whose revocation takes the dependants' permits with it (they never outlast
    it). Connected to ``permits.events.on_revocation``."""
    case = (
        await SecondHomeCase.select(SecondHomeCase.id)
        .where(
            (SecondHomeCase.principal_permit_id == permit_id)
            & (SecondHomeCase.status == CaseStatus.APPROVED)
        )
        .first()
    )
    if case is None:
        return None
    return FieldProblem.of(
        "id",
        "permit %(permit)s is the principal's permit of Second Home case %(case)s: revoke the"
        " case (POST /api/v1/second-home/%(case)s/revocation) so that its dependants' permits"
        " are revoked with it",
        permit=permit_id, case=case["id"],
    )  # fmt: skip


async def overdue_cases(
    *, limit: int, offset: int, today: date, settings: Settings
) -> Page[CaseSummary]:
    """Approved cases whose proof deadline has passed with no proof lodged, oldest first."""
    # Overdue once today is past issue + N days, i.e. issued before today - N.
    cutoff = today - timedelta(days=settings.second_home_proof_deadline_days)
    condition = (
        (SecondHomeCase.status == CaseStatus.APPROVED)
        & SecondHomeCase.proof_lodged_on.is_null()
        & SecondHomeCase.principal_permit_id.is_not_null()
        & (SecondHomeCase.decided_on < cutoff)
    )
    rows = (
        await SecondHomeCase.select(
            *SecondHomeCase.all_columns(), SecondHomeCase.principal.full_name
        )
        .where(condition)
        .order_by(SecondHomeCase.decided_on)
        .order_by(SecondHomeCase.id)
        .limit(limit)
        .offset(offset)
    )
    total = await SecondHomeCase.count().where(condition)
    await count_dependants(rows)
    items = [summary(row, today, settings) for row in rows]
    return Page[CaseSummary](items=items, total=total, limit=limit, offset=offset)
