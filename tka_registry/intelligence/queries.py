"""The intelligence section's queries: the filtered list, a person's history and the overstays.

They reuse the worker list's SQL (:mod:`tka_registry.workers.queries`: ``FROM`` and
``where_clause``) so a filter means the same thing in every list of the registry.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.applications.queries import DEPARTED
from tka_registry.audit.tables import AuditEntry
from tka_registry.employers.tables import Employer
from tka_registry.errors import InvalidInput
from tka_registry.intelligence.schemas import (
    EmployerChange,
    EmployerPeriod,
    IntelligenceRow,
    Overstay,
    PersonHistory,
    RowPermit,
)
from tka_registry.pagination import Page
from tka_registry.permits.state import PermitStatus, state_of, status_condition
from tka_registry.rules.nationality import nationality_name
from tka_registry.settings import Settings
from tka_registry.workers.queries import (
    FROM,
    STAY_FROM,
    WorkerFilters,
    from_clause,
    where_clause,
)
from tka_registry.workers.service import get_worker
from tka_registry.workers.tables import Worker

HISTORY_URL = "/api/v1/intelligence/workers/{}"

# Sort keys the list accepts (a leading "-" sorts descending); the SQL is fixed here, never
# taken from the request. Each ends on w.id so pages never overlap.
SORTS = {
    "name": ("w.name_folded", "w.id"),
    "nationality": ("w.nationality", "w.name_folded", "w.id"),
    "regency": ("w.regency", "w.name_folded", "w.id"),
    "employer": ("e.name", "w.name_folded", "w.id"),
    "expires_on": ("p.expires_on", "w.id"),
    "issued_on": ("p.issued_on", "w.id"),
    "id": ("w.id",),
}

ROW_COLUMNS = (
    "w.id, w.full_name, w.sex, w.date_of_birth, w.nationality, w.regency, w.position,"  # noqa: S608
    " w.employer, e.name AS employer_name, e.sector AS employer_sector,"
    " p.id AS permit_id, p.number AS permit_number, p.kind AS permit_kind,"
    " p.visa_index AS permit_visa_index, p.issued_on AS permit_issued_on,"
    " p.valid_from AS permit_valid_from, p.expires_on AS permit_expires_on,"
    " p.revoked_on AS permit_revoked_on, p.is_current AS permit_is_current,"
    f" {STAY_FROM} AS stay_from,"
    " (SELECT pp.number FROM passport pp WHERE pp.worker = w.id"
    "  ORDER BY pp.issued_on DESC, pp.id DESC LIMIT 1) AS passport_number"
)


@functools.cache
def country_names(code: str) -> tuple[str, str]:
    """(English, Indonesian) name of a nationality code, looked up once per code: an export
    names the same few countries a hundred thousand times."""
    return nationality_name(code, "en"), nationality_name(code, "id")


def order_by(sort: str) -> str:
    """The ORDER BY of a whitelisted sort key; raises InvalidInput (422) for any other."""
    descending = sort.startswith("-")
    columns = SORTS.get(sort.removeprefix("-"))
    if columns is None:
        raise InvalidInput("sort", f'unknown sort "{sort}": one of {", ".join(SORTS)}')
    direction = " DESC" if descending else ""
    return ", ".join(f"{column}{direction}" for column in columns)


def row_out(row: dict[str, Any], today: date, settings: Settings) -> IntelligenceRow:
    permit = None
    if row["permit_id"] is not None:
        state = state_of(
            row, today=today, settings=settings, prefix="permit_", stay_from=row["stay_from"]
        )
        permit = RowPermit(
            id=row["permit_id"],
            number=row["permit_number"],
            kind=row["permit_kind"],
            visa_index=row["permit_visa_index"],
            issued_on=row["permit_issued_on"],
            valid_from=row["permit_valid_from"],
            expires_on=row["permit_expires_on"],
            status=state.status,
            overstay_days=state.overstay_days,
        )
    return IntelligenceRow(
        id=row["id"],
        full_name=row["full_name"],
        sex=row["sex"],
        date_of_birth=row["date_of_birth"],
        nationality=row["nationality"],
        nationality_name=country_names(row["nationality"])[0],
        nationality_name_id=country_names(row["nationality"])[1],
        regency=row["regency"],
        position=row["position"],
        employer_id=row["employer"],
        employer_name=row["employer_name"],
        sector=row["employer_sector"],
        passport_number=row["passport_number"],
        current_permit=permit,
        history_url=HISTORY_URL.format(row["id"]),
    )


async def search(
    actor: Actor,
    filters: WorkerFilters,
    *,
    sort: str,
    limit: int,
    offset: int,
    today: date,
    settings: Settings,
) -> Page[IntelligenceRow]:
    """One page of the workers matching ``filters``, in the order of ``sort``."""
    order = order_by(sort)
    where, arguments = where_clause(actor, filters, today=today, settings=settings)
    # Clauses and ORDER BY are constants of this package; every value travels as a parameter.
    count_sql = f"SELECT count(*) AS n {from_clause(where)} WHERE {where}"
    total = (await Worker.raw(count_sql, *arguments))[0]["n"]
    rows = await Worker.raw(
        f"SELECT {ROW_COLUMNS} {FROM} WHERE {where} ORDER BY {order} LIMIT {{}} OFFSET {{}}",
        *arguments,
        limit,
        offset,
    )
    items = [row_out(row, today, settings) for row in rows]
    return Page[IntelligenceRow](items=items, total=total, limit=limit, offset=offset)


async def export_batches(
    actor: Actor,
    filters: WorkerFilters,
    *,
    today: date,
    settings: Settings,
    batch_size: int = 2000,
) -> AsyncIterator[list[IntelligenceRow]]:
    """Every matching worker in batches ordered by id, each fetched after the last id seen
    (keyset paging), so memory stays flat whatever the number of rows."""
    where, arguments = where_clause(actor, filters, today=today, settings=settings)
    after = 0
    while True:
        rows = await Worker.raw(
            f"SELECT {ROW_COLUMNS} {FROM} WHERE {where} AND w.id > {{}} ORDER BY w.id LIMIT {{}}",
            *arguments,
            after,
            batch_size,
        )
        if not rows:
            return
        yield [row_out(row, today, settings) for row in rows]
        if len(rows) < batch_size:
            return
        after = rows[-1]["id"]


async def overstays(
    actor: Actor,
    filters: WorkerFilters,
    *,
    limit: int,
    offset: int,
    today: date,
    settings: Settings,
) -> Page[Overstay]:
    """Workers whose current permit (no successor) has expired, not been revoked and not been
    followed by a departure report; longest overstay first, so everyone past the deportation
    threshold leads the list."""
    where, arguments = where_clause(actor, filters, today=today, settings=settings)
    # Expired (permits.state), and no approved departure report since the permit began: the
    # same departure rule the expiry alerts use.
    expired = status_condition(PermitStatus.EXPIRED, today, settings.extension_window_days)
    condition = f"{where} AND {expired.text} AND NOT {DEPARTED}"
    arguments = [*arguments, *expired.arguments]
    count_sql = f"SELECT count(*) AS n {from_clause(condition)} WHERE {condition}"
    total = (await Worker.raw(count_sql, *arguments))[0]
    rows = await Worker.raw(
        "SELECT w.id, w.full_name, w.nationality, w.regency, w.employer,"
        " e.name AS employer_name, p.id AS permit_id, p.number, p.kind, p.visa_index,"
        " p.valid_from, p.expires_on, p.revoked_on, p.is_current"
        f" {FROM} WHERE {condition} ORDER BY p.expires_on, w.id"
        " LIMIT {} OFFSET {}",
        *arguments,
        limit,
        offset,
    )
    items = [_overstay(row, today, settings) for row in rows]
    return Page[Overstay](items=items, total=total["n"], limit=limit, offset=offset)


def _overstay(row: dict[str, Any], today: date, settings: Settings) -> Overstay:
    state = state_of(row, today=today, settings=settings)
    return Overstay(
        worker_id=row["id"],
        full_name=row["full_name"],
        nationality=row["nationality"],
        nationality_name=country_names(row["nationality"])[0],
        regency=row["regency"],
        employer_id=row["employer"],
        employer_name=row["employer_name"],
        permit_id=row["permit_id"],
        permit_number=row["number"],
        kind=row["kind"],
        visa_index=row["visa_index"],
        expires_on=row["expires_on"],
        overstay_days=state.overstay_days,
        fine_idr=state.fine_idr,
        faces_deportation=state.faces_deportation,
        history_url=HISTORY_URL.format(row["id"]),
    )


async def person(actor: Actor, worker_id: int, *, today: date, settings: Settings) -> PersonHistory:
    """A person's whole record: passports, permits, and employers over time."""
    worker = await get_worker(actor, worker_id, settings=settings, today=today)
    ids = {p.employer_id for p in worker.permits if p.employer_id is not None}
    names = {
        row["id"]: row["name"]
        for row in (
            await Employer.select(Employer.id, Employer.name).where(Employer.id.is_in(list(ids)))
            if ids
            else []
        )
    }
    periods = [
        EmployerPeriod(
            employer_id=p.employer_id,
            employer_name=names.get(p.employer_id) if p.employer_id else None,
            permit_id=p.id,
            permit_number=p.number,
            from_on=p.valid_from,
            until_on=min(p.expires_on, p.revoked_on) if p.revoked_on else p.expires_on,
        )
        for p in sorted(worker.permits, key=lambda p: (p.valid_from, p.id))
    ]
    return PersonHistory(
        worker=worker,
        employer_periods=periods,
        employer_changes=await employer_changes(worker_id),
    )


async def employer_changes(worker_id: int) -> list[EmployerChange]:
    """Sponsors written on the worker's record, oldest first, from the audit log."""
    entries = (
        await AuditEntry.select(AuditEntry.at, AuditEntry.actor, AuditEntry.details)
        .where(
            (AuditEntry.object_type == "worker")
            & (AuditEntry.object_id == str(worker_id))
            & AuditEntry.action.is_in(["worker.create", "worker.update"])
        )
        .order_by(AuditEntry.sequence)
    )
    changes: list[EmployerChange] = []
    for entry in entries:
        details = json.loads(entry["details"])
        after, before = details.get("after", {}), details.get("before", {})
        if "employer" not in after:
            continue
        changes.append(
            EmployerChange(
                at=entry["at"],
                actor=entry["actor"],
                before_employer_id=before.get("employer"),
                after_employer_id=after["employer"],
            )
        )
    return changes
