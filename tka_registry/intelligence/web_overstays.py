"""The overstay page for officers and intelligence: days over, fine, deportation mark, employer,
filters that stay in place (a bad value is shown beside its field), and the CSV and workbook
exports."""

from __future__ import annotations

from typing import IO, Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Stream, Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.employers.service import employer_choices
from tka_registry.errors import DomainError
from tka_registry.intelligence.api import audited, file_format_of
from tka_registry.intelligence.overstays import (
    OVERSTAY_WIDTHS,
    OverstayFilters,
    checked_filters,
    overstay_batches,
    overstay_csv,
    overstay_headers,
)
from tka_registry.intelligence.queries import overstays
from tka_registry.spreadsheets.api import workbook_download
from tka_registry.spreadsheets.xlsx import write_sheet
from tka_registry.web.forms import domain_problems
from tka_registry.web.i18n import language_of, translator

PAGE_SIZE = 50
READERS = (Role.OFFICER, Role.ADMIN, Role.INTELLIGENCE)


def _form(request: Request[Any, Any, Any]) -> OverstayFilters:
    query = request.query_params
    return OverstayFilters(
        nationality=(query.get("kewarganegaraan") or "").strip()[:200],
        employer_id=(query.get("penjamin") or "").strip()[:12],
        regency=(query.get("wilayah") or "").strip()[:100],
        deportation_only=query.get("deportasi") == "1",
    )


class OverstayPages(Controller):
    path = "/petugas/overstay"
    include_in_schema = False

    @get("/", opt=access(*READERS))
    async def overstay_list(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> Template:
        """Everyone whose current permit has run out, longest overstay first."""
        _ = translator(request)
        form = _form(request)
        errors: dict[str, str] = {}
        page = None
        try:
            filters = await checked_filters(form, today=today, settings=settings)
        except DomainError as error:
            messages = {
                "nationality": _(
                    "Not a country or code we know: %(value)s", value=form.nationality
                ),
                "employer_id": _("Choose an employer from the list."),
                "penjamin": _("Choose an employer from the list."),
                "regency": _("Choose a regency of the working area."),
            }
            fields = {
                "nationality": "kewarganegaraan",
                "employer_id": "penjamin",
                "regency": "wilayah",
            }
            errors = {
                fields.get(name, name): messages.get(name, reason)
                for name, reason in domain_problems(error).items()
            }
        else:
            page = await overstays(
                actor, filters, limit=PAGE_SIZE, offset=offset, today=today, settings=settings
            )
            await audited(actor, "intelligence.overstays", filters, offset=offset, total=page.total)
        query = request.url.query or ""
        return Template(
            template_name="intelligence/overstays.html",
            context={
                "page": page,
                "errors": errors,
                "values": {k: v for k, v in request.query_params.items() if k != "offset"},
                "employers": await employer_choices(),
                "regency_options": [(name, name) for name in settings.regencies],
                "csv_url": "/petugas/overstay/unduh.csv" + (f"?{query}" if query else ""),
                "xlsx_url": "/petugas/overstay/unduh.xlsx" + (f"?{query}" if query else ""),
                "deportation_days": settings.overstay_deportation_days,
                "is_office": actor.role in (Role.OFFICER, Role.ADMIN),
            },
            status_code=400 if errors else 200,
        )

    @get(["/unduh.csv", "/unduh.xlsx"], opt=access(*READERS))
    async def overstay_export(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> Stream:
        """The list with the page's filters as CSV or a workbook (a bad filter answers 400
        naming it)."""
        filters = await checked_filters(_form(request), today=today, settings=settings)
        file_format = file_format_of(request.url.path)
        await audited(actor, "intelligence.export", filters, format=file_format, list="overstays")
        language = language_of(request)
        name = f"overstay-{today.isoformat()}.{file_format}"
        if file_format == "xlsx":

            async def write(stream: IO[bytes]) -> int:
                batches = overstay_batches(
                    actor, filters, today=today, settings=settings, language=language
                )
                headers = overstay_headers(language)
                return await write_sheet(stream, "Overstay", headers, OVERSTAY_WIDTHS, batches)

            return await workbook_download(write, name)
        return Stream(
            overstay_csv(actor, filters, today=today, settings=settings, language=language),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
