"""Officers' pages for Second Home cases: list, entry form, case page with its decisions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from pydantic import ValidationError

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES
from tka_registry.dependencies import CurrentActor, Now, SettingsDep, Today
from tka_registry.documents.service import download_permit_document, read_document
from tka_registry.errors import DomainError, InvalidInput, NotFound
from tka_registry.second_home import commitment, decision, service
from tka_registry.second_home import facts as read
from tka_registry.second_home.schemas import CaseIn, DecisionIn, ProofKind, RevocationIn
from tka_registry.settings import Settings
from tka_registry.web.confirmation import confirmation, confirmed
from tka_registry.web.forms import FormErrors, domain_problems, form_values, validation_problems
from tka_registry.web.i18n import format_day, language_of, translator
from tka_registry.web.layout import N_

BASE = "/petugas/rumah-kedua"
DEPENDANT_SLOTS = 3
# Refusals of the Second Home services that these pages show, as catalogue ids (translated by
# domain_problems).
SERVICE_REASONS = (
    N_("a rejection needs its reason"),
    N_("application date %(day)s is in the future"),
    N_("this person is already in Second Home case %(case)s"),
    N_("this person is already on the case"),
    N_("no dependant %(id)s here"),
    N_("the case is %(status)s: it can no longer be changed"),
    N_("the case is %(status)s, not approved"),
    N_("lodging date %(day)s is in the future"),
    N_("proof was lodged on %(day)s"),
    N_("lodging date %(day)s is before issue %(issued)s"),
    N_("the deadline was %(deadline)s: the case is overdue and must be revoked"),
    N_("revocation date %(day)s is in the future"),
    N_(
        "%(name)s holds valid permit %(number)s (%(index)s) until %(day)s: revoke it"
        " before approving"
    ),
    N_("enter the date of the decision"),
    N_("decision date %(day)s is in the future"),
    N_("decision date %(day)s is before the application date %(application)s"),
)
PERSON_FIELDS = ("full_name", "sex", "date_of_birth", "place_of_birth", "nationality")
PASSPORT_FIELDS = {
    "number": "passport_number",
    "issuing_country": "passport_country",
    "issued_on": "passport_issued_on",
    "expires_on": "passport_expires_on",
}


def _person(values: dict[str, str], prefix: str) -> dict[str, Any]:
    person: dict[str, Any] = {name: values.get(f"{prefix}{name}") or None for name in PERSON_FIELDS}
    person["address"] = values.get("address") or None
    person["regency"] = values.get("regency") or None
    person["passport"] = {
        key: values.get(f"{prefix}{name}") or None for key, name in PASSPORT_FIELDS.items()
    }
    return person


def case_from_form(values: dict[str, str]) -> dict[str, Any]:
    """The JSON shape of :class:`CaseIn` from the flat form; empty dependant slots are skipped."""
    dependants = []
    for slot in range(1, DEPENDANT_SLOTS + 1):
        prefix = f"d{slot}_"
        if values.get(f"{prefix}full_name"):
            dependants.append(
                _person(values, prefix) | {"relation": values.get(f"{prefix}relation") or None}
            )
    owns_property = values.get("owns_property") == "yes"
    return {
        "application_date": values.get("application_date") or None,
        "stay_years": values.get("stay_years") or None,
        "funds_idr": None if owns_property else (values.get("funds_idr") or None),
        "bank": None if owns_property else (values.get("bank") or None),
        "owns_property": owns_property,
        "property_description": values.get("property_description") or None,
        "principal": _person(values, "p_"),
        "dependants": dependants,
    }


def form_field(path: str) -> str:
    """The form field of a path: ``dependants[1].passport.number`` -> ``d2_passport_number``."""
    path = re.sub(
        r"dependants(?:\[(\d+)\]|\.(\d+))\.", lambda m: f"d{int(m[1] or m[2]) + 1}_", path
    )
    path = path.replace("principal.", "p_")
    for key, name in PASSPORT_FIELDS.items():
        path = path.replace(f"passport.{key}", name)
    path = re.sub(r"^(p_|d\d_)(address|regency)$", r"\2", path)
    return path


def _form_errors(problems: FormErrors) -> FormErrors:
    """Problems by form field; the principal's first where people share one (the address)."""
    errors: FormErrors = {}
    for field, reason in problems.items():
        errors.setdefault(form_field(field), reason)
    return errors


def _redirect(path: str) -> Redirect:
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


async def _case_page(
    case_id: int, settings: Settings, today: date, *, errors: FormErrors | None = None,
    values: dict[str, str] | None = None, status_code: int = 200,
) -> Template:  # fmt: skip
    case = await service.get_case(case_id, settings=settings, today=today)
    return Template(
        template_name="second_home/case.html",
        context={
            "case": case,
            "errors": errors or {},
            "values": {"decided_on": today.isoformat(), "lodged_on": today.isoformat(),
                       "revoked_on": today.isoformat(), **(values or {})},
            "base": BASE,
        },
        status_code=status_code,
    )  # fmt: skip


class SecondHomePages(Controller):
    path = BASE
    include_in_schema = False

    @get("/", opt=access(*OFFICE_ROLES))
    async def cases(self, settings: SettingsDep, today: Today) -> Template:
        page = await service.list_cases(
            status=None, q=None, limit=200, offset=0, today=today, settings=settings
        )
        overdue = await commitment.overdue_cases(
            limit=200, offset=0, today=today, settings=settings
        )
        return Template(
            template_name="second_home/list.html",
            context={"cases": page.items, "overdue": overdue.items, "base": BASE},
        )

    @get("/baru", opt=access(*OFFICE_ROLES))
    async def new(self, settings: SettingsDep) -> Template:
        return _form({}, {}, settings)

    @post("/baru", opt=access(*OFFICE_ROLES))
    async def create(
        self, request: Request[Any, Any, Any], actor: CurrentActor, settings: SettingsDep,
        today: Today, now: Now,
    ) -> Template | Redirect:  # fmt: skip
        values = await form_values(request)
        try:
            data = CaseIn.model_validate(case_from_form(values))
            case = await service.create_case(actor, data, settings=settings, today=today, now=now)
        except ValidationError as error:
            errors = _form_errors(validation_problems(error, translator(request)))
        except DomainError as error:
            errors = _form_errors(domain_problems(error, translator(request)))
        else:
            return _redirect(f"{BASE}/{case.id}")
        return _form(values, errors, settings, status_code=400)

    @get("/{case_id:int}", opt=access(*OFFICE_ROLES))
    async def show(self, case_id: FromPath[int], settings: SettingsDep, today: Today) -> Template:
        return await _case_page(case_id, settings, today)

    @post("/{case_id:int}/keputusan", opt=access(*OFFICE_ROLES))
    async def decide(
        self, request: Request[Any, Any, Any], case_id: FromPath[int], actor: CurrentActor,
        settings: SettingsDep, today: Today, now: Now,
    ) -> Template | Redirect:  # fmt: skip
        values = await form_values(request)
        fields = {
            "approve": values.get("decision") == "approve",
            "decided_on": values.get("decided_on") or None,
            "reason": values.get("reason") or None,
        }
        if not confirmed(values):
            return await _confirm(request, case_id, values, settings, today, DecisionIn, fields)
        return await _act(
            request, case_id, values, settings, today,
            lambda: decision.decide_case(
                actor, case_id, DecisionIn.model_validate(fields), settings=settings,
                today=today, now=now,
            ),
        )  # fmt: skip

    @post("/{case_id:int}/bukti", opt=access(*OFFICE_ROLES))
    async def lodge_proof(
        self, request: Request[Any, Any, Any], case_id: FromPath[int], actor: CurrentActor,
        settings: SettingsDep, today: Today, now: Now,
    ) -> Template | Redirect:  # fmt: skip
        values = await form_values(request)
        upload = (await request.form()).get("file")
        content = (
            await upload.read(settings.upload_max_bytes + 1)
            if isinstance(upload, UploadFile)
            else b""
        )

        async def lodge() -> object:
            try:
                kind = ProofKind(values.get("kind", ""))
            except ValueError:
                raise InvalidInput(
                    "kind", N_("Choose the bank letter or the property certificate.")
                ) from None
            return await commitment.lodge_proof(
                actor, case_id, kind=kind, lodged_on=_date(values, "lodged_on"),
                content=content, settings=settings, today=today, now=now,
            )  # fmt: skip

        return await _act(request, case_id, values, settings, today, lodge)

    @post("/{case_id:int}/pencabutan", opt=access(*OFFICE_ROLES))
    async def revoke(
        self, request: Request[Any, Any, Any], case_id: FromPath[int], actor: CurrentActor,
        settings: SettingsDep, today: Today, now: Now,
    ) -> Template | Redirect:  # fmt: skip
        values = await form_values(request)
        fields = {"revoked_on": values.get("revoked_on") or None, "reason": values.get("reason")}
        if not confirmed(values):
            return await _confirm(request, case_id, values, settings, today, RevocationIn, fields)

        async def revoke() -> object:
            data = RevocationIn.model_validate(fields)
            return await commitment.revoke_case(
                actor, case_id, revoked_on=data.revoked_on, reason=data.reason,
                settings=settings, today=today, now=now,
            )  # fmt: skip

        return await _act(request, case_id, values, settings, today, revoke)

    @get("/{case_id:int}/izin/{permit_id:int}", opt=access(*OFFICE_ROLES))
    async def permit_document(
        self, case_id: FromPath[int], permit_id: FromPath[int], actor: CurrentActor,
        settings: SettingsDep, now: Now,
    ) -> Response[bytes]:  # fmt: skip
        """The stored PDF of a permit this case issued (404 for any other permit)."""
        if permit_id not in (await read.load_case(case_id)).permit_ids:
            raise NotFound("permit", f"case {case_id} issued no permit {permit_id}")
        pdf, filename = await download_permit_document(actor, permit_id, settings=settings, now=now)
        return _file(pdf, filename)

    @get("/{case_id:int}/surat", opt=access(*OFFICE_ROLES))
    async def letter(
        self, case_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, now: Now
    ) -> Response[bytes]:
        stored = await decision.approval_letter(actor, case_id, settings=settings, now=now)
        return _file(await read_document(stored), f"persetujuan-{case_id}.pdf")


def _date(values: dict[str, str], name: str) -> date:
    try:
        return date.fromisoformat(values.get(name, ""))
    except ValueError:
        raise InvalidInput(name, N_("Enter a real date, for example 2026-11-22.")) from None


def _file(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


async def _confirm(
    request: Request[Any, Any, Any], case_id: int, values: dict[str, str], settings: Settings,
    today: date, model: type[DecisionIn] | type[RevocationIn], fields: dict[str, Any],
) -> Template:  # fmt: skip
    """The page saying what a decision or a revocation will do; the case page with the
    messages when the input is wrong."""
    _ = translator(request)
    try:
        data = model.model_validate(fields)
        errors: FormErrors = {}
    except ValidationError as error:
        errors = validation_problems(error, _)
    if not errors and isinstance(data, DecisionIn) and not data.approve and not data.reason:
        errors = {"reason": _("Write the reason of the rejection.")}
    if errors:
        return await _case_page(
            case_id, settings, today, errors=errors, values=values, status_code=400
        )
    case = await service.get_case(case_id, settings=settings, today=today)
    register, name = case.register_number, case.principal.full_name
    if isinstance(data, RevocationIn):
        title = _("Revoke Second Home case %(register)s?", register=register)
        day = format_day(data.revoked_on, language_of(request))
        lines = [
            _("The E33 permits of %(name)s and of every dependant on the case end on %(day)s.",
              name=name, day=day),
            _("The reason is kept on the case and in the audit log: %(reason)s",
              reason=data.reason),
        ]  # fmt: skip
        confirm = _("Yes, revoke the permits")
    elif data.approve:
        title = _("Approve Second Home case %(register)s?", register=register)
        lines = [
            _("%(name)s and every dependant on the case receive an E33 stay permit of "
              "%(years)s years.", name=name, years=case.stay_years),
            _("The proof of funds or property is due within %(days)s days of the decision day.",
              days=settings.second_home_proof_deadline_days),
            _("An approval letter is signed in your name."),
        ]  # fmt: skip
        confirm = _("Yes, approve the case")
    else:
        title = _("Reject Second Home case %(register)s?", register=register)
        lines = [_("The case of %(name)s is rejected with this reason: %(reason)s",
                   name=name, reason=data.reason or "–")]  # fmt: skip
        confirm = _("Yes, reject the case")
    lines.append(_("This cannot be undone."))
    return confirmation(
        title=title, consequences=lines, action=str(request.url.path), values=values,
        confirm=confirm, back=f"{BASE}/{case_id}",
    )  # fmt: skip


async def _act(
    request: Request[Any, Any, Any], case_id: int, values: dict[str, str], settings: Settings,
    today: date, action: Any,
) -> Template | Redirect:  # fmt: skip
    """Run one action of the case page; on a problem the page comes back with the messages."""
    try:
        await action()
    except ValidationError as error:
        errors = validation_problems(error, translator(request))
    except NotFound:
        raise
    except DomainError as error:
        errors = domain_problems(error, translator(request))
    else:
        return _redirect(f"{BASE}/{case_id}")
    return await _case_page(case_id, settings, today, errors=errors, values=values, status_code=400)


def _form(
    values: dict[str, str], errors: FormErrors, settings: Settings, status_code: int = 200
) -> Template:
    return Template(
        template_name="second_home/form.html",
        context={
            "values": {"stay_years": "5", "p_passport_country": "", **values},
            "errors": errors,
            "regencies": [(r, r) for r in settings.regencies],
            "banks": settings.second_home_state_banks,
            "slots": range(1, DEPENDANT_SLOTS + 1),
            "base": BASE,
        },
        status_code=status_code,
    )
