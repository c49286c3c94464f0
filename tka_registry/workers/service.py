"""Workers and their passports. A renewed passport is a new row of the same worker."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.employers.service import checked_regency
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, InvalidInput, NotFound
from tka_registry.permits.service import permits_out
from tka_registry.permits.tables import Permit
from tka_registry.rules.nationality import fold, nationality_name
from tka_registry.settings import Settings
from tka_registry.workers.schemas import (
    PassportIn,
    PassportOut,
    WorkerIn,
    WorkerOut,
    WorkerPatch,
)
from tka_registry.workers.tables import Passport, Worker


def _not_found(worker_id: int) -> NotFound:
    return NotFound("id", f"no worker with id {worker_id}")


async def _employer_for(actor: Actor, employer_id: int | None) -> int | None:
    """The employer a worker may be put with by this actor."""
    if actor.is_employer:
        if employer_id not in (None, actor.employer_id):
            raise InvalidInput("employer_id", "no employer with id %(id)s", id=employer_id)
        return actor.employer_id
    if employer_id is not None and not await Employer.exists().where(Employer.id == employer_id):
        raise InvalidInput("employer_id", "no employer with id %(id)s", id=employer_id)
    return employer_id


# Refusals of a day in the future, by field (catalogue ids).
FUTURE_DAY = {
    "date_of_birth": "date of birth %(day)s is in the future",
    "passport.issued_on": "passport issue date %(day)s is in the future",
    "issued_on": "passport issue date %(day)s is in the future",
}


def _check_past(field: str, day: date, today: date) -> None:
    if day > today:
        raise InvalidInput(field, FUTURE_DAY[field], day=day.isoformat())


async def _unique_passport(number: str, country: str, actor: Actor) -> None:
    clash = (
        await Passport.select(Passport.worker, Passport.worker.employer)
        .where((Passport.number == number) & (Passport.issuing_country == country))
        .first()
    )
    if clash:
        # An employer is told the worker's id only when the worker is its own.
        own = not actor.is_employer or clash["worker.employer"] == actor.employer_id
        if own:
            raise Conflict(
                "passport.number",
                "passport %(number)s of %(country)s is on record already (worker %(worker)s)",
                number=number, country=country, worker=clash["worker"],
            )  # fmt: skip
        raise Conflict(
            "passport.number",
            "passport %(number)s of %(country)s is on record already",
            number=number, country=country,
        )  # fmt: skip


def _passport_values(passport: PassportIn) -> dict[str, Any]:
    return passport.model_dump()


async def create_worker(
    actor: Actor, data: WorkerIn, *, settings: Settings, today: date, now: datetime
) -> WorkerOut:
    _check_past("date_of_birth", data.date_of_birth, today)
    _check_past("passport.issued_on", data.passport.issued_on, today)
    values = data.model_dump(exclude={"passport", "employer_id"})
    values["regency"] = checked_regency(data.regency, settings)
    values["name_folded"] = fold(data.full_name)
    async with write_transaction(Worker._meta.db):
        values["employer"] = await _employer_for(actor, data.employer_id)
        await _unique_passport(data.passport.number, data.passport.issuing_country, actor)
        rows = await Worker.insert(Worker(**values, created_at=now, updated_at=now))
        worker_id = rows[0]["id"]
        passport = _passport_values(data.passport)
        await Passport.insert(Passport(**passport, worker=worker_id, created_at=now))
        await record(
            actor, "worker.create", "worker", worker_id, {"after": values, "passport": passport}
        )
    return await get_worker(actor, worker_id, settings=settings, today=today)


async def _worker_row(actor: Actor, worker_id: int) -> dict[str, Any]:
    query = Worker.select().where(Worker.id == worker_id)
    if actor.is_employer:
        query = query.where(Worker.employer == actor.employer_id)
    row = await query.first()
    if row is None:
        raise _not_found(worker_id)
    return row


async def get_worker(actor: Actor, worker_id: int, *, settings: Settings, today: date) -> WorkerOut:
    """A worker with every passport and permit, newest first."""
    row = await _worker_row(actor, worker_id)
    passports = (
        await Passport.select()
        .where(Passport.worker == worker_id)
        .order_by(Passport.issued_on, ascending=False)
        .order_by(Passport.id, ascending=False)
    )
    permit_rows = (
        await Permit.select()
        .where(Permit.worker == worker_id)
        .order_by(Permit.issued_on, ascending=False)
        .order_by(Permit.id, ascending=False)
    )
    permits = await permits_out(permit_rows, today=today, settings=settings)
    current = next((p for p in permits if p.id == row["current_permit_id"]), None)
    return WorkerOut(
        **{k: v for k, v in row.items() if k not in {"employer", "name_folded"}},
        employer_id=row["employer"],
        nationality_name=nationality_name(row["nationality"], "en"),
        nationality_name_id=nationality_name(row["nationality"], "id"),
        status=current.status if current else "none",
        passports=[PassportOut(**{k: p[k] for k in PassportOut.model_fields}) for p in passports],
        permits=permits,
    )


async def update_worker(
    actor: Actor,
    worker_id: int,
    data: WorkerPatch,
    *,
    settings: Settings,
    today: date,
    now: datetime,
) -> WorkerOut:
    changes: dict[Any, Any] = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None and key != "employer_id":
            raise InvalidInput(key, "%(name)s cannot be emptied", name=key)
    if "date_of_birth" in changes:
        _check_past("date_of_birth", changes["date_of_birth"], today)
    if "regency" in changes:
        changes["regency"] = checked_regency(changes["regency"], settings)
    if "full_name" in changes:
        changes["name_folded"] = fold(changes["full_name"])
    async with write_transaction(Worker._meta.db):
        before = await _worker_row(actor, worker_id)
        if "employer_id" in changes:
            employer_id = changes.pop("employer_id")
            if actor.is_employer:
                raise InvalidInput("employer_id", "an employer cannot move a worker elsewhere")
            changes["employer"] = await _employer_for(actor, employer_id)
        if changes:
            await Worker.update({**changes, Worker.updated_at: now}).where(Worker.id == worker_id)
            details = {"before": {k: before[k] for k in changes}, "after": changes}
            await record(actor, "worker.update", "worker", worker_id, details)
    return await get_worker(actor, worker_id, settings=settings, today=today)


async def add_passport(
    actor: Actor,
    worker_id: int,
    data: PassportIn,
    *,
    settings: Settings,
    today: date,
    now: datetime,
) -> WorkerOut:
    """Record a renewed passport of the same person."""
    _check_past("issued_on", data.issued_on, today)
    async with write_transaction(Worker._meta.db):
        await _worker_row(actor, worker_id)
        await _unique_passport(data.number, data.issuing_country, actor)
        passport = _passport_values(data)
        rows = await Passport.insert(Passport(**passport, worker=worker_id, created_at=now))
        await Worker.update({Worker.updated_at: now}).where(Worker.id == worker_id)
        await record(
            actor, "passport.add", "passport", rows[0]["id"], {"worker": worker_id, **passport}
        )
    return await get_worker(actor, worker_id, settings=settings, today=today)
