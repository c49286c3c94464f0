"""JSON API of the intelligence section (Seksi Intelijen dan Penindakan Keimigrasian).

Only the intelligence and admin roles may call it. Every query, count and export is written
to the audit log with the filters used; opening one person's record also records why.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import IO, Annotated, Any, Literal, TypeVar

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Stream

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Actor, Role
from tka_registry.audit.service import record_read
from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.errors import InvalidInput
from tka_registry.intelligence import exports, queries, stats
from tka_registry.intelligence.filters import provide_filters, used
from tka_registry.intelligence.schemas import (
    EmployerStats,
    IntelligenceRow,
    MonthStats,
    NationalityStats,
    Overstay,
    PersonHistory,
    RegencyStats,
    SectorStats,
    VisaIndexStats,
)
from tka_registry.pagination import MAX_LIMIT, Page
from tka_registry.settings import Settings
from tka_registry.spreadsheets.api import workbook_download
from tka_registry.workers.queries import WorkerFilters

Counted = TypeVar("Counted")

INTELLIGENCE = access(Role.INTELLIGENCE, Role.ADMIN)
FILTERS = {"filters": Provide(provide_filters)}
Filters = NamedDependency[WorkerFilters]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, QueryParameter(ge=0)]
PurposeQuery = Annotated[str, QueryParameter(min_length=5, max_length=200)]
Language = FromQuery[Literal["id", "en"] | None]


async def audited(actor: Actor, action: str, filters: WorkerFilters, **more: object) -> None:
    await record_read(actor, action, "worker", "", {"filters": used(filters), **more})


async def audited_stat(
    name: str,
    count: Callable[..., Awaitable[Counted]],
    actor: Actor,
    filters: WorkerFilters,
    today: date,
    settings: Settings,
) -> Counted:
    """One statistic of ``filters``, recorded as ``intelligence.stats`` with its ``name``."""
    answer = await count(actor, filters, today=today, settings=settings)
    await audited(actor, "intelligence.stats", filters, stat=name)
    return answer


def checked_purpose(purpose: str) -> str:
    text = " ".join(purpose.split())
    if len(text) < 5:
        raise InvalidInput("purpose", "state the purpose of looking at this record (5-200 chars)")
    return text


async def query_download(
    actor: Actor,
    filters: WorkerFilters,
    *,
    today: date,
    settings: Settings,
    language: str,
    file_format: str,
) -> Stream:
    """The audited export of a query, as CSV or as a workbook (``file_format``: ``csv`` or
    ``xlsx``), for the API and the dashboard page alike."""
    await audited(actor, "intelligence.export", filters, format=file_format)
    name = f"tka-{today.isoformat()}.{file_format}"
    if file_format == "xlsx":

        async def write(stream: IO[bytes]) -> int:
            return await exports.write_workbook(
                stream, actor, filters, today=today, settings=settings, language=language
            )

        return await workbook_download(write, name)
    return Stream(
        exports.csv_chunks(actor, filters, today=today, settings=settings, language=language),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def file_format_of(path: str) -> str:
    """``xlsx`` for a path ending in .xlsx, else ``csv``."""
    return "xlsx" if path.endswith(".xlsx") else "csv"


async def report_download(actor: Actor, as_of: date, language: str) -> Response[bytes]:
    """The audited PDF report by nationality on ``as_of``, for the API and the page alike."""
    pdf = await exports.nationality_report(as_of, language)
    await record_read(
        actor, "intelligence.report", "report", "nationalities", {"as_of": as_of.isoformat()}
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="laporan-tka-{as_of.isoformat()}.pdf"'},
    )


class IntelligenceController(Controller):
    path = "/api/v1/intelligence"
    tags = ["intelligence"]
    dependencies = FILTERS

    @get("/workers", opt=INTELLIGENCE)
    async def search(
        self,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        filters: Filters,
        sort: FromQuery[str] = "name",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[IntelligenceRow]:
        """Workers matching the filters; ``sort`` is one of the keys of ``queries.SORTS``,
        a leading "-" for descending."""
        page = await queries.search(
            actor, filters, sort=sort, limit=limit, offset=offset, today=today, settings=settings
        )
        await audited(
            actor, "intelligence.query", filters, sort=sort, offset=offset, total=page.total
        )
        return page

    @get("/workers/{worker_id:int}", opt=INTELLIGENCE)
    async def person(
        self,
        worker_id: FromPath[int],
        purpose: PurposeQuery,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> PersonHistory:
        """One person's passports, permits and employers over time; ``purpose`` says why."""
        reason = checked_purpose(purpose)
        history = await queries.person(actor, worker_id, today=today, settings=settings)
        await record_read(actor, "intelligence.view", "worker", worker_id, {"purpose": reason})
        return history

    @get("/overstays", opt=INTELLIGENCE)
    async def overstays(
        self,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        filters: Filters,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[Overstay]:
        """Expired current permits with no successor, longest overstay (deportation) first."""
        page = await queries.overstays(
            actor, filters, limit=limit, offset=offset, today=today, settings=settings
        )
        await audited(actor, "intelligence.overstays", filters, offset=offset, total=page.total)
        return page

    @get(["/exports/workers.csv", "/exports/workers.xlsx"], opt=INTELLIGENCE)
    async def export(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        filters: Filters,
        language: Language = None,
    ) -> Stream:
        """The query as CSV (UTF-8 with BOM; ``;``-separated and Indonesian words unless
        ``language=en``), streamed from the database batch by batch, or as a workbook (.xlsx:
        typed cells, a frozen header row, column widths)."""
        return await query_download(
            actor, filters, today=today, settings=settings,
            language=language or settings.language, file_format=file_format_of(request.url.path),
        )  # fmt: skip

    @get("/reports/nationalities.pdf", opt=INTELLIGENCE)
    async def nationality_report(
        self,
        actor: CurrentActor,
        as_of: FromQuery[date],
        language: FromQuery[Literal["id", "en"]] = "id",
    ) -> Response[bytes]:
        """Laporan Tenaga Kerja Asing per Kewarganegaraan on ``as_of`` (required)."""
        return await report_download(actor, as_of, language)


class StatsController(Controller):
    """Counts of workers holding a valid permit; the query's filters narrow each one."""

    path = "/api/v1/stats"
    tags = ["intelligence"]
    dependencies = FILTERS

    @get("/nationalities", opt=INTELLIGENCE)
    async def nationalities(
        self, actor: CurrentActor, settings: SettingsDep, today: Today, filters: Filters
    ) -> NationalityStats:
        return await audited_stat(
            "nationalities", stats.by_nationality, actor, filters, today, settings
        )

    @get("/employers", opt=INTELLIGENCE)
    async def employers(
        self, actor: CurrentActor, settings: SettingsDep, today: Today, filters: Filters
    ) -> EmployerStats:
        return await audited_stat("employers", stats.by_employer, actor, filters, today, settings)

    @get("/regencies", opt=INTELLIGENCE)
    async def regencies(
        self, actor: CurrentActor, settings: SettingsDep, today: Today, filters: Filters
    ) -> RegencyStats:
        return await audited_stat("regencies", stats.by_regency, actor, filters, today, settings)

    @get("/sectors", opt=INTELLIGENCE)
    async def sectors(
        self, actor: CurrentActor, settings: SettingsDep, today: Today, filters: Filters
    ) -> SectorStats:
        return await audited_stat("sectors", stats.by_sector, actor, filters, today, settings)

    @get("/visa-indexes", opt=INTELLIGENCE)
    async def visa_indexes(
        self, actor: CurrentActor, settings: SettingsDep, today: Today, filters: Filters
    ) -> VisaIndexStats:
        return await audited_stat(
            "visa_indexes", stats.by_visa_index, actor, filters, today, settings
        )

    @get("/expiries", opt=INTELLIGENCE)
    async def expiries(
        self, actor: CurrentActor, settings: SettingsDep, today: Today, filters: Filters
    ) -> MonthStats:
        """Valid permits expiring in each of the next 12 months."""
        return await audited_stat(
            "expiries", stats.expiries_by_month, actor, filters, today, settings
        )

    @get("/new-permits", opt=INTELLIGENCE)
    async def new_permits(
        self, actor: CurrentActor, settings: SettingsDep, today: Today, filters: Filters
    ) -> MonthStats:
        """Permits issued in each of the last 12 months."""
        return await audited_stat(
            "new_permits", stats.new_permits_by_month, actor, filters, today, settings
        )
