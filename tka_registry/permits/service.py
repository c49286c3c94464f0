"""Issuing, renewing and revoking permits. A renewal supersedes; history is never overwritten."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from piccolo.query.methods.select import Select

from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import record
from tka_registry.choices import PERMIT_KINDS, UnknownChoice
from tka_registry.db import write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, InvalidInput, NotFound
from tka_registry.pagination import Page
from tka_registry.permits import events
from tka_registry.permits.current import refresh_current_permits
from tka_registry.permits.schemas import PermitIn, PermitOut, PermitRevocation, VisaIndexOut
from tka_registry.permits.state import HELD, state_of, status_condition
from tka_registry.permits.tables import Permit, VisaIndex
from tka_registry.rules import permits as rules
from tka_registry.settings import Settings
from tka_registry.workers.tables import UNDATED_LAST, Passport, Worker


def permit_out(
    row: dict[str, Any], *, today: date, settings: Settings, superseded_by: int | None
) -> PermitOut:
    """A permit row with its state derived on ``today`` (Asia/Jakarta)."""
    state = state_of(row, today=today, settings=settings)
    return PermitOut(
        id=row["id"],
        worker_id=row["worker"],
        kind=row["kind"],
        visa_index=row["visa_index"],
        number=row["number"],
        issued_on=row["issued_on"],
        valid_from=row["valid_from"],
        expires_on=row["expires_on"],
        employer_id=row["employer"],
        supersedes_id=row["supersedes"],
        superseded_by_id=superseded_by,
        status=state.status,
        days_to_expiry=state.days_to_expiry,
        overstay_days=state.overstay_days,
        overstay_fine_idr=state.fine_idr,
        faces_deportation=state.faces_deportation,
        revoked_on=row["revoked_on"],
        revocation_reason=row["revocation_reason"],
        register_number=row["register_number"],
        created_at=row["created_at"],
    )


async def permits_out(
    rows: list[dict[str, Any]], *, today: date, settings: Settings
) -> list[PermitOut]:
    """Rows as output, each with the id of the permit that superseded it."""
    ids = [row["id"] for row in rows]
    successors = (
        await Permit.select(Permit.id, Permit.supersedes).where(Permit.supersedes.is_in(ids))
        if ids
        else []
    )
    by_old = {s["supersedes"]: s["id"] for s in successors}
    return [
        permit_out(row, today=today, settings=settings, superseded_by=by_old.get(row["id"]))
        for row in rows
    ]


def _scoped(query: Select, actor: Actor) -> Select:
    if actor.is_employer:
        return query.where(Permit.worker.employer == actor.employer_id)
    return query


async def get_permit(actor: Actor, permit_id: int, *, today: date, settings: Settings) -> PermitOut:
    row = await _scoped(Permit.select(), actor).where(Permit.id == permit_id).first()
    if row is None:
        raise NotFound("id", f"no permit with id {permit_id}")
    return (await permits_out([row], today=today, settings=settings))[0]


async def _visa_index(code: str, kind: str) -> dict[str, Any]:
    index = await VisaIndex.select().where(VisaIndex.code == code.upper()).first()
    if index is None or not index["active"]:
        known = [
            r["code"]
            for r in await VisaIndex.select(VisaIndex.code).where(VisaIndex.active.eq(True))
        ]
        raise InvalidInput(
            "visa_index",
            'unknown visa index "%(code)s": one of %(known)s',
            code=code, known=", ".join(known),
        )  # fmt: skip
    if kind not in index["kinds"].split(","):
        raise InvalidInput(
            "kind",
            "index %(code)s carries %(kinds)s, not %(kind)s",
            code=index["code"], kinds=index["kinds"].replace(",", " or "), kind=kind,
        )  # fmt: skip
    return index


async def _sponsor(data: PermitIn, index: dict[str, Any], worker: dict[str, Any]) -> int | None:
    if not index["requires_sponsor"]:
        if data.employer_id is not None:
            raise InvalidInput(
                "employer_id",
                "index %(code)s has no sponsoring employer: leave it empty",
                code=index["code"],
            )
        return None
    employer_id = data.employer_id if data.employer_id is not None else worker["employer"]
    if employer_id is None:
        raise InvalidInput(
            "employer_id", "index %(code)s needs a sponsoring employer", code=index["code"]
        )
    if not await Employer.exists().where(Employer.id == employer_id):
        raise InvalidInput("employer_id", "no employer with id %(id)s", id=employer_id)
    return int(employer_id)


def span_of(row: dict[str, Any]) -> rules.PermitSpan:
    """A permit row as a span of its chain."""
    return rules.PermitSpan(row["kind"], row["visa_index"], row["valid_from"], row["expires_on"])


async def permit_chain(head_id: int | None) -> list[rules.PermitSpan]:
    """The worker's permits from the first to the current head, following ``supersedes``."""
    spans: list[rules.PermitSpan] = []
    while head_id is not None:
        row = await Permit.select().where(Permit.id == head_id).first()
        if row is None:
            break
        spans.insert(0, span_of(row))
        head_id = row["supersedes"]
    return spans


async def current_permit(worker_id: int) -> dict[str, Any] | None:
    """The worker's current permit row (the head of its chain), if any."""
    return await (
        Permit.select().where((Permit.worker == worker_id) & Permit.is_current.eq(True)).first()
    )


async def worker_chain(worker_id: int) -> tuple[list[rules.PermitSpan], dict[str, Any] | None]:
    """The worker's permits oldest first, and the current one's row: the one walk of a chain."""
    head = await current_permit(worker_id)
    return await permit_chain(head["id"] if head else None), head


def length_breaches(
    data: PermitIn, index: dict[str, Any], chain: list[rules.PermitSpan], settings: Settings
) -> list[rules.RuleBreach]:
    """What is wrong with the dates and length of a new permit after ``chain`` (its worker's
    permits so far, oldest first); the issue and the spreadsheet import both check it."""
    first_day = data.first_day
    breaches = rules.dates_breaches(first_day, data.expires_on)
    breaches += rules.continuity_breaches(chain[-1] if chain else None, first_day, data.issued_on)
    if breaches:
        return breaches
    if data.kind == rules.PermitKind.ITAP:
        return rules.itap_length_breaches(first_day, data.expires_on, settings.itap_validity_years)
    if data.kind == rules.PermitKind.ITAS:
        return rules.itas_total_breaches(
            earlier=rules.itas_tail(chain),
            valid_from=first_day,
            expires_on=data.expires_on,
            is_work_index=index["category"] == "work",
            itas_total_max_years=settings.itas_total_max_years,
            work_itas_total_max_years=settings.work_itas_total_max_years,
        )
    if data.kind == rules.PermitKind.ITK:
        return []  # shared/domain.md gives no length for a visit stay permit
    # An unknown kind is refused, never let through without a length check.
    problem = UnknownChoice.of_value(PERMIT_KINDS, data.kind)
    return [problem]


def _check_supersession(
    data: PermitIn, head: dict[str, Any] | None, today: date, settings: Settings
) -> None:
    if data.supersedes_id is not None and (head is None or head["id"] != data.supersedes_id):
        if head is None:
            raise Conflict(
                "supersedes_id",
                "permit %(permit)s is not the worker's current permit (it has no permit yet)",
                permit=data.supersedes_id,
            )
        raise Conflict(
            "supersedes_id",
            "permit %(permit)s is not the worker's current permit (its current permit is "
            "%(current)s)",
            permit=data.supersedes_id, current=head["id"],
        )  # fmt: skip
    # In force, or granted and about to begin: a new permit renews it.
    status = state_of(head, today=today, settings=settings).status if head else None
    if status in HELD and data.supersedes_id is None:
        assert head is not None
        raise Conflict(
            "supersedes_id",
            "the worker holds valid permit %(number)s (id %(id)s) until %(day)s: name it in "
            "supersedes_id to renew it",
            number=head["number"], id=head["id"], day=head["expires_on"].isoformat(),
        )  # fmt: skip


async def issue_permit(
    actor: Actor, data: PermitIn, *, today: date, settings: Settings, now: datetime
) -> PermitOut:
    """Issue a permit, superseding the worker's current one, in one transaction."""
    async with write_transaction(Permit._meta.db):
        # Touching the worker row first serialises concurrent issues for the same worker.
        await Worker.update({Worker.updated_at: now}).where(Worker.id == data.worker_id)
        worker = await Worker.select().where(Worker.id == data.worker_id).first()
        if worker is None:
            raise InvalidInput("worker_id", "no worker with id %(id)s", id=data.worker_id)
        index = await _visa_index(data.visa_index, data.kind)
        employer_id = await _sponsor(data, index, worker)
        chain, head = await worker_chain(worker["id"])
        _check_supersession(data, head, today, settings)
        problems = length_breaches(data, index, chain, settings)
        passport = (
            await Passport.select(Passport.number, Passport.expires_on)
            .where(Passport.worker == worker["id"])
            .order_by(UNDATED_LAST)
            .order_by(Passport.expires_on, ascending=False)
            .first()
        )
        if passport is None:
            raise InvalidInput("worker_id", "the worker has no passport on record")
        problems += rules.start_ahead_breaches(data.first_day, today)
        problems += rules.passport_cover_breaches(passport["expires_on"], data.expires_on)
        if problems:
            raise InvalidInput.of(problems)
        if await Permit.exists().where(Permit.number == data.number):
            raise Conflict(
                "number", "permit number %(number)s is on record already", number=data.number
            )
        if head is not None:
            await Permit.update({Permit.is_current: False}).where(Permit.id == head["id"])
        values = {
            "worker": worker["id"],
            "kind": data.kind.value,
            "visa_index": index["code"],
            "number": data.number,
            "issued_on": data.issued_on,
            "valid_from": data.first_day,
            "expires_on": data.expires_on,
            "employer": employer_id,
            "supersedes": head["id"] if head else None,
            "register_number": data.register_number,
        }
        rows = await Permit.insert(Permit(**values, is_current=True, created_at=now))
        permit_id = rows[0]["id"]
        await refresh_current_permits([worker["id"]])
        await record(actor, "permit.issue", "permit", permit_id, {"after": values})
    # Listeners (the document render) run once the issue has committed: inside a caller's
    # transaction, an approval's, after that one.
    await events.permit_issued(permit_id, settings=settings, now=now, actor=actor)
    return await get_permit(actor, permit_id, today=today, settings=settings)


async def revoke_permit(
    actor: Actor,
    permit_id: int,
    data: PermitRevocation,
    *,
    today: date,
    settings: Settings,
    with_case: bool = False,
) -> PermitOut:
    """Revoke a permit. A permit that another area holds (a Second Home principal's, revoked
    only by the case's revocation, which takes the dependants' permits with it) is revoked only
    ``with_case``: the areas say so through ``permits.events.on_revocation``."""
    async with write_transaction(Permit._meta.db):
        row = await Permit.select().where(Permit.id == permit_id).first()
        if row is None:
            raise NotFound("id", f"no permit with id {permit_id}")
        refusal = None if with_case else await events.revocation_refusal(permit_id)
        if refusal is not None:
            raise Conflict.of([refusal])
        if row["revoked_on"] is not None:
            raise Conflict(
                "revoked_on",
                "permit was revoked on %(day)s",
                day=row["revoked_on"].isoformat(),
            )
        if data.revoked_on > today:
            # The worker's copy counts a revoked permit out at once (permits.current).
            raise InvalidInput(
                "revoked_on",
                "a revocation takes effect on or before today (%(today)s), not %(day)s",
                today=today.isoformat(), day=data.revoked_on.isoformat(),
            )  # fmt: skip
        if data.revoked_on < row["issued_on"]:
            raise InvalidInput(
                "revoked_on",
                "a permit cannot be revoked before its issue %(day)s",
                day=row["issued_on"].isoformat(),
            )
        await Permit.update(
            {Permit.revoked_on: data.revoked_on, Permit.revocation_reason: data.revocation_reason}
        ).where(Permit.id == permit_id)
        await refresh_current_permits([row["worker"]])
        await record(actor, "permit.revoke", "permit", permit_id, data.model_dump(mode="json"))
    return await get_permit(actor, permit_id, today=today, settings=settings)


async def list_permits(
    actor: Actor,
    *,
    worker_id: int | None,
    employer_id: int | None,
    status: str | None,
    kind: str | None,
    visa_index: str | None,
    limit: int,
    offset: int,
    today: date,
    settings: Settings,
) -> Page[PermitOut]:
    clauses: list[str] = ["1 = 1"]
    arguments: list[Any] = []
    if actor.is_employer:
        clauses.append("w.employer = {}")
        arguments.append(actor.employer_id)
    for column, value in (("p.worker", worker_id), ("p.employer", employer_id), ("p.kind", kind)):
        if value is not None:
            clauses.append(f"{column} = {{}}")
            arguments.append(value)
    if visa_index is not None:
        clauses.append("p.visa_index = {}")
        arguments.append(visa_index.upper())
    if status is not None:
        condition = status_condition(status, today, settings.extension_window_days)
        clauses.append(condition.text)
        arguments.extend(condition.arguments)
    where = " AND ".join(clauses)
    base = f"FROM permit p JOIN worker w ON w.id = p.worker WHERE {where}"
    # Clauses are constants of this module; every value travels as a parameter.
    total = (await Permit.raw(f"SELECT count(*) AS n {base}", *arguments))[0]["n"]
    rows = await Permit.raw(
        f"SELECT p.* {base} ORDER BY p.expires_on, p.id LIMIT {{}} OFFSET {{}}",
        *arguments,
        limit,
        offset,
    )
    items = await permits_out(rows, today=today, settings=settings)
    return Page[PermitOut](items=items, total=total, limit=limit, offset=offset)


async def visa_index_names() -> dict[str, tuple[str, str]]:
    """Each visa index's (Indonesian, English) name by code, as pages name a permit."""
    rows = await VisaIndex.select(VisaIndex.code, VisaIndex.name_id, VisaIndex.name_en)
    return {row["code"]: (row["name_id"], row["name_en"]) for row in rows}


async def list_visa_indexes() -> list[VisaIndexOut]:
    rows = await VisaIndex.select().order_by(VisaIndex.code)
    return [VisaIndexOut(**{**row, "kinds": row["kinds"].split(",")}) for row in rows]
