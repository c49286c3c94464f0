"""The filtered worker list: one SQL statement for the page and one for the count.

Written as SQL with ``{}`` placeholders (Piccolo's raw queries fill them per engine) because
the filters join the worker's current permit, which the query builder cannot express.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.errors import InvalidInput
from tka_registry.pagination import Page
from tka_registry.permits.state import (
    PermitStatus,
    list_standing,
    status_condition,
    worker_valid_on,
)
from tka_registry.raw_reads import Row, fetch_rows
from tka_registry.rules.nationality import (
    UnknownNationality,
    canonical_nationality,
    nationality_name,
)
from tka_registry.settings import Settings
from tka_registry.workers.schemas import CurrentPermit, WorkerSummary
from tka_registry.workers.search import search_clause
from tka_registry.workers.tables import Worker

# The first day of the worker's unbroken stay (permits.current keeps it;
# permits.state.coverage_from).
STAY_FROM = "w.permit_valid_from"
# Built once: ``Page[WorkerSummary]`` looks the generic up in pydantic's cache on every use.
WORKER_PAGE = Page[WorkerSummary]
# Statuses of the worker's current permit (permits.state), "valid" for active or expiring (in
# force: the same count as every statistic), and "none" for a worker without a permit.
VALID = "valid"
NONE = "none"
WORKER_STATUSES = (
    VALID,
    PermitStatus.NOT_YET_VALID.value,
    PermitStatus.ACTIVE.value,
    PermitStatus.EXPIRING.value,
    PermitStatus.EXPIRED.value,
    PermitStatus.REVOKED.value,
    NONE,
)


@dataclass(frozen=True)
class WorkerFilters:
    """Filters of the worker list; every field is optional and they combine with AND."""

    nationalities: tuple[str, ...] = ()
    employer_id: int | None = None
    regency: str | None = None
    sector: str | None = None
    position: str | None = None
    status: str | None = None
    expires_within_days: int | None = None
    q: str | None = None
    # Permit filters of the intelligence queries, on the worker's current permit.
    kind: str | None = None
    visa_indexes: tuple[str, ...] = ()
    issued_from: date | None = None
    issued_to: date | None = None
    expires_from: date | None = None
    expires_to: date | None = None


def checked_nationalities(text: str | None) -> tuple[str, ...]:
    """Comma-separated nationalities (codes or English/Indonesian names) as canonical codes."""
    if not text:
        return ()
    codes: list[str] = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            code = canonical_nationality(part)
        except UnknownNationality as unknown:
            raise InvalidInput("nationality", f"{unknown}: not a country or ICAO code") from None
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where_clause(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> tuple[str, list[Any]]:
    """The WHERE of the list over ``worker w LEFT JOIN permit p (current) LEFT JOIN employer e``."""
    clauses: list[str] = []
    arguments: list[Any] = []

    def add(clause: str, *values: Any) -> None:
        clauses.append(clause)
        arguments.extend(values)

    if actor.is_employer:
        add("w.employer = {}", actor.employer_id)
    if filters.nationalities:
        marks = ", ".join("{}" for _ in filters.nationalities)
        add(f"w.nationality IN ({marks})", *filters.nationalities)
    if filters.employer_id is not None:
        add("w.employer = {}", filters.employer_id)
    if filters.regency:
        add("w.regency = {}", filters.regency)
    if filters.sector:
        add("e.sector = {}", filters.sector)
    if filters.position:
        add("lower(w.position) LIKE {} ESCAPE '\\'", _like(filters.position.lower()))
    if filters.status == NONE:
        add("p.id IS NULL")
    elif filters.status == VALID:
        valid = worker_valid_on(today)  # the worker's copy: no join needed to count
        add(valid.text, *valid.arguments)
    elif filters.status:
        # The worker's standing: the current permit, the stay counted from the copy's first day.
        condition = status_condition(
            filters.status, today, settings.extension_window_days, valid_from=STAY_FROM
        )
        add(condition.text, *condition.arguments)
    if filters.expires_within_days is not None:
        edge = date.fromordinal(today.toordinal() + filters.expires_within_days)
        valid = worker_valid_on(today)
        add(f"{valid.text} AND w.permit_valid_until <= {{}}", *valid.arguments, edge)
    if filters.q:
        clause, values = search_clause(filters.q)
        add(clause, *values)
    _permit_clauses(filters, add)
    return (" AND ".join(clauses) or "1 = 1"), arguments


def _permit_clauses(filters: WorkerFilters, add: Callable[..., None]) -> None:
    """Clauses on the current permit ``p``: its kind, visa index and date ranges."""
    if filters.kind:
        add("p.kind = {}", filters.kind)
    if filters.visa_indexes:
        marks = ", ".join("{}" for _ in filters.visa_indexes)
        add(f"p.visa_index IN ({marks})", *filters.visa_indexes)
    for clause, value in (
        ("p.issued_on >= {}", filters.issued_from),
        ("p.issued_on <= {}", filters.issued_to),
        ("p.expires_on >= {}", filters.expires_from),
        ("p.expires_on <= {}", filters.expires_to),
    ):
        if value is not None:
            add(clause, value)


# The number of the worker's newest passport (an undated one, from an incomplete record, last).
LATEST_PASSPORT = (
    "(SELECT pp.number FROM passport pp WHERE pp.worker = {worker}"
    " ORDER BY pp.issued_on IS NULL, pp.issued_on DESC, pp.id DESC LIMIT 1)"
)

FROM = (
    "FROM worker w LEFT JOIN permit p ON p.id = w.current_permit_id"
    " LEFT JOIN employer e ON e.id = w.employer"
)


def from_clause(*sql: str) -> str:
    """:data:`FROM` with only the joins ``sql`` names (``p.``, ``e.``).

    PostgreSQL drops an unused LEFT JOIN on a primary key, but still counts the worker columns
    it named as needed, which rules out answering from an index alone (a count on 1,000,000
    workers: 300 ms from the table, 3 ms from the index).
    """
    text = " ".join(sql)
    parts = ["FROM worker w"]
    if re.search(r"\bp\.", text):
        parts.append("LEFT JOIN permit p ON p.id = w.current_permit_id")
    if re.search(r"\be\.", text):
        parts.append("LEFT JOIN employer e ON e.id = w.employer")
    return " ".join(parts)


def _summary(row: Row, today: date, settings: Settings) -> WorkerSummary:
    current = None
    if row["permit_id"] is not None:
        status, days_to_expiry, overstay_days = list_standing(
            row, today=today, settings=settings, prefix="permit_", stay_from=row["stay_from"]
        )
        current = CurrentPermit(
            id=row["permit_id"],
            number=row["permit_number"],
            kind=row["permit_kind"],
            visa_index=row["permit_visa_index"],
            valid_from=row["permit_valid_from"],
            expires_on=row["permit_expires_on"],
            status=status,
            days_to_expiry=days_to_expiry,
            overstay_days=overstay_days,
        )
    return WorkerSummary(
        id=row["id"],
        full_name=row["full_name"],
        sex=row["sex"],
        date_of_birth=row["date_of_birth"],
        nationality=row["nationality"],
        nationality_name=nationality_name(row["nationality"], "en"),
        regency=row["regency"],
        position=row["position"],
        employer_id=row["employer"],
        passport_number=row["passport_number"],
        current_permit=current,
    )


async def list_workers(
    actor: Actor,
    filters: WorkerFilters,
    *,
    limit: int,
    offset: int,
    today: date,
    settings: Settings,
) -> Page[WorkerSummary]:
    where, arguments = where_clause(actor, filters, today=today, settings=settings)
    # Clauses are constants of this module; every value travels as a parameter. The count rides
    # along as an uncorrelated sub-select (run once), so the page is one round trip; it names
    # only the joins its filters need, so PostgreSQL can count from an index alone.
    count_sql = f"SELECT count(*) {from_clause(where)} WHERE {where}"
    # A search's matches cluster (an employer's workers): walking the name index until 50 of
    # them turn up read 400,000 rows at 1,000,000 workers (4.8 s). Ordering by an expression
    # the index cannot serve makes the planner collect the matches first (146 ms); only a
    # search that matches nearly everyone pays (bench/bench_search.py).
    order = "w.name_folded || ''" if filters.q else "w.name_folded"
    rows = await fetch_rows(
        Worker,
        f"SELECT ({count_sql}) AS total_count,"
        " w.id, w.full_name, w.sex, w.date_of_birth, w.nationality, w.regency,"
        " w.position, w.employer, p.id AS permit_id, p.number AS permit_number,"
        " p.kind AS permit_kind, p.visa_index AS permit_visa_index,"
        " p.valid_from AS permit_valid_from, p.expires_on AS permit_expires_on,"
        " p.revoked_on AS permit_revoked_on, p.is_current AS permit_is_current,"
        f" {STAY_FROM} AS stay_from,"
        f" {LATEST_PASSPORT.format(worker='w.id')} AS passport_number"
        f" {FROM} WHERE {where} ORDER BY {order}, w.id LIMIT {{}} OFFSET {{}}",
        *arguments,
        *arguments,
        limit,
        offset,
    )
    if rows:
        total = rows[0]["total_count"]
    elif offset == 0:
        total = 0
    else:  # past the last page: the count alone
        total = (await fetch_rows(Worker, f"SELECT ({count_sql}) AS n", *arguments))[0]["n"]
    items = [_summary(row, today, settings) for row in rows]
    # Rows come from the database as typed values: nothing to validate per row.
    return WORKER_PAGE.model_construct(items=items, total=total, limit=limit, offset=offset)
