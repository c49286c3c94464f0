"""The officers' worklist "Data belum lengkap" and the forms that complete each kind of record."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from pydantic import ValidationError

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES
from tka_registry.completion import service
from tka_registry.dependencies import CallDep
from tka_registry.errors import DomainError
from tka_registry.rules.completeness import gaps_of
from tka_registry.web.forms import domain_problems, form_values, validation_problems
from tka_registry.web.i18n import language_of, translator
from tka_registry.web.layout import N_

BASE = "/petugas/belum-lengkap"
# Refusals of the services completing a record, as catalogue ids (translated by domain_problems);
# the worker and regency ones are in applications.web_refusals.
SERVICE_REASONS = (
    N_("no passport with id %(id)s"),
    N_("the passport's issue date is in the future"),
    N_("the passport must expire after it is issued"),
    N_("enter a real date, for example 2026-11-22"),
    N_("%(number)s %(value)s belongs to employer %(employer)s already"),
)
_TITLES = {"employer": "Complete the employer", "passport": "Complete the passport",
           "worker": "Complete the worker"}  # fmt: skip


class CompletionPages(Controller):
    path = BASE
    include_in_schema = False

    @get("/", opt=access(*OFFICE_ROLES))
    async def worklist(
        self, request: Request[Any, Any, Any], perusahaan: FromQuery[int | None] = None
    ) -> Template:
        """Records to complete by kind of gap, and by employer (``perusahaan``: one employer)."""
        context = {
            "lists": await service.worklist(perusahaan),
            "employers": await service.by_employer(),
            "employer_id": perusahaan,
            "language": language_of(request),
            "base": BASE,
        }
        return Template(template_name="completion/worklist.html", context=context)

    @get("/{kind:str}/{record_id:int}", opt=access(*OFFICE_ROLES))
    async def form(
        self, request: Request[Any, Any, Any], kind: FromPath[str], record_id: FromPath[int]
    ) -> Template | Redirect:
        record = await _record(kind, record_id)
        if record is None:
            return Redirect(BASE, status_code=HTTP_303_SEE_OTHER)
        return _form(request, _KINDS[kind], record, {}, {})

    @post("/{kind:str}/{record_id:int}", opt=access(*OFFICE_ROLES))
    async def complete(
        self,
        request: Request[Any, Any, Any],
        kind: FromPath[str],
        record_id: FromPath[int],
        call: CallDep,
    ) -> Template | Redirect:
        """Save the values filled in; the page again with the reasons when one is refused."""
        record = await _record(kind, record_id)
        if record is None:
            return Redirect(BASE, status_code=HTTP_303_SEE_OTHER)
        kind = _KINDS[kind]
        values = {k: v for k, v in (await form_values(request)).items() if v}
        try:
            await service.complete_record(
                call.actor, kind, record_id, values,
                settings=call.settings, today=call.today, now=call.now,
            )  # fmt: skip
        except ValidationError as error:
            problems = validation_problems(error, translator(request))
            return _form(request, kind, record, values, problems, 400)
        except DomainError as error:
            labels = {gap.field: gap.label(language_of(request)) for gap in gaps_of(kind)}
            problems = domain_problems(error, translator(request), labels)
            return _form(request, kind, record, values, problems, 400)
        return Redirect(BASE, status_code=HTTP_303_SEE_OTHER)


async def _record(segment: str, record_id: int) -> dict[str, Any] | None:
    return await service.record_to_complete(_KINDS.get(segment, ""), record_id)


def _form(
    request: Request[Any, Any, Any],
    kind: str,
    record: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    language = language_of(request)
    fields = [
        {"name": gap.field, "label": gap.label(language), "is_date": gap.field.endswith("_on")}
        for gap in gaps_of(kind)
        if record.get(gap.field) in (None, "")
    ]  # fmt: skip
    context = {
        "kind": kind, "record": record, "fields": fields, "values": values, "errors": errors,
        "title": _TITLES[kind], "action": f"{BASE}/{_SEGMENTS[kind]}/{record['id']}",
        "base": BASE,
    }  # fmt: skip
    return Template(template_name="completion/form.html", context=context, status_code=status_code)


_SEGMENTS = {"employer": "perusahaan", "passport": "paspor", "worker": "tka"}
_KINDS = {segment: kind for kind, segment in _SEGMENTS.items()}
