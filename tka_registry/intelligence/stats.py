"""Counts of foreign workers holding a valid permit: by nationality, employer, regency, sector,
visa index; expiries per month ahead and new permits per month behind.

"Valid" is permits.state's "valid on day D" (the worker's current permit, not revoked, begun
and not past its last day), read from the worker's copy of its current permit
(:func:`tka_registry.permits.state.worker_valid_on`; permits.current keeps it), so a count
needs the permit table only when a filter names the permit. The query filters narrow
every count the same way. Months are grouped in Python from per-day counts so the SQL is the
same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.intelligence.schemas import (
    EmployerCount,
    EmployerStats,
    MonthCount,
    MonthStats,
    NationalityCount,
    NationalityStats,
    RegencyCount,
    RegencyStats,
    SectorCount,
    SectorStats,
    VisaIndexCount,
    VisaIndexStats,
)
from tka_registry.permits.state import worker_valid_on
from tka_registry.permits.tables import VisaIndex
from tka_registry.rules.calendar import add_months
from tka_registry.rules.nationality import nationality_name
from tka_registry.settings import Settings
from tka_registry.workers.queries import WorkerFilters, from_clause, where_clause
from tka_registry.workers.tables import Worker

MONTHS_SHOWN = 12


async def _grouped(
    actor: Actor,
    filters: WorkerFilters,
    group: str,
    *,
    today: date,
    settings: Settings,
) -> list[dict[str, Any]]:
    """``group`` (fixed SQL of this module) and ``n`` for valid permits matching ``filters``."""
    where, arguments = where_clause(actor, filters, today=today, settings=settings)
    valid = worker_valid_on(today)
    # group is a constant of this module; values travel as parameters.
    return await Worker.raw(
        f"SELECT {group}, count(*) AS n {from_clause(group, where, valid.text)}"
        f" WHERE {where} AND {valid.text} GROUP BY {group}",
        *arguments,
        *valid.arguments,
    )


def _by_count(items: list[Any], key: str) -> list[Any]:
    """Most first; ties by name, the unnamed (no employer, no sector) last."""

    def order(item: Any) -> tuple[int, bool, str]:
        name = getattr(item, key)
        return (-item.count, name is None, str(name or ""))

    return sorted(items, key=order)


async def by_nationality(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> NationalityStats:
    rows = await _grouped(actor, filters, "w.nationality", today=today, settings=settings)
    items = [
        NationalityCount(
            nationality=row["nationality"],
            name=nationality_name(row["nationality"], "en"),
            name_id=nationality_name(row["nationality"], "id"),
            count=row["n"],
        )
        for row in rows
    ]
    return NationalityStats(
        items=_by_count(items, "nationality"), total=sum(i.count for i in items)
    )


async def by_employer(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> EmployerStats:
    rows = await _grouped(actor, filters, "w.employer, e.name", today=today, settings=settings)
    items = [EmployerCount(employer_id=r["employer"], name=r["name"], count=r["n"]) for r in rows]
    return EmployerStats(items=_by_count(items, "name"), total=sum(i.count for i in items))


async def by_regency(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> RegencyStats:
    rows = await _grouped(actor, filters, "w.regency", today=today, settings=settings)
    items = [RegencyCount(regency=r["regency"], count=r["n"]) for r in rows]
    return RegencyStats(items=_by_count(items, "regency"), total=sum(i.count for i in items))


async def by_sector(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> SectorStats:
    rows = await _grouped(actor, filters, "e.sector", today=today, settings=settings)
    items = [SectorCount(sector=r["sector"], count=r["n"]) for r in rows]
    return SectorStats(items=_by_count(items, "sector"), total=sum(i.count for i in items))


async def by_visa_index(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> VisaIndexStats:
    """Counts per visa index; Second Home (E33) is its own index, never folded into work."""
    rows = await _grouped(actor, filters, "p.visa_index", today=today, settings=settings)
    indexes = {row["code"]: row for row in await VisaIndex.select()}
    items = []
    for row in rows:
        index = indexes.get(row["visa_index"], {})
        items.append(
            VisaIndexCount(
                visa_index=row["visa_index"],
                name_id=index.get("name_id", row["visa_index"]),
                name_en=index.get("name_en", row["visa_index"]),
                category=index.get("category", "other"),
                count=row["n"],
            )
        )
    return VisaIndexStats(items=_by_count(items, "visa_index"), total=sum(i.count for i in items))


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: date, count: int) -> list[str]:
    return [month_key(add_months(first, offset)) for offset in range(count)]


async def expiries_by_month(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> MonthStats:
    """Valid permits expiring in each of the next 12 months, this month (from today) first."""
    first = today.replace(day=1)
    end = date.fromordinal(add_months(first, MONTHS_SHOWN).toordinal() - 1)
    where, arguments = where_clause(actor, filters, today=today, settings=settings)
    valid = worker_valid_on(today)
    rows = await Worker.raw(
        f"SELECT w.permit_valid_until AS day, count(*) AS n {from_clause(where)}"
        f" WHERE {where} AND {valid.text} AND w.permit_valid_until <= {{}}"
        " GROUP BY w.permit_valid_until",
        *arguments,
        *valid.arguments,
        end,
    )
    return _per_month(rows, _months(first, MONTHS_SHOWN))


async def new_permits_by_month(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings
) -> MonthStats:
    """Permits issued (renewals included) in each of the last 12 months, this month last, to
    the workers matching ``filters``."""
    first = add_months(today.replace(day=1), -(MONTHS_SHOWN - 1))
    where, arguments = where_clause(actor, filters, today=today, settings=settings)
    rows = await Worker.raw(
        f"SELECT np.issued_on AS day, count(*) AS n {from_clause(where)}"
        " JOIN permit np ON np.worker = w.id"
        f" WHERE {where} AND np.issued_on >= {{}} AND np.issued_on <= {{}}"
        " GROUP BY np.issued_on",
        *arguments,
        first,
        today,
    )
    return _per_month(rows, _months(first, MONTHS_SHOWN))


def _per_month(rows: list[dict[str, Any]], months: list[str]) -> MonthStats:
    counts: Counter[str] = Counter()
    for row in rows:
        day = row["day"] if isinstance(row["day"], date) else date.fromisoformat(row["day"])
        counts[month_key(day)] += row["n"]
    items = [MonthCount(month=month, count=counts.get(month, 0)) for month in months]
    return MonthStats(items=items, total=sum(item.count for item in items))
