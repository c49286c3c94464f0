"""The filters of every intelligence query, read once from the query string and checked.

One dependency (:func:`provide_filters`) serves the list, the statistics and the CSV export, so
the same query string means the same set of workers everywhere. A value that names nothing
(a nationality that is no country, an unknown visa index, an inverted date range) is refused
with a 4xx naming the field, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, TypeVar

from litestar.params import FromQuery, QueryParameter

from tka_registry.dependencies import SettingsDep
from tka_registry.employers.service import checked_regency
from tka_registry.employers.tables import Employer
from tka_registry.errors import DomainError, FieldProblem, InvalidInput
from tka_registry.permits.tables import VisaIndex
from tka_registry.rules.permits import PermitKind
from tka_registry.settings import Settings
from tka_registry.workers.queries import WORKER_STATUSES, WorkerFilters, checked_nationalities

# The worker list's statuses; "overstay" is the intelligence section's word for an expired
# current permit.
STATUSES = {status: status for status in WORKER_STATUSES} | {"overstay": "expired"}
MAX_WINDOW_DAYS = 3650
T = TypeVar("T")


async def checked_visa_indexes(text: str | None) -> tuple[str, ...]:
    """Comma-separated visa index codes, each one the registry knows (former ones included)."""
    if not text:
        return ()
    wanted = tuple(dict.fromkeys(part.strip().upper() for part in text.split(",") if part.strip()))
    known = {row["code"] for row in await VisaIndex.select(VisaIndex.code)}
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise InvalidInput(
            "visa_index", f'unknown visa index "{unknown[0]}": one of {", ".join(sorted(known))}'
        )
    return wanted


def checked_kind(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return PermitKind(text.strip().upper()).value
    except ValueError:
        kinds = ", ".join(kind.value for kind in PermitKind)
        raise InvalidInput("kind", f'unknown permit kind "{text}": one of {kinds}') from None


def checked_status(text: str | None) -> str | None:
    if not text:
        return None
    key = text.strip().lower()
    if key not in STATUSES:
        raise InvalidInput("status", f'unknown status "{text}": one of {", ".join(STATUSES)}')
    return STATUSES[key]


def date_range(field: str, start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise InvalidInput(
            field, f"the range starts {start.isoformat()} after it ends {end.isoformat()}"
        )


async def checked_employer(employer_id: int | None) -> int | None:
    if employer_id is not None and not await Employer.exists().where(Employer.id == employer_id):
        raise InvalidInput("employer_id", f"no employer with id {employer_id}")
    return employer_id


class _Checks:
    """Runs each check and keeps every refusal, so one answer names every bad field."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def value(self, check: Callable[..., T], *args: Any) -> T | None:
        try:
            return check(*args)
        except DomainError as error:
            self.problems += error.problems
            return None

    async def awaited(self, check: Callable[..., Awaitable[T]], *args: Any) -> T | None:
        try:
            return await check(*args)
        except DomainError as error:
            self.problems += error.problems
            return None


async def provide_filters(
    settings: SettingsDep,
    nationality: FromQuery[str | None] = None,
    employer_id: FromQuery[int | None] = None,
    regency: Annotated[str | None, QueryParameter(max_length=100)] = None,
    sector: Annotated[str | None, QueryParameter(max_length=100)] = None,
    position: Annotated[str | None, QueryParameter(max_length=150)] = None,
    kind: FromQuery[str | None] = None,
    visa_index: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    expires_within_days: Annotated[int | None, QueryParameter(ge=0, le=MAX_WINDOW_DAYS)] = None,
    issued_from: FromQuery[date | None] = None,
    issued_to: FromQuery[date | None] = None,
    expires_from: FromQuery[date | None] = None,
    expires_to: FromQuery[date | None] = None,
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
) -> WorkerFilters:
    """The checked filters of the query string (every one optional; they combine with AND);
    every bad one is named in one refusal."""
    checks = _Checks()
    checks.value(date_range, "issued_from", issued_from, issued_to)
    checks.value(date_range, "expires_from", expires_from, expires_to)
    filters = WorkerFilters(
        nationalities=checks.value(checked_nationalities, nationality) or (),
        employer_id=await checks.awaited(checked_employer, employer_id),
        regency=checks.value(checked_regency, regency, settings) if regency else None,
        sector=sector.strip() if sector and sector.strip() else None,
        position=position.strip() if position and position.strip() else None,
        status=checks.value(checked_status, status),
        expires_within_days=expires_within_days,
        q=q.strip() if q and q.strip() else None,
        kind=checks.value(checked_kind, kind),
        visa_indexes=await checks.awaited(checked_visa_indexes, visa_index) or (),
        issued_from=issued_from,
        issued_to=issued_to,
        expires_from=expires_from,
        expires_to=expires_to,
    )
    if checks.problems:
        raise InvalidInput.of(checks.problems)
    return filters


# The filters a page reads from its query string as typed: whole numbers and dates parsed here.
WHOLE_NUMBERS = {"employer_id": (0, 2**31 - 1), "expires_within_days": (0, MAX_WINDOW_DAYS)}
DATES = ("issued_from", "issued_to", "expires_from", "expires_to")
TEXTS = {
    "nationality": 500, "regency": 100, "sector": 100, "position": 150, "kind": 10,
    "visa_index": 200, "status": 20, "q": 200,
}  # fmt: skip


def _whole_number(field: str, text: str) -> int:
    low, high = WHOLE_NUMBERS[field]
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(field, f"a whole number from {low} to {high}")
    return int(text)


def _day(field: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, "a date as YYYY-MM-DD") from None


async def filters_from_query(query: Mapping[str, str], settings: Settings) -> WorkerFilters:
    """The filters of a page's query string, checked as :func:`provide_filters` checks the
    API's; every bad value, however typed, is named in one refusal (the page shows it beside
    its field and keeps the others)."""
    given = {name: (query.get(name) or "").strip() for name in (*WHOLE_NUMBERS, *DATES, *TEXTS)}
    checks = _Checks()
    typed: dict[str, Any] = {
        name: checks.value(_whole_number, name, given[name]) if given[name] else None
        for name in WHOLE_NUMBERS
    }
    typed |= {
        name: checks.value(_day, name, given[name]) if given[name] else None for name in DATES
    }
    for name, longest in TEXTS.items():
        if len(given[name]) > longest:
            checks.problems.append(FieldProblem(name, f"at most {longest} characters"))
        typed[name] = given[name][:longest] or None
    try:
        filters = await provide_filters(settings, **typed)
    except DomainError as error:
        checks.problems += error.problems
    if checks.problems:
        raise InvalidInput.of(checks.problems)
    return filters


def used(filters: WorkerFilters) -> dict[str, Any]:
    """The filters that were set, as the audit log records them."""
    return {
        key: (list(value) if isinstance(value, tuple) else value)
        for key, value in asdict(filters).items()
        if value not in (None, ())
    }
