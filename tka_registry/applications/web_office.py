"""The officer's review queue and case page with its decisions, and the public /track page."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from pydantic import ValidationError

from tka_registry.accounts.auth import PUBLIC, access
from tka_registry.accounts.roles import OFFICE_ROLES
from tka_registry.applications import assignment, decisions, service
from tka_registry.applications.schemas import (
    ApplicationKind,
    ApplicationOut,
    ApplicationStatus,
    DecisionIn,
    TrackOut,
)
from tka_registry.applications.web import (
    attachment_download,
    case_page,
    letter_download,
    permit_download,
    problems_of,
)
from tka_registry.dependencies import CallDep, CurrentActor, Now, SettingsDep, Today
from tka_registry.employers.tables import Employer
from tka_registry.errors import DomainError, InvalidInput, NotFound
from tka_registry.rules.nationality import UnknownNationality, canonical_nationality
from tka_registry.second_home.service import track_second_home
from tka_registry.security.rate_limits import limit_case_lookups, track_rate_limit
from tka_registry.web.confirmation import confirmation, confirmed
from tka_registry.web.forms import form_values, validation_problems
from tka_registry.web.i18n import format_day, language_of, translator

BASE = "/petugas/permohonan"


def _whole_number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 6 else None


class ReviewPages(Controller):
    path = BASE
    include_in_schema = False

    @get("/", opt=access(*OFFICE_ROLES))
    async def queue(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        today: Today,
        kind: Annotated[str | None, QueryParameter(name="jenis")] = None,
        status: Annotated[str | None, QueryParameter(name="status")] = None,
        nationality: Annotated[str | None, QueryParameter(name="kewarganegaraan")] = None,
        employer: Annotated[str | None, QueryParameter(name="penjamin")] = None,
        age: Annotated[str | None, QueryParameter(name="umur")] = None,
    ) -> Template:
        """Submitted cases, oldest first; filters read as typed and ignored when unknown."""
        _ = translator(request)
        errors = {}
        code = None
        if nationality:
            try:
                code = canonical_nationality(nationality)
            except UnknownNationality:
                errors["kewarganegaraan"] = _("Unknown nationality.")
        filters = service.ApplicationFilters(
            kind=kind if kind in set(ApplicationKind) else None,
            status=(status or "submitted")
            if (status or "submitted") in set(ApplicationStatus)
            else None,
            nationality=code,
            employer_id=_whole_number(employer),
            min_age_days=_whole_number(age),
        )
        page = await service.list_applications(actor, filters, limit=200, offset=0, today=today)
        employers = await Employer.select(Employer.id, Employer.name).order_by(Employer.name)
        values = {
            "jenis": kind or "",
            "status": status or "submitted",
            "kewarganegaraan": nationality or "",
            "penjamin": employer or "",
            "umur": age or "",
        }
        return Template(
            template_name="applications/queue.html",
            context={
                "cases": page.items,
                "total": page.total,
                "values": values,
                "errors": errors,
                "kinds": [k.value for k in ApplicationKind],
                "statuses": [s.value for s in ApplicationStatus if s != ApplicationStatus.DRAFT],
                "employers": [(str(e["id"]), e["name"]) for e in employers],
            },
        )

    @get("/{case_id:int}", opt=access(*OFFICE_ROLES))
    async def show(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> Template:
        return await case_page(
            request, actor, case_id, settings, today, template="applications/review.html"
        )

    @get("/{case_id:int}/lampiran/{attachment_id:int}", opt=access(*OFFICE_ROLES))
    async def attachment(
        self,
        case_id: FromPath[int],
        attachment_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
    ) -> Response[bytes]:
        return await attachment_download(actor, case_id, attachment_id, settings)

    @get("/{case_id:int}/surat", opt=access(*OFFICE_ROLES))
    async def letter(
        self, case_id: FromPath[int], actor: CurrentActor, settings: SettingsDep
    ) -> Response[bytes]:
        return await letter_download(actor, case_id, settings)

    @get("/{case_id:int}/izin", opt=access(*OFFICE_ROLES))
    async def permit_document(
        self, case_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, now: Now
    ) -> Response[bytes]:
        return await permit_download(actor, case_id, settings, now)

    @post("/{case_id:int}/ambil", opt=access(*OFFICE_ROLES))
    async def take(
        self, request: Request[Any, Any, Any], case_id: FromPath[int], call: CallDep
    ) -> Template | Redirect:
        """Take the case ("ambil"), give it back (``lepas``) or, after a confirmation, take it
        over from an absent colleague (``ambil_alih``)."""
        values = await form_values(request)
        _ = translator(request)
        action = values.get("action")
        move = TAKE_ACTIONS.get(action or "", assignment.TAKE)
        try:
            if action == "ambil_alih" and not confirmed(values):
                case = await service.get_application(
                    call.actor, case_id, settings=call.settings, today=call.today
                )
                holder = assignment.other_holder(case.assigned_to, call.actor)
                if holder is not None:
                    return take_over_confirmation(_, case, holder)
            await assignment.move_case(
                move, call.actor, case_id, now=call.now, settings=call.settings
            )
        except NotFound:
            raise
        except DomainError as error:
            message = (
                _("%(officer)s has already taken this case.", officer=error.holder)
                if isinstance(error, assignment.CaseTaken)
                else _("This case cannot be taken or given back now.")
            )
            return await case_page(
                request,
                call.actor,
                case_id,
                call.settings,
                call.today,
                template="applications/review.html",
                errors={"assigned_to": message},
                status_code=409,
            )
        return Redirect(f"{BASE}/{case_id}", status_code=HTTP_303_SEE_OTHER)

    @post("/{case_id:int}/keputusan", opt=access(*OFFICE_ROLES))
    async def decide(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Template | Redirect:
        """One decision; on a problem the case page comes back with the officer's input."""
        _ = translator(request)
        values = await form_values(request)
        fields = {k: (values.get(k) or None) for k in ("decision", "message", "permit_number")}
        fields |= {k: (values.get(k) or None) for k in ("valid_from", "expires_on")}
        status_code = 400
        try:
            data = DecisionIn.model_validate(fields)
            if data.decision in ("approve", "reject") and not confirmed(values):
                case = await service.get_application(actor, case_id, settings=settings, today=today)
                # Said before the confirmation too; the decision's own claim is the real check.
                holder = assignment.other_holder(case.assigned_to, actor)
                if holder is not None:
                    raise assignment.CaseTaken(holder)
                return decision_confirmation(_, case, data, values, language_of(request))
            await decisions.decide(actor, case_id, data, settings=settings, today=today, now=now)
        except ValidationError as error:
            errors = validation_problems(error, _)
        except NotFound:
            raise
        except assignment.CaseTaken as error:
            errors = {"assigned_to": _not_yours(_, error.holder)}
            status_code = 409
        except DomainError as error:
            errors = problems_of(error, request)
            if "number" in errors:  # the permit's number is the form's permit_number
                errors["permit_number"] = errors.pop("number")
            if data.decision in ("reject", "return") and "message" in errors:
                errors["message"] = _("Write the reason or what the employer must add.")
        else:
            return Redirect(f"{BASE}/{case_id}", status_code=HTTP_303_SEE_OTHER)
        return await case_page(
            request,
            actor,
            case_id,
            settings,
            today,
            template="applications/review.html",
            errors=errors,
            values=values,
            status_code=status_code,
        )


TAKE_ACTIONS = {
    "ambil": assignment.TAKE,
    "lepas": assignment.RELEASE,
    "ambil_alih": assignment.TAKE_OVER,
}


def _not_yours(_: Any, holder: str) -> str:
    return _(
        "%(officer)s has taken this case: only they can decide it. Take it over to decide it "
        "yourself.",
        officer=holder,
    )


def take_over_confirmation(_: Any, case: ApplicationOut, holder: str) -> Template:
    """The page saying what taking a colleague's case over does, before it is done."""
    register = case.register_number or ""
    return confirmation(
        title=_("Take over case %(register)s from %(officer)s?", register=register, officer=holder),
        consequences=[
            _(
                "You become the officer who has this case; %(officer)s can no longer decide it.",
                officer=holder,
            ),
            _("The case's history and the audit log record the take-over with both names."),
        ],
        action=f"{BASE}/{case.id}/ambil",
        values={"action": "ambil_alih"},
        confirm=_("Yes, take the case over"),
        back=f"{BASE}/{case.id}",
    )


def decision_confirmation(
    _: Any, case: ApplicationOut, data: DecisionIn, values: dict[str, str], language: str
) -> Template:
    """The page saying what an approval or a rejection will do, before it is done."""
    name = case.person_name or "–"
    register = case.register_number or ""
    if data.decision == "reject":
        if not data.message:
            raise InvalidInput("message", "the reason of a rejection is required")
        title = _("Reject case %(register)s?", register=register)
        lines = [
            _(
                "The case of %(name)s is rejected with this reason: %(reason)s",
                name=name,
                reason=data.message,
            ),
            _("This cannot be undone; the employer may file a new application."),
        ]
        confirm = _("Yes, reject the case")
    else:
        title = _("Approve case %(register)s?", register=register)
        lines = [_approval_effect(_, case, data, language)]
        confirm = _("Yes, approve the case")
    lines += [
        _("A decision letter is numbered and signed in your name."),
        _("The employer is told of the decision by email."),
    ]
    return confirmation(
        title=title,
        consequences=lines,
        action=f"{BASE}/{case.id}/keputusan",
        values=values,
        confirm=confirm,
        back=f"{BASE}/{case.id}",
    )


def _approval_effect(_: Any, case: ApplicationOut, data: DecisionIn, language: str) -> str:
    name = case.person_name or "–"
    details = case.details
    if case.kind in (ApplicationKind.ITAS_NEW, ApplicationKind.ITAS_EXTENSION):
        start = data.valid_from or details.requested_from
        until = data.expires_on or details.requested_until
        return _(
            "%(name)s receives stay permit %(number)s, valid %(start)s to %(until)s.",
            name=name,
            number=data.permit_number or f"ITAS-{case.register_number}",
            start=format_day(start, language) if start else "–",
            until=format_day(until, language) if until else "–",
        )
    if case.kind == ApplicationKind.DEPARTURE_REPORT and details.departed_on:
        return _(
            "The permit of %(name)s ends on %(day)s (departure without re-entry).",
            name=name,
            day=format_day(details.departed_on, language),
        )
    return _("The reported change is written to the record of %(name)s.", name=name)


TRACK_FIELDS = ("register_number", "passport_number")


def _track_page(
    values: dict[str, str],
    *,
    result: dict[str, Any] | None = None,
    missing: bool = False,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        template_name="applications/track.html",
        context={"result": result, "missing": missing, "values": values, "errors": errors or {}},
        status_code=status_code,
    )


class TrackPage(Controller):
    path = "/track"
    include_in_schema = False

    @get("/", opt=access(PUBLIC))
    async def track_form(self) -> Template:
        """Public: the form asking for a register number and a passport number."""
        return _track_page({"register_number": "", "passport_number": ""})

    @post("/", opt=access(PUBLIC), guards=[track_rate_limit])
    async def track(self, request: Request[Any, Any, Any], settings: SettingsDep) -> Template:
        """Public: the status of one case, an application or a Second Home case, found by its
        register number and a passport number on it. A POST form, so the passport number
        never lands in a URL, the browser history or an access log."""
        _ = translator(request)
        values = await form_values(request)
        values = {name: values.get(name, "")[:40] for name in TRACK_FIELDS}
        errors = {
            name: _("Enter the register number.")
            if name == "register_number"
            else _("Enter the passport number.")
            for name in TRACK_FIELDS
            if not values[name]
        }
        if errors:
            return _track_page(values, errors=errors, status_code=400)
        await limit_case_lookups(request, values["register_number"])
        register_number, passport_number = values["register_number"], values["passport_number"]
        found: TrackOut | None
        try:
            found = await service.track(register_number, passport_number)
            case_type = "application"
        except NotFound:
            found = await track_second_home(
                register_number,
                passport_number,
                proof_days=settings.second_home_proof_deadline_days,
            )
            case_type = "second_home"
        if found is None:
            return _track_page(values, missing=True, status_code=404)
        return _track_page(values, result={"case": found, "type": case_type})
