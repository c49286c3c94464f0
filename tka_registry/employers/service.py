"""Employers: create, read, update, list. An employer account sees only its own employer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from stdnum.id import npwp as npwp_number

from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.employers.schemas import EmployerIn, EmployerOut, EmployerPatch
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, InvalidInput, NotFound
from tka_registry.pagination import Page
from tka_registry.rules.completeness import missing_fields
from tka_registry.rules.nationality import fold
from tka_registry.rules.regions import official_regency
from tka_registry.settings import Settings


def checked_regency(text: str, settings: Settings) -> str:
    regency = official_regency(text, settings.regencies)
    if regency is None:
        known = "; ".join(settings.regencies)
        raise InvalidInput(
            "regency",
            "\"%(regency)s\" is not in the office's working area: one of %(known)s",
            regency=text, known=known,
        )  # fmt: skip
    return regency


def employer_out(row: dict[str, Any]) -> EmployerOut:
    formatted = npwp_number.format(row["npwp"]) if row["npwp"] else None
    missing = missing_fields("employer", row)
    return EmployerOut(**row, npwp_formatted=formatted, missing=missing)


async def _unique_numbers(nib: str | None, npwp: str | None, exclude_id: int | None) -> None:
    for column, value, label in ((Employer.nib, nib, "NIB"), (Employer.npwp, npwp, "NPWP")):
        if value is None:
            continue
        query = Employer.select(Employer.id).where(column == value)
        if exclude_id is not None:
            query = query.where(Employer.id != exclude_id)
        clash = await query.first()
        if clash:
            raise Conflict(
                column._meta.name,
                "%(number)s %(value)s belongs to employer %(employer)s already",
                number=label, value=value, employer=clash["id"],
            )  # fmt: skip


async def create_employer(
    actor: Actor, data: EmployerIn, *, settings: Settings, now: datetime
) -> EmployerOut:
    values = data.model_dump()
    values["regency"] = checked_regency(data.regency, settings)
    async with write_transaction(Employer._meta.db):
        await _unique_numbers(data.nib, data.npwp, None)
        rows = await Employer.insert(Employer(**values, created_at=now, updated_at=now))
        employer_id = rows[0]["id"]
        await record(actor, "employer.create", "employer", employer_id, {"after": values})
    return await get_employer(actor, employer_id)


async def get_employer(actor: Actor, employer_id: int) -> EmployerOut:
    if actor.is_employer and actor.employer_id != employer_id:
        raise NotFound("id", f"no employer with id {employer_id}")
    row = await Employer.select().where(Employer.id == employer_id).first()
    if row is None:
        raise NotFound("id", f"no employer with id {employer_id}")
    return employer_out(row)


async def update_employer(
    actor: Actor, employer_id: int, data: EmployerPatch, *, settings: Settings, now: datetime
) -> EmployerOut:
    changes: dict[Any, Any] = data.model_dump(exclude_unset=True)
    if changes.get("regency") is not None:
        changes["regency"] = checked_regency(changes["regency"], settings)
    for key, value in changes.items():
        if value is None:
            raise InvalidInput(key, "%(name)s cannot be emptied", name=key)
    async with write_transaction(Employer._meta.db):
        before = (await get_employer(actor, employer_id)).model_dump(mode="json")
        await _unique_numbers(changes.get("nib"), changes.get("npwp"), employer_id)
        if changes:
            await Employer.update({**changes, Employer.updated_at: now}).where(
                Employer.id == employer_id
            )
            before_changed = {key: before[key] for key in changes}
            details = {"before": before_changed, "after": changes}
            await record(actor, "employer.update", "employer", employer_id, details)
    return await get_employer(actor, employer_id)


async def list_employers(
    actor: Actor, *, q: str | None, regency: str | None, limit: int, offset: int
) -> Page[EmployerOut]:
    query = Employer.select()
    count = Employer.count()
    conditions = []
    if actor.is_employer:
        conditions.append(Employer.id == actor.employer_id)
    if regency:
        conditions.append(Employer.regency == regency)
    if q:
        conditions.append(Employer.name.ilike(f"%{fold(q)}%"))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.order_by(Employer.name).order_by(Employer.id).limit(limit).offset(offset)
    return Page[EmployerOut](
        items=[employer_out(row) for row in rows], total=await count, limit=limit, offset=offset
    )


async def employer_choices() -> list[tuple[str, str]]:
    """Every employer as (id, name), by name: the options of an employer filter."""
    rows = await Employer.select(Employer.id, Employer.name).order_by(Employer.name)
    return [(str(row["id"]), row["name"]) for row in rows]
