"""Entering, reading and listing Second Home cases; each person is a worker with no employer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.applications import tracking
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.errors import Conflict, DomainError, FieldProblem, InvalidInput, NotFound
from tka_registry.pagination import Page
from tka_registry.rules import second_home as rules
from tka_registry.rules.calendar import jakarta_today
from tka_registry.rules.nationality import fold
from tka_registry.second_home import facts as read
from tka_registry.second_home.conflicts import case_conflicts
from tka_registry.second_home.schemas import (
    OPEN_STATUSES,
    CaseIn,
    CaseOut,
    CasePatch,
    CaseStatus,
    CaseSummary,
    DependantIn,
    DependantOut,
    PersonIn,
    PersonOut,
    RupiahAmount,
    TrackOut,
)
from tka_registry.second_home.tables import SecondHomeCase, SecondHomeDependant
from tka_registry.settings import Settings
from tka_registry.workers.schemas import WorkerIn, checked_passport_number
from tka_registry.workers.service import FUTURE_DAY as PERSON_FUTURE_DAY
from tka_registry.workers.service import create_worker
from tka_registry.workers.tables import Passport

# The position of a Second Home person in the worker register: they hold no job.
SECOND_HOME_POSITION = "Second Home"
# Statuses in which a person belongs to a case: no one is in two such cases at once.
LIVE_STATUSES = (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.APPROVED)


def register_number(year: int, case_id: int) -> str:
    """``RK-PLB-2026-000012``: Rumah Kedua, Palembang, year of registration, case id."""
    return f"RK-PLB-{year}-{case_id:06d}"


def parse_funds(value: RupiahAmount | None) -> int | None:
    """Whole rupiah from the typed amount; negative, non-numeric or absurd is a field error,
    worded in English and Indonesian (``message_id``) as the rule words it."""
    if value is None:
        return None
    try:
        return rules.parse_rupiah(str(value))
    except rules.InvalidAmount as invalid:
        problem = FieldProblem("funds_idr", invalid.message_en, message_id=invalid.message_id)
        raise InvalidInput.of([problem]) from None


# Refusals of a day in the future, by field (catalogue ids): a person's as the worker register's.
FUTURE_DAY = {
    **PERSON_FUTURE_DAY,
    "application_date": "application date %(day)s is in the future",
}


def _check_past(field: str, day: date, today: date, *, prefix: str = "") -> None:
    if day > today:
        where = f"{prefix}.{field}" if prefix else field
        raise InvalidInput(where, FUTURE_DAY[field], day=day.isoformat())


async def _person(
    actor: Actor, data: PersonIn, prefix: str, *, settings: Settings, today: date, now: datetime
) -> int:
    """The worker id of this person: a passport on record links them, else a new worker."""
    _check_past("date_of_birth", data.date_of_birth, today, prefix=prefix)
    _check_past("passport.issued_on", data.passport.issued_on, today, prefix=prefix)
    known = (
        await Passport.select(Passport.worker)
        .where(
            (Passport.number == data.passport.number)
            & (Passport.issuing_country == data.passport.issuing_country)
        )
        .first()
    )
    if known is not None:
        return int(known["worker"])
    body = data.model_dump(exclude={"relation"})
    worker_in = WorkerIn(**body, position=SECOND_HOME_POSITION, employer_id=None)
    try:
        worker = await create_worker(actor, worker_in, settings=settings, today=today, now=now)
    except DomainError as error:
        raise error.refiled(lambda field: f"{prefix}.{field}") from None
    return worker.id


async def _check_not_in_other_case(worker_id: int, case_id: int | None, field: str) -> None:
    """A person belongs to at most one live case (as principal or dependant)."""
    as_principal = SecondHomeCase.select(SecondHomeCase.register_number).where(
        (SecondHomeCase.principal == worker_id) & SecondHomeCase.status.is_in(list(LIVE_STATUSES))
    )
    as_dependant = SecondHomeDependant.select(
        SecondHomeDependant.second_home_case.register_number
    ).where(
        (SecondHomeDependant.worker == worker_id)
        & SecondHomeDependant.second_home_case.status.is_in(list(LIVE_STATUSES))
    )
    if case_id is not None:
        as_principal = as_principal.where(SecondHomeCase.id != case_id)
        as_dependant = as_dependant.where(SecondHomeDependant.second_home_case != case_id)
    for query in (as_principal, as_dependant):
        clash = await query.first()
        if clash is not None:
            number = clash.get("register_number") or clash.get("second_home_case.register_number")
            raise Conflict(
                field, "this person is already in Second Home case %(case)s", case=number
            )


async def _add_dependant(
    actor: Actor,
    case_id: int,
    principal_id: int,
    data: DependantIn,
    prefix: str,
    *,
    settings: Settings,
    today: date,
    now: datetime,
) -> None:
    worker_id = await _person(actor, data, prefix, settings=settings, today=today, now=now)
    on_case = await SecondHomeDependant.exists().where(
        (SecondHomeDependant.second_home_case == case_id)
        & (SecondHomeDependant.worker == worker_id)
    )
    if worker_id == principal_id or on_case:
        raise InvalidInput(f"{prefix}.passport", "this person is already on the case")
    await _check_not_in_other_case(worker_id, case_id, f"{prefix}.passport")
    # Relation kept canonical when known; otherwise as given, and its rule shows it unmet.
    relation = rules.canonical_relation(data.relation) or data.relation
    await SecondHomeDependant.insert(
        SecondHomeDependant(
            second_home_case=case_id, worker=worker_id, relation=relation, created_at=now
        )
    )


async def create_case(
    actor: Actor, data: CaseIn, *, settings: Settings, today: date, now: datetime
) -> CaseOut:
    """Enter a case as a draft (or submitted): it may fail rules; approval checks them."""
    funds = parse_funds(data.funds_idr)
    _check_past("application_date", data.application_date, today)
    async with write_transaction(SecondHomeCase._meta.db):
        principal_id = await _person(
            actor, data.principal, "principal", settings=settings, today=today, now=now
        )
        await _check_not_in_other_case(principal_id, None, "principal.passport")
        values: dict[str, Any] = {
            "principal": principal_id,
            "application_date": data.application_date,
            "stay_years": data.stay_years,
            "funds_idr": funds,
            "bank": data.bank,
            "owns_property": data.owns_property,
            "property_description": data.property_description,
            "status": CaseStatus.SUBMITTED if data.submit else CaseStatus.DRAFT,
        }
        placeholder = f"PENDING-{uuid.uuid4().hex[:30]}"
        rows = await SecondHomeCase.insert(
            SecondHomeCase(**values, register_number=placeholder, created_at=now, updated_at=now)
        )
        case_id = rows[0]["id"]
        number = register_number(today.year, case_id)
        await SecondHomeCase.update({SecondHomeCase.register_number: number}).where(
            SecondHomeCase.id == case_id
        )
        for index, dependant in enumerate(data.dependants):
            await _add_dependant(
                actor, case_id, principal_id, dependant, f"dependants[{index}]",
                settings=settings, today=today, now=now,
            )  # fmt: skip
        details = {"after": {**values, "register_number": number}}
        await record(actor, "second_home.create", "second_home_case", case_id, details)
    return await get_case(case_id, settings=settings, today=today)


async def update_case(
    actor: Actor, case_id: int, data: CasePatch, *, settings: Settings, today: date, now: datetime
) -> CaseOut:
    """Change an open (draft or submitted) case."""
    changes: dict[Any, Any] = data.model_dump(
        exclude_unset=True, exclude={"add_dependants", "remove_dependant_ids", "submit"}
    )
    for key in ("application_date", "stay_years", "owns_property"):
        if key in changes and changes[key] is None:
            raise InvalidInput(key, "%(name)s cannot be emptied", name=key)
    if changes.get("application_date"):
        _check_past("application_date", changes["application_date"], today)
    if "funds_idr" in changes:
        changes["funds_idr"] = parse_funds(data.funds_idr)
    async with write_transaction(SecondHomeCase._meta.db):
        before = await open_case_row(case_id, now)
        if data.submit:
            changes["status"] = CaseStatus.SUBMITTED
        if changes:
            await SecondHomeCase.update(changes).where(SecondHomeCase.id == case_id)
        for dependant_id in data.remove_dependant_ids:
            removed = (
                await SecondHomeDependant.delete()
                .where(
                    (SecondHomeDependant.id == dependant_id)
                    & (SecondHomeDependant.second_home_case == case_id)
                )
                .returning(SecondHomeDependant.id)
            )
            if not removed:
                raise InvalidInput(
                    "remove_dependant_ids", "no dependant %(id)s here", id=dependant_id
                )
        for index, dependant in enumerate(data.add_dependants):
            await _add_dependant(
                actor, case_id, before["principal"], dependant, f"add_dependants[{index}]",
                settings=settings, today=today, now=now,
            )  # fmt: skip
        details = {
            "before": {k: before[k] for k in changes},
            "after": changes,
            "removed_dependants": data.remove_dependant_ids,
            "added_dependants": len(data.add_dependants),
        }
        await record(actor, "second_home.update", "second_home_case", case_id, details)
    return await get_case(case_id, settings=settings, today=today)


async def open_case_row(case_id: int, now: datetime) -> dict[str, Any]:
    """The case row, locked for this transaction; refused unless still open."""
    # Touching the row first serialises concurrent changes to the same case.
    await SecondHomeCase.update({SecondHomeCase.updated_at: now}).where(
        SecondHomeCase.id == case_id
    )
    row = await SecondHomeCase.select().where(SecondHomeCase.id == case_id).first()
    if row is None:
        raise NotFound("id", f"no Second Home case with id {case_id}")
    if row["status"] not in OPEN_STATUSES:
        raise Conflict(
            "status", "the case is %(status)s: it can no longer be changed", status=row["status"]
        )
    return row


async def get_case(case_id: int, *, settings: Settings, today: date) -> CaseOut:
    """A case with every rule as met or not met, its permits, deadline and conflicts."""
    facts = await read.load_case(case_id)
    row = facts.row
    outcomes = read.outcomes(facts, settings)
    failed = rules.unmet(outcomes)
    dependants = [
        DependantOut(
            **await read.person_out(d.person, d.row["permit_id"], today, settings),
            id=d.row["id"],
            relation=d.row["relation"],
        )
        for d in facts.dependants
    ]
    principal = PersonOut(
        **await read.person_out(facts.principal, row["principal_permit_id"], today, settings)
    )
    return CaseOut(
        **{k: row[k] for k in CASE_FIELDS},
        principal=principal,
        dependants=dependants,
        rules=[read.outcome_out(o, settings.language) for o in outcomes],
        eligible=not failed,
        unmet_rules=[f"{o.rule_id}: {o.subject}" for o in failed],
        approval_letter_sha256=row["letter_sha256"],
        proof=read.proof_out(row, today, settings),
        conflicts=await case_conflicts(facts, today),
    )


CASE_FIELDS = (
    "id",
    "register_number",
    "status",
    "application_date",
    "stay_years",
    "funds_idr",
    "bank",
    "owns_property",
    "property_description",
    "decided_on",
    "decided_by",
    "decision_reason",
    "revoked_on",
    "revocation_reason",
    "created_at",
    "updated_at",
)


def summary(row: dict[str, Any], today: date, settings: Settings) -> CaseSummary:
    proof = read.proof_out(row, today, settings)
    return CaseSummary(
        id=row["id"],
        register_number=row["register_number"],
        status=row["status"],
        application_date=row["application_date"],
        stay_years=row["stay_years"],
        principal_name=row["principal.full_name"],
        principal_worker_id=row["principal"],
        dependants=row["dependants"],
        proof_deadline=proof.deadline,
        proof_days_left=proof.days_left,
        proof_lodged_on=proof.lodged_on,
    )


async def list_cases(
    *,
    status: str | None,
    q: str | None,
    limit: int,
    offset: int,
    today: date,
    settings: Settings,
) -> Page[CaseSummary]:
    """Cases newest first, by status and by a part of the principal's name."""
    query = SecondHomeCase.select(*SecondHomeCase.all_columns(), SecondHomeCase.principal.full_name)
    count = SecondHomeCase.count()
    if status is not None:
        query = query.where(SecondHomeCase.status == status)
        count = count.where(SecondHomeCase.status == status)
    if q:
        name = SecondHomeCase.principal.name_folded.like(f"%{fold(q)}%")
        query = query.where(name)
        count = count.where(name)
    rows = await query.order_by(SecondHomeCase.id, ascending=False).limit(limit).offset(offset)
    await count_dependants(rows)
    items = [summary(row, today, settings) for row in rows]
    return Page[CaseSummary](items=items, total=await count, limit=limit, offset=offset)


async def count_dependants(rows: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in rows]
    linked = (
        await SecondHomeDependant.select(SecondHomeDependant.second_home_case).where(
            SecondHomeDependant.second_home_case.is_in(ids)
        )
        if ids
        else []
    )
    for row in rows:
        row["dependants"] = sum(1 for d in linked if d["second_home_case"] == row["id"])


async def track_second_home(
    register_number: str, passport_number: str, *, proof_days: int
) -> TrackOut | None:
    """The status of a case, its day and the next step, for whoever holds its register number
    and one of its passports (``proof_days``: days after approval to lodge the proof).

    Answers None for a wrong pair, whichever half is wrong (the public learns nothing more).
    """
    try:
        passport = checked_passport_number(passport_number)
    except ValueError:
        return None
    row = (
        await SecondHomeCase.select()
        .where(SecondHomeCase.register_number == register_number.strip().upper())
        .first()
    )
    if row is None:
        return None
    people = [row["principal"]] + [
        d["worker"]
        for d in await SecondHomeDependant.select(SecondHomeDependant.worker).where(
            SecondHomeDependant.second_home_case == row["id"]
        )
    ]
    if not await Passport.exists().where(
        (Passport.number == passport) & Passport.worker.is_in(people)
    ):
        return None
    status = CaseStatus(row["status"])
    # The day of the last change: the revocation, else the decision, else the last edit.
    changed_on = row["revoked_on"] if status == CaseStatus.REVOKED else row["decided_on"]
    decided_on = row["decided_on"]
    answer = tracking.second_home_answer(
        row["register_number"],
        status.value,
        changed_on or jakarta_today(row["updated_at"]),
        proof_deadline=rules.proof_deadline(decided_on, proof_days) if decided_on else None,
        proof_lodged_on=row["proof_lodged_on"],
    )
    return TrackOut(**answer.model_dump(), status_label=answer.status_label_id)
