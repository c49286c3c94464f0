"""The intelligence dashboard page: counts by nationality, expiries by month and regencies.

Charts are SVG drawn on the server (:mod:`tka_registry.intelligence.charts`), each followed by
a table of the same numbers, so the page reads without colour, without images and on paper.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Response, Stream, Template

from tka_registry import formats
from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.errors import DomainError
from tka_registry.intelligence import charts, queries, stats
from tka_registry.intelligence.api import (
    FILTERS,
    Filters,
    audited,
    file_format_of,
    query_download,
    report_download,
)
from tka_registry.intelligence.filters import filters_from_query
from tka_registry.settings import Settings
from tka_registry.web.forms import FormErrors, domain_problems
from tka_registry.web.i18n import Gettext, language_of, translator

# The chart shows the largest nationalities; the table below it lists every one.
CHART_NATIONALITIES = 15


def filter_errors(error: DomainError, query: Mapping[str, str], _: Gettext) -> FormErrors:
    """The dashboard's filter problems beside their fields, in the page's language."""
    messages = {
        "nationality": _(
            "Not a country or code we know: %(value)s", value=query.get("nationality", "")
        ),
        "regency": _("Choose a regency of the working area."),
        "visa_index": _("Not a visa index we know: %(value)s", value=query.get("visa_index", "")),
    }
    return {
        field: messages.get(field, _("Enter a valid value.")) for field in domain_problems(error)
    }


def _form_context(values: dict[str, str], settings: Settings) -> dict[str, Any]:
    return {
        "values": values,
        "errors": {},
        "regency_options": [(name, name) for name in settings.regencies],
    }


class IntelligencePages(Controller):
    path = "/intelijen"
    include_in_schema = False

    @get("/", opt=access(Role.INTELLIGENCE, Role.ADMIN))
    async def dashboard(
        self,
        request: Request,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> Template:
        """The figures for the filters of the query string; a bad filter is shown beside its
        field with every filter kept as typed (400), and no figures until it is fixed."""
        _ = translator(request)
        language = language_of(request)
        values = dict(request.query_params)
        try:
            filters = await filters_from_query(values, settings)
        except DomainError as error:
            return Template(
                template_name="intelligence/dashboard.html",
                context=_form_context(values, settings)
                | {"errors": filter_errors(error, values, _)},
                status_code=400,
            )
        nationalities = await stats.by_nationality(actor, filters, today=today, settings=settings)
        expiries = await stats.expiries_by_month(actor, filters, today=today, settings=settings)
        regencies = await stats.by_regency(actor, filters, today=today, settings=settings)
        overstays = await queries.overstays(
            actor, filters, limit=1, offset=0, today=today, settings=settings
        )
        await audited(actor, "intelligence.dashboard", filters)
        bars = [
            (item.name_id if language == "id" else item.name, item.count)
            for item in nationalities.items[:CHART_NATIONALITIES]
        ]
        query = request.url.query or ""
        return Template(
            template_name="intelligence/dashboard.html",
            context={
                **_form_context(values, settings),
                "nationalities": nationalities,
                "expiries": expiries,
                "regencies": regencies,
                "overstay_total": overstays.total,
                "nationality_chart": charts.bar_chart(
                    "chart-nationality",
                    _("Workers with a valid permit by nationality"),
                    _("Horizontal bars, one per nationality, with the number of workers."),
                    bars,
                    language=language,
                    empty=_("No data"),
                ),
                "expiry_chart": charts.column_chart(
                    "chart-expiries",
                    _("Permits expiring per month, next 12 months"),
                    _("One column per month with the number of permits expiring in it."),
                    [
                        (formats.month(item.month, language, short=True), item.count)
                        for item in expiries.items
                    ],
                    language=language,
                ),
                # Pages sign in with the session cookie, which the bearer-only API ignores.
                "csv_url": "/intelijen/unduh.csv" + (f"?{query}" if query else ""),
                "xlsx_url": "/intelijen/unduh.xlsx" + (f"?{query}" if query else ""),
                "report_url": "/intelijen/laporan.pdf?"
                + urlencode({"as_of": today.isoformat(), "language": language}),
                "today": today,
            },
        )

    @get(
        ["/unduh.csv", "/unduh.xlsx"],
        opt=access(Role.INTELLIGENCE, Role.ADMIN),
        dependencies=FILTERS,
    )
    async def export(
        self,
        request: Request,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        filters: Filters,
    ) -> Stream:
        """The dashboard's query as CSV or a workbook in the page's language, as the API's."""
        return await query_download(
            actor, filters, today=today, settings=settings, language=language_of(request),
            file_format=file_format_of(request.url.path),
        )  # fmt: skip

    @get("/laporan.pdf", opt=access(Role.INTELLIGENCE, Role.ADMIN))
    async def nationality_report(
        self,
        actor: CurrentActor,
        as_of: FromQuery[date],
        language: FromQuery[Literal["id", "en"]] = "id",
    ) -> Response[bytes]:
        """The report by nationality, as the API's."""
        return await report_download(actor, as_of, language)
