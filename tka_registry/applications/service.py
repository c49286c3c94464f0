"""Applications: create and edit drafts, submit, read, list and track.

Decisions live in :mod:`tka_registry.applications.decisions`. An employer reaches only its own
employer's cases and workers; anything else answers the same 404 as a missing record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.applications import checks, tracking
from tka_registry.applications.completeness import SubmitRefused, submit_problems
from tka_registry.applications.schemas import (
    EDITABLE,
    ApplicationDetails,
    ApplicationIn,
    ApplicationKind,
    ApplicationOut,
    ApplicationPatch,
    ApplicationStatus,
    ApplicationSummary,
    AttachmentOut,
    EventOut,
    TrackOut,
)
from tka_registry.applications.tables import Application, ApplicationEvent, Attachment
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, InvalidInput, NotFound
from tka_registry.notifications.outbox import queue_submission
from tka_registry.pagination import Page
from tka_registry.permits.schemas import PermitOut
from tka_registry.permits.service import current_permit, get_permit
from tka_registry.rules.calendar import JAKARTA, jakarta_today
from tka_registry.settings import Settings
from tka_registry.workers.schemas import checked_passport_number
from tka_registry.workers.tables import Passport, Worker

# Register numbers read W9-PLB-<year of submission>-<case id, 6 digits>: derived from the
# case's own primary key, so concurrent submissions can never be given the same number.
REGISTER_PREFIX = "W9-PLB"


# Which officer has a case is the office's business: employers never see these events.
ASSIGNMENT_EVENTS = ("taken", "released", "taken_over")


def register_number(application_id: int, submitted_on: date) -> str:
    return f"{REGISTER_PREFIX}-{submitted_on.year}-{application_id:06d}"


def not_found(application_id: int) -> NotFound:
    return NotFound("id", f"no application with id {application_id}")


async def add_event(
    application_id: int, actor: Actor, action: str, now: datetime, message: str = ""
) -> None:
    """One history line; call inside the change's transaction."""
    await ApplicationEvent.insert(
        ApplicationEvent(
            application=application_id,
            at=now,
            actor=actor.email,
            role=actor.role,
            action=action,
            message=message,
        )
    )


async def application_row(actor: Actor, application_id: int) -> dict[str, Any]:
    """The case row, if this actor may see it (an employer: only its own employer's)."""
    query = Application.select().where(Application.id == application_id)
    if actor.is_employer:
        query = query.where(Application.employer == actor.employer_id)
    row = await query.first()
    if row is None:
        raise not_found(application_id)
    return row


def details_of(row: dict[str, Any]) -> ApplicationDetails:
    return ApplicationDetails.model_validate(json.loads(row["details"]))


async def _worker(employer_id: int, worker_id: int) -> dict[str, Any]:
    row = (
        await Worker.select()
        .where((Worker.id == worker_id) & (Worker.employer == employer_id))
        .first()
    )
    if row is None:
        raise NotFound("worker_id", "no worker with id %(id)s", id=worker_id)
    return row


async def _employer_id(actor: Actor, requested: int | None) -> int:
    if actor.is_employer:
        if requested not in (None, actor.employer_id):
            raise NotFound("employer_id", "no employer with id %(id)s", id=requested)
        assert actor.employer_id is not None
        return actor.employer_id
    if requested is None:
        raise InvalidInput("employer_id", "name the employer (sponsor) of the application")
    if not await Employer.exists().where(Employer.id == requested):
        raise NotFound("employer_id", "no employer with id %(id)s", id=requested)
    return requested


async def _denormalised(employer_id: int, details: ApplicationDetails) -> dict[str, Any]:
    """The person's name, nationality and passport as the queue and /track read them."""
    if details.worker_id is None:
        return {
            "worker": None,
            "person_name": details.full_name[:200],
            "nationality": details.nationality or "",
            "passport_number": details.passport_number or "",
        }
    worker = await _worker(employer_id, details.worker_id)
    passport = (
        await Passport.select(Passport.number)
        .where(Passport.worker == worker["id"])
        .order_by(Passport.issued_on, ascending=False)
        .order_by(Passport.id, ascending=False)
        .first()
    )
    return {
        "worker": worker["id"],
        "person_name": worker["full_name"],
        "nationality": worker["nationality"],
        "passport_number": passport["number"] if passport else "",
    }


def _details_json(details: ApplicationDetails) -> str:
    return details.model_dump_json(exclude_none=True)


async def create_application(
    actor: Actor, data: ApplicationIn, *, settings: Settings, today: date, now: datetime
) -> ApplicationOut:
    """Save a new draft; nothing is checked beyond the types and the worker's employer."""
    employer_id = await _employer_id(actor, data.employer_id)
    details = ApplicationDetails.model_validate(
        data.model_dump(exclude={"kind", "employer_id"}, exclude_unset=True)
    )
    async with write_transaction(Application._meta.db):
        values = {
            "kind": data.kind.value,
            "status": ApplicationStatus.DRAFT.value,
            "employer": employer_id,
            **await _denormalised(employer_id, details),
            "details": _details_json(details),
            "created_by": actor.email,
            "created_at": now,
            "updated_at": now,
        }
        rows = await Application.insert(Application(**values))
        application_id = rows[0]["id"]
        await add_event(application_id, actor, "created", now)
        await record(actor, "application.create", "application", application_id, values)
    return await get_application(actor, application_id, settings=settings, today=today)


def _editable(row: dict[str, Any]) -> None:
    if row["status"] not in EDITABLE:
        raise Conflict(
            "status",
            "the application is %(status)s: only a draft or a returned one can change",
            status=row["status"],
        )


async def update_application(
    actor: Actor,
    application_id: int,
    data: ApplicationPatch,
    *,
    settings: Settings,
    today: date,
    now: datetime,
) -> ApplicationOut:
    """Change a draft (or a case returned to the employer); only the fields sent change."""
    async with write_transaction(Application._meta.db):
        row = await application_row(actor, application_id)
        _editable(row)
        changes = data.model_dump(exclude_unset=True)
        merged = details_of(row).model_dump(exclude_none=True) | changes
        details = ApplicationDetails.model_validate(
            {k: v for k, v in merged.items() if v is not None}
        )
        values: dict[Any, Any] = {
            **await _denormalised(row["employer"], details),
            "details": _details_json(details),
            "updated_at": now,
        }
        await Application.update(values).where(Application.id == application_id)
        await add_event(application_id, actor, "updated", now)
        await record(actor, "application.update", "application", application_id, changes)
    return await get_application(actor, application_id, settings=settings, today=today)


async def delete_draft(actor: Actor, application_id: int, *, now: datetime) -> None:
    """Delete a draft (never submitted) with its attachments and history; the audit log keeps
    that it existed. A case once submitted stays on record."""
    async with write_transaction(Application._meta.db):
        row = await application_row(actor, application_id)
        if row["status"] != ApplicationStatus.DRAFT:
            raise Conflict(
                "status",
                "the application is %(status)s: only a draft can be deleted",
                status=row["status"],
            )
        await Attachment.delete().where(Attachment.application == application_id)
        await ApplicationEvent.delete().where(ApplicationEvent.application == application_id)
        await Application.delete().where(Application.id == application_id)
        kept = {"kind": row["kind"], "person_name": row["person_name"], "deleted_at": now}
        await record(actor, "application.delete", "application", application_id, kept)


async def _with_defaults(kind: str, details: ApplicationDetails) -> ApplicationDetails:
    """An extension runs from the day after the current permit, on the same index."""
    if kind != ApplicationKind.ITAS_EXTENSION or details.worker_id is None:
        return details
    head = await current_permit(details.worker_id)
    if head is None:
        return details
    start = details.requested_from or head["expires_on"] + timedelta(days=1)
    return details.model_copy(
        update={"requested_from": start, "visa_index": details.visa_index or head["visa_index"]}
    )


async def submit_application(
    actor: Actor, application_id: int, *, settings: Settings, today: date, now: datetime
) -> ApplicationOut:
    """Check the case completely; on success it is submitted and has its register number."""
    async with write_transaction(Application._meta.db):
        row = await application_row(actor, application_id)
        _editable(row)
        details = await _with_defaults(row["kind"], details_of(row))
        kinds = await attached_kinds(application_id)
        problems = await submit_problems(
            ApplicationKind(row["kind"]),
            details,
            attachment_kinds=kinds,
            today=today,
            settings=settings,
        )
        if problems:
            raise SubmitRefused(problems)
        number = row["register_number"] or register_number(application_id, today)
        await Application.update(
            {
                Application.status: ApplicationStatus.SUBMITTED.value,
                Application.register_number: number,
                Application.details: _details_json(details),
                Application.submitted_at: now,
                Application.updated_at: now,
            }
        ).where(Application.id == application_id)
        action = "resubmitted" if row["status"] == ApplicationStatus.RETURNED else "submitted"
        await add_event(application_id, actor, action, now)
        await record(
            actor, f"application.{action}", "application", application_id, {"register": number}
        )
        await queue_submission(row, number, action, settings=settings, now=now)
    return await get_application(actor, application_id, settings=settings, today=today)


def _age_days(submitted_at: datetime | None, today: date) -> int | None:
    return (today - jakarta_today(submitted_at)).days if submitted_at else None


def _summary(row: dict[str, Any], today: date, *, office: bool) -> ApplicationSummary:
    return ApplicationSummary(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        employer_id=row["employer"],
        employer_name=row.get("employer_name") or "",
        worker_id=row["worker"],
        register_number=row["register_number"],
        person_name=row["person_name"],
        nationality=row["nationality"],
        passport_number=row["passport_number"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        submitted_at=row["submitted_at"],
        decided_at=row["decided_at"],
        age_days=_age_days(row["submitted_at"], today),
        assigned_to=row["assigned_to"] if office else None,
    )


async def attached_kinds(application_id: int) -> set[str]:
    """The kinds of document a case carries."""
    rows = await Attachment.select(Attachment.kind).where(Attachment.application == application_id)
    return {row["kind"] for row in rows}


def attachments_out(rows: list[dict[str, Any]]) -> list[AttachmentOut]:
    """Attachment rows as output, each naming the others with the same SHA-256."""
    fields = set(AttachmentOut.model_fields) - {"identical_to"}
    return [
        AttachmentOut(
            **{k: row[k] for k in fields},
            identical_to=[o["id"] for o in rows if o["sha256"] == row["sha256"] and o is not row],
        )
        for row in rows
    ]


async def case_checks(row: dict[str, Any], settings: Settings, today: date) -> list[Any]:
    applied_on = jakarta_today(row["submitted_at"]) if row["submitted_at"] else today
    facts = await checks.gather_facts(
        ApplicationKind(row["kind"]),
        details_of(row),
        applied_on,
        attached=frozenset(await attached_kinds(row["id"])),
    )
    return checks.case_checks(facts, settings)


async def get_application(
    actor: Actor, application_id: int, *, settings: Settings, today: date
) -> ApplicationOut:
    """The case with its checks, history and attachments (and its permit once approved)."""
    row = await application_row(actor, application_id)
    employer = await Employer.select(Employer.name).where(Employer.id == row["employer"]).first()
    events = (
        await ApplicationEvent.select()
        .where(ApplicationEvent.application == application_id)
        .order_by(ApplicationEvent.at)
        .order_by(ApplicationEvent.id)
    )
    files = (
        await Attachment.select()
        .where(Attachment.application == application_id)
        .order_by(Attachment.id)
    )
    permit: PermitOut | None = None
    if row["permit_id"] is not None:
        permit = await get_permit(actor, row["permit_id"], today=today, settings=settings)
    return ApplicationOut(
        **_summary(
            {**row, "employer_name": employer["name"] if employer else ""},
            today,
            office=not actor.is_employer,
        ).model_dump(),
        details=details_of(row),
        decision_reason=row["decision_reason"],
        permit_id=row["permit_id"],
        permit=permit,
        departed_on=row["departed_on"],
        checks=[
            check
            for check in await case_checks(row, settings, today)
            if not (actor.is_employer and check.id in checks.OFFICE_ONLY_CHECKS)
        ],
        history=[
            EventOut(**{k: e[k] for k in EventOut.model_fields})
            for e in events
            if not (actor.is_employer and e["action"] in ASSIGNMENT_EVENTS)
        ],
        attachments=attachments_out(files),
    )


@dataclass(frozen=True)
class ApplicationFilters:
    kind: str | None = None
    status: str | None = None
    nationality: str | None = None
    employer_id: int | None = None
    min_age_days: int | None = None  # submitted at least this many Jakarta days ago


def _jakarta_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=JAKARTA)


async def list_applications(
    actor: Actor, filters: ApplicationFilters, *, limit: int, offset: int, today: date
) -> Page[ApplicationSummary]:
    """Employers: their own cases, newest change first. Office: the queue, oldest first
    (drafts are the employer's own business and never listed for the office)."""
    query = Application.select(
        *Application.all_columns(), Application.employer.name.as_alias("employer_name")
    )
    count = Application.count()
    conditions = []
    if actor.is_employer:
        conditions.append(Application.employer == actor.employer_id)
    else:
        conditions.append(Application.status != ApplicationStatus.DRAFT.value)
    if filters.kind:
        conditions.append(Application.kind == filters.kind)
    if filters.status:
        conditions.append(Application.status == filters.status)
    if filters.nationality:
        conditions.append(Application.nationality == filters.nationality)
    if filters.employer_id is not None:
        conditions.append(Application.employer == filters.employer_id)
    if filters.min_age_days is not None:
        edge = _jakarta_midnight(today - timedelta(days=filters.min_age_days - 1))
        conditions.append(Application.submitted_at < edge)
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    if actor.is_employer:
        query = query.order_by(Application.updated_at, ascending=False)
    else:
        query = query.order_by(Application.submitted_at).order_by(Application.id)
    rows = await query.limit(limit).offset(offset)
    items = [_summary(row, today, office=not actor.is_employer) for row in rows]
    return Page[ApplicationSummary](items=items, total=await count, limit=limit, offset=offset)


# The events that change an application's status (the day /track calls its last change).
STATUS_CHANGES = ("submitted", "resubmitted", "returned", "approved", "rejected")


async def track(register: str, passport_number: str) -> TrackOut:
    """The status of the case with this register number and passport number, the day of its
    last change and the next step; nothing else."""
    try:
        passport = checked_passport_number(passport_number)
    except ValueError:
        passport = ""
    row = (
        await Application.select(
            Application.id,
            Application.register_number,
            Application.status,
            Application.updated_at,
        )
        .where(
            (Application.register_number == register.strip().upper())
            & (Application.passport_number == passport)
        )
        .first()
    )
    if row is None or not passport:
        raise NotFound(
            "register_number", "no application with this register number and passport number"
        )
    last = (
        await ApplicationEvent.select(ApplicationEvent.at)
        .where(
            (ApplicationEvent.application == row["id"])
            & ApplicationEvent.action.is_in(list(STATUS_CHANGES))
        )
        .order_by(ApplicationEvent.at, ascending=False)
        .first()
    )
    changed_at = last["at"] if last else row["updated_at"]
    return tracking.application_answer(
        row["register_number"], row["status"], jakarta_today(changed_at)
    )
