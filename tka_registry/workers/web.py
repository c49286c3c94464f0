"""The office's worker pages: search (/petugas/cari) and one person's page with its actions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from pydantic import ValidationError

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES, Actor
from tka_registry.applications.web import file_response, problems_of
from tka_registry.dependencies import CallDep, CurrentActor, Now, SettingsDep, Today
from tka_registry.documents.bundle import MAX_PERMITS, permits_pdf
from tka_registry.documents.service import download_permit_document
from tka_registry.errors import DomainError, InvalidInput, NotFound
from tka_registry.permits.schemas import PermitRevocation
from tka_registry.settings import Settings
from tka_registry.web.confirmation import confirmation
from tka_registry.web.forms import FormErrors, domain_problems, form_values, validation_problems
from tka_registry.web.i18n import format_day, language_of, translator
from tka_registry.web.layout import N_
from tka_registry.workers.next_steps import NextStep, current_of, next_steps
from tka_registry.workers.queries import WORKER_STATUSES, WorkerFilters, list_workers
from tka_registry.workers.record import (
    WorkerRecord,
    record_departure,
    revoke_current_permit,
    worker_record,
)
from tka_registry.workers.search import employer_names

PAGE_SIZE = 50
# Refusals of the worker services these pages show, as catalogue ids (translated by
# domain_problems); the permit and decision ones are in applications.web_refusals.
SERVICE_REASONS = (
    N_("this worker holds no permit that can be revoked"),
    N_("a departure report needs the worker's employer (sponsor)"),
)


class OfficeWorkerPages(Controller):
    path = "/petugas"
    include_in_schema = False

    @get("/cari", opt=access(*OFFICE_ROLES))
    async def search(
        self,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
        status: Annotated[str | None, QueryParameter()] = None,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> Template:
        """Workers by name (any order), passport (old ones too), permit, register number,
        employer; ``status`` (a permit status, from the officer home's cards) lists by status."""
        return await _search_page(actor, settings, today, q or "", status, offset)

    @post("/cetak", opt=access(*OFFICE_ROLES), status_code=200)
    async def print_permits(self, request: Request[Any, Any, Any], call: CallDep) -> Response[Any]:
        """The chosen permits (checkboxes ``izin`` of the search page) as one PDF."""
        form = await request.form()
        chosen = [int(v) for v in form.getall("izin", []) if isinstance(v, str) and v.isdigit()]
        values = await form_values(request)
        try:
            pdf = await permits_pdf(call.actor, chosen, settings=call.settings, now=call.now)
        except InvalidInput:
            _ = translator(request)
            message = (
                _("Choose at least one permit to print.")
                if not chosen
                else _("At most %(count)s permits can be printed at once.", count=MAX_PERMITS)
            )
            return await _search_page(
                call.actor,
                call.settings,
                call.today,
                values.get("q", ""),
                values.get("status"),
                0,
                errors={"izin": message},
            )
        return file_response(pdf, "application/pdf", f"izin-tinggal-{len(chosen)}.pdf")

    @get("/pekerja/{worker_id:int}", opt=access(*OFFICE_ROLES))
    async def worker(
        self,
        worker_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        done: Annotated[str | None, QueryParameter(name="selesai")] = None,
    ) -> Template:
        """The person, every passport, permit and case in order, the audit, and the actions."""
        record = await worker_record(actor, worker_id, settings=settings, today=today)
        steps = await next_steps({worker_id: current_of(record.worker)}, settings=settings)
        return _worker_page(record, today, done=done, step=steps[worker_id])

    @get("/pekerja/{worker_id:int}/izin/{permit_id:int}", opt=access(*OFFICE_ROLES))
    async def print_permit(
        self,
        worker_id: FromPath[int],
        permit_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Response[bytes]:
        """The permit's stored document (PDF), to print."""
        record = await worker_record(actor, worker_id, settings=settings, today=today)
        if permit_id not in {p.id for p in record.worker.permits}:
            raise NotFound("permit_id", f"worker {worker_id} holds no permit {permit_id}")
        pdf, filename = await download_permit_document(actor, permit_id, settings=settings, now=now)
        return file_response(pdf, "application/pdf", filename)

    @post("/pekerja/{worker_id:int}/cabut", opt=access(*OFFICE_ROLES))
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        worker_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> Response[Any]:
        """Revoke the current permit: first a page saying what will happen, then on confirmation."""
        _ = translator(request)
        values = await form_values(request)
        record = await worker_record(actor, worker_id, settings=settings, today=today)
        permit = record.current_permit
        errors: FormErrors = {}
        revocation = None
        try:
            revocation = PermitRevocation.model_validate(
                {
                    "revoked_on": values.get("revoked_on") or None,
                    **_only(values, "revocation_reason"),
                }
            )
        except ValidationError as error:
            errors = validation_problems(error, _)
        if revocation is not None and revocation.revoked_on > today:
            errors["revoked_on"] = _("The date cannot be in the future.")
        if permit is None:
            errors["permit"] = _("This worker holds no permit that can be revoked.")
        if errors or revocation is None or permit is None:
            return _worker_page(record, today, values=values, errors=errors, action="revoke")
        if values.get("confirmed") != "yes":
            return confirmation(
                title=_("Revoke stay permit %(number)s?", number=permit.number),
                consequences=[
                    _(
                        "Permit %(number)s of %(name)s ends on %(day)s and shows as revoked.",
                        number=permit.number,
                        name=record.worker.full_name,
                        day=format_day(revocation.revoked_on, language_of(request)),
                    ),
                    _(
                        "The reason is kept on the permit and in the audit log: %(reason)s",
                        reason=revocation.revocation_reason,
                    ),
                    _("This cannot be undone; a new permit needs a new application."),
                ],
                action=f"/petugas/pekerja/{worker_id}/cabut",
                values=values,
                confirm=_("Yes, revoke the permit"),
                back=f"/petugas/pekerja/{worker_id}",
            )
        try:
            await revoke_current_permit(actor, record, revocation, settings=settings, today=today)
        except DomainError as error:
            errors = domain_problems(error, _)
            return _worker_page(record, today, values=values, errors=errors, action="revoke")
        return Redirect(
            f"/petugas/pekerja/{worker_id}?selesai=cabut", status_code=HTTP_303_SEE_OTHER
        )

    @post("/pekerja/{worker_id:int}/keberangkatan", opt=access(*OFFICE_ROLES))
    async def departure(
        self,
        request: Request[Any, Any, Any],
        worker_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Response[Any]:
        """Record that the worker left Indonesia, after a page saying what will happen."""
        _ = translator(request)
        values = await form_values(request)
        record = await worker_record(actor, worker_id, settings=settings, today=today)
        errors: FormErrors = {}
        departed_on = parsed_day(values.get("departed_on", ""))
        if departed_on is None:
            errors["departed_on"] = _("Enter a real date, for example 2026-11-22.")
        elif departed_on > today:
            errors["departed_on"] = _("The date cannot be in the future.")
        if errors or departed_on is None:
            return _worker_page(record, today, values=values, errors=errors, action="departure")
        if values.get("confirmed") != "yes":
            permit = record.current_permit
            day = format_day(departed_on, language_of(request))
            consequences = [
                _(
                    "A departure report for %(name)s is filed and approved in your name,"
                    " with a register number.",
                    name=record.worker.full_name,
                ),
            ]
            if permit is not None:
                consequences.append(
                    _(
                        "Permit %(number)s ends on %(day)s (departure without re-entry).",
                        number=permit.number,
                        day=day,
                    )
                )
            consequences.append(_("No overstay is counted after %(day)s.", day=day))
            return confirmation(
                title=_("Record the departure on %(day)s?", day=day),
                consequences=consequences,
                action=f"/petugas/pekerja/{worker_id}/keberangkatan",
                values=values,
                confirm=_("Yes, record the departure"),
                back=f"/petugas/pekerja/{worker_id}",
            )
        try:
            await record_departure(
                actor, record, departed_on, settings=settings, today=today, now=now
            )
        except DomainError as error:
            errors = problems_of(error, request)
            return _worker_page(record, today, values=values, errors=errors, action="departure")
        return Redirect(
            f"/petugas/pekerja/{worker_id}?selesai=keberangkatan", status_code=HTTP_303_SEE_OTHER
        )


def parsed_day(text: str) -> date | None:
    """A YYYY-MM-DD date as typed, or None (a missing date never becomes today)."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


async def _search_page(
    actor: Actor,
    settings: Settings,
    today: date,
    q: str,
    status: str | None,
    offset: int,
    *,
    errors: FormErrors | None = None,
) -> Template:
    text = q.strip()
    status = status if status in WORKER_STATUSES else None
    page = None
    names: dict[int, str] = {}
    if text or status:
        page = await list_workers(
            actor,
            WorkerFilters(q=text or None, status=status),
            limit=PAGE_SIZE,
            offset=offset,
            today=today,
            settings=settings,
        )
        names = await employer_names(page.items)
    return Template(
        template_name="workers/search.html",
        context={
            "q": text,
            "status": status,
            "page": page,
            "employers": names,
            "errors": errors or {},
        },
        status_code=400 if errors else 200,
    )


def _only(values: dict[str, str], *names: str) -> dict[str, str]:
    return {name: values[name] for name in names if name in values}


def _worker_page(
    record: WorkerRecord,
    today: date,
    *,
    done: str | None = None,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    action: str = "",
    step: NextStep | None = None,
) -> Template:
    return Template(
        template_name="workers/worker.html",
        context={
            "step": step,
            "record": record,
            "worker": record.worker,
            "current": record.current_permit,
            "today": today,
            "done": done,
            "values": values or {},
            "errors": errors or {},
            "action": action,
        },
        status_code=400 if errors else 200,
    )
