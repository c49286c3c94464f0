"""Officers' decisions on a submitted case: approve, reject or return. Each is one transaction.

Approval carries the case out: a new ITAS or an extension issues the permit (superseding the
previous one), a change report changes the worker's record, a departure report records the day
the worker left and ends the permit then. Approvals and rejections get a decision letter.
"""

from __future__ import annotations

import functools
import logging
from datetime import date, datetime
from typing import Any

from tka_registry.accounts.officers import signatory_of
from tka_registry.accounts.roles import Actor
from tka_registry.applications.assignment import (
    CaseTaken,
    claim_submitted,
    free_for,
    other_holder,
)
from tka_registry.applications.schemas import (
    ApplicationDetails,
    ApplicationKind,
    ApplicationOut,
    ApplicationStatus,
    ChangeKind,
    DecisionIn,
)
from tka_registry.applications.service import (
    add_event,
    case_checks,
    details_of,
    get_application,
    not_found,
)
from tka_registry.applications.tables import Application
from tka_registry.audit.service import record
from tka_registry.choices import APPLICATION_KINDS
from tka_registry.db import after_commit, write_transaction
from tka_registry.documents.letter_numbers import LetterKind, NumberedLetter, number_letter
from tka_registry.documents.render import DecisionLetter
from tka_registry.documents.service import DocumentKind, render_pdf, store_document
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, DomainError, InvalidInput
from tka_registry.notifications.outbox import queue_decision
from tka_registry.permits.schemas import PermitIn, PermitRevocation
from tka_registry.permits.service import current_permit, issue_permit, revoke_permit
from tka_registry.rules.calendar import jakarta_today
from tka_registry.rules.permits import PermitKind
from tka_registry.settings import Settings
from tka_registry.workers.schemas import PassportIn, WorkerIn, WorkerPatch
from tka_registry.workers.service import add_passport, create_worker, update_worker
from tka_registry.workers.tables import Worker

log = logging.getLogger("tka_registry.applications")

OUTCOME = {
    "approve": ApplicationStatus.APPROVED,
    "reject": ApplicationStatus.REJECTED,
    "return": ApplicationStatus.RETURNED,
}


class Context:
    """What every step of a decision needs."""

    def __init__(self, actor: Actor, settings: Settings, today: date, now: datetime) -> None:
        self.actor, self.settings, self.today, self.now = actor, settings, today, now


async def _new_worker(row: dict[str, Any], details: ApplicationDetails, ctx: Context) -> int:
    assert details.passport_number and details.nationality  # checked on submit
    worker = await create_worker(
        ctx.actor,
        WorkerIn.model_validate(
            {
                "full_name": details.full_name,
                "sex": details.sex,
                "date_of_birth": details.date_of_birth,
                "place_of_birth": details.place_of_birth,
                "nationality": details.nationality,
                "address": details.address,
                "regency": details.regency,
                "position": details.position,
                "employer_id": row["employer"],
                "passport": {
                    "number": details.passport_number,
                    "issuing_country": details.nationality,
                    "issued_on": details.passport_issued_on,
                    "expires_on": details.passport_expires_on,
                },
            }
        ),
        settings=ctx.settings,
        today=ctx.today,
        now=ctx.now,
    )
    await Application.update({Application.worker: worker.id}).where(Application.id == row["id"])
    return worker.id


async def _issue(
    row: dict[str, Any], details: ApplicationDetails, data: DecisionIn, ctx: Context
) -> str:
    """Issue the requested ITAS, superseding the worker's current permit; answers its number."""
    worker_id = details.worker_id
    if worker_id is None:
        worker_id = await _new_worker(row, details, ctx)
    head = await current_permit(worker_id)
    # A missing date never defaults to today: the officer's, else the one asked for.
    valid_from = data.valid_from or details.requested_from
    expires_on = data.expires_on or details.requested_until
    for field, value in (("valid_from", valid_from), ("expires_on", expires_on)):
        if value is None:
            raise InvalidInput(field, "the application asks for no date: give the permit's date")
    assert valid_from is not None and expires_on is not None
    permit = await issue_permit(
        ctx.actor,
        PermitIn(
            worker_id=worker_id,
            kind=PermitKind.ITAS,
            visa_index=details.visa_index or "",
            number=data.permit_number or f"ITAS-{row['register_number']}",
            # Issued on the day of the decision; valid from the day asked for (or set).
            issued_on=ctx.today,
            valid_from=valid_from,
            expires_on=expires_on,
            employer_id=row["employer"],
            supersedes_id=head["id"] if head else None,
            register_number=row["register_number"],
        ),
        today=ctx.today,
        settings=ctx.settings,
        now=ctx.now,
    )
    await Application.update({Application.permit_id: permit.id}).where(Application.id == row["id"])
    return permit.number


async def _apply_change(details: ApplicationDetails, ctx: Context) -> None:
    worker_id = details.worker_id
    assert worker_id is not None  # checked on submit
    actor, settings, today, now = ctx.actor, ctx.settings, ctx.today, ctx.now
    if details.change == ChangeKind.ADDRESS:
        patch = WorkerPatch(address=details.address, regency=details.regency)
        await update_worker(actor, worker_id, patch, settings=settings, today=today, now=now)
    elif details.change == ChangeKind.POSITION:
        patch = WorkerPatch(position=details.position)
        await update_worker(actor, worker_id, patch, settings=settings, today=today, now=now)
    elif details.change == ChangeKind.PASSPORT:
        worker = await Worker.select(Worker.nationality).where(Worker.id == worker_id).first()
        passport = PassportIn.model_validate(
            {
                "number": details.passport_number,
                "issuing_country": details.nationality or (worker or {}).get("nationality"),
                "issued_on": details.passport_issued_on,
                "expires_on": details.passport_expires_on,
            }
        )
        await add_passport(actor, worker_id, passport, settings=settings, today=today, now=now)
    # A civil status stays on the approved report itself: queries.civil_status_of reads it.


async def _record_departure(row: dict[str, Any], details: ApplicationDetails, ctx: Context) -> None:
    """The permit ends on departure without re-entry (shared/domain.md): end it that day."""
    assert details.worker_id is not None and details.departed_on is not None
    await Application.update({Application.departed_on: details.departed_on}).where(
        Application.id == row["id"]
    )
    head = await current_permit(details.worker_id)
    if head is not None and head["revoked_on"] is None:
        reason = f"Keluar dari Indonesia {details.departed_on} (laporan {row['register_number']})"
        try:
            await revoke_permit(
                ctx.actor,
                head["id"],
                PermitRevocation(revoked_on=details.departed_on, revocation_reason=reason),
                today=ctx.today,
                settings=ctx.settings,
            )
        except DomainError as error:
            # The revocation's day is the report's departure date: refused, it is that field.
            raise error.refiled(_departure_field) from None


def _departure_field(field: str) -> str:
    return "departed_on" if field == "revoked_on" else field


async def _letter(
    row: dict[str, Any],
    numbered: NumberedLetter,
    reason: str | None,
    permit_number: str | None,
    ctx: Context,
) -> None:
    """Render and store the decision letter; a letter that cannot be made never undoes the
    decision (it is logged, and the documents area can render it again)."""
    employer = await Employer.select().where(Employer.id == row["employer"]).first()
    assert employer is not None
    approved = numbered.kind == LetterKind.APPROVAL
    letter = DecisionLetter(
        register_number=row["register_number"],
        approved=approved,
        decided_on=numbered.issued_on,
        officer_name=numbered.signatory.full_name,
        officer_nip=numbered.signatory.nip,
        officer_position=numbered.signatory.position,
        letter_number=numbered.number,
        addressee_name=employer["name"],
        applicant_name=employer["name"],
        worker_name=row["person_name"],
        worker_nationality=row["nationality"],
        application_kind=APPLICATION_KINDS[row["kind"]].value,
        reason=reason,
        addressee_address=employer["address"],
        passport_number=row["passport_number"] or None,
        submitted_on=jakarta_today(row["submitted_at"]) if row["submitted_at"] else None,
        permit_number=permit_number,
    )
    try:
        pdf = await render_pdf(letter, ctx.settings.language)
        await store_document(
            ctx.actor,
            pdf=pdf,
            kind=DocumentKind.APPROVAL if approved else DocumentKind.REJECTION,
            settings=ctx.settings,
            now=ctx.now,
            application_id=row["id"],
        )
    except Exception:
        log.exception("decision letter of application %s could not be made", row["id"])


def _checked_message(data: DecisionIn) -> str:
    message = (data.message or "").strip()
    if data.decision == "reject" and len(message) < 3:
        raise InvalidInput("message", "give the reason of the rejection")
    if data.decision == "return" and len(message) < 3:
        raise InvalidInput("message", "tell the employer what to add or correct")
    return message


async def _carry_out(row: dict[str, Any], data: DecisionIn, ctx: Context) -> str | None:
    """The approval's effect on the registry; answers the issued permit's number, if any."""
    details = details_of(row)
    kind = ApplicationKind(row["kind"])
    if kind in (ApplicationKind.ITAS_NEW, ApplicationKind.ITAS_EXTENSION):
        return await _issue(row, details, data, ctx)
    if kind == ApplicationKind.CHANGE_REPORT:
        await _apply_change(details, ctx)
    else:
        await _record_departure(row, details, ctx)
    return None


def _refusal(row: dict[str, Any], actor: Actor) -> Conflict:
    """Why the conditional claim of the case changed nothing."""
    if row["status"] != ApplicationStatus.SUBMITTED:
        return Conflict(
            "status",
            "the application is %(status)s: only a submitted one is decided",
            status=row["status"],
        )
    holder = other_holder(row["assigned_to"], actor)
    if holder is not None:
        return CaseTaken(holder)
    return Conflict("assigned_to", "the case changed hands meanwhile: reload it")


async def decide(
    actor: Actor,
    application_id: int,
    data: DecisionIn,
    *,
    settings: Settings,
    today: date,
    now: datetime,
) -> ApplicationOut:
    """Approve, reject or return a submitted case, in one audited transaction; only the officer
    who took the case decides it (409 naming the holder), or anyone when nobody has."""
    message = _checked_message(data)
    # Only a named officer with a NIP decides: the letter is signed with both.
    signatory = await signatory_of(actor) if data.decision != "return" else None
    ctx = Context(actor, settings, today, now)
    outcome = OUTCOME[data.decision]
    async with write_transaction(Application._meta.db):
        # Claiming the case with a conditional update serialises two officers deciding at once,
        # and refuses an officer other than the one who took it (applications.assignment).
        claimed = await claim_submitted(
            application_id,
            {Application.status: outcome.value, Application.updated_at: now},
            free_for(actor),
        )
        row = await Application.select().where(Application.id == application_id).first()
        if row is None:
            raise not_found(application_id)
        if not claimed:
            raise _refusal(row, actor)
        made_against = [c.model_dump() for c in await case_checks(row, settings, today)]
        permit_number = await _carry_out(row, data, ctx) if data.decision == "approve" else None
        decided: dict[Any, Any] = {Application.decision_reason: message or None}
        if data.decision != "return":
            decided[Application.decided_at] = now
        await Application.update(decided).where(Application.id == application_id)
        action = {"approve": "approved", "reject": "rejected", "return": "returned"}
        await add_event(application_id, actor, action[data.decision], now, message)
        details = {
            "decision": data.decision,
            "message": message,
            "permit_number": permit_number,
            "checks": made_against,
        }
        await record(actor, "application.decide", "application", application_id, details)
        await queue_decision(
            row,
            data.decision,
            message,
            event_key=f"{application_id}:{data.decision}:{now.isoformat()}",
            settings=settings,
            now=now,
        )
        if signatory is not None:
            kind = LetterKind.APPROVAL if data.decision == "approve" else LetterKind.REJECTION
            numbered = await number_letter(
                kind, owner_type="application", owner_id=application_id, signatory=signatory,
                issued_on=today, settings=settings, now=now,
            )  # fmt: skip
            # Rendered once the decision commits (its number is taken inside it), so the slow
            # render never holds the write lock other decisions wait for.
            await after_commit(
                functools.partial(_letter, row, numbered, message or None, permit_number, ctx)
            )
    return await get_application(actor, application_id, settings=settings, today=today)
