"""User management pages for admins under ``/admin/akun``: list, create, disable or enable,
reset a password (after a confirmation page) and change a role. The same services as
``/api/v1/accounts``, so every change is audited and disabling or resetting signs the account
out everywhere. The form is checked here first, so its messages are a clerk's words in the
page's language; a service's refusal is put in the same words by field."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from tka_registry.accounts import admin
from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.service import create_account
from tka_registry.dependencies import CurrentActor, Now
from tka_registry.employers.service import list_employers
from tka_registry.errors import Conflict, DomainError, NotFound
from tka_registry.web.forms import FormErrors, form_values
from tka_registry.web.i18n import Gettext, translator

BASE = "/admin/akun"


def account_form_problems(values: dict[str, str], _: Gettext, prefix: str = "") -> FormErrors:
    """What is wrong with a role (and employer) chosen on a form; with the email on a new one.

    ``prefix`` names the fields of one row's form (``role-7``) so the summary links to them.
    """
    problems: FormErrors = {}
    if "email" in values:
        email = values["email"].strip()
        if not email:
            problems["email"] = _("Enter the email address of the account holder.")
        elif "@" not in email.strip("@") or " " in email:
            problems["email"] = _("Enter an email address like nama@imigrasi.go.id.")
    role, employer = values.get("role", ""), values.get("employer_id", "")
    if role not in set(Role):
        problems[f"role{prefix}"] = _("Choose the role of the account.")
    elif role == Role.EMPLOYER and not employer:
        problems[f"employer_id{prefix}"] = _("Choose the employer this account works for.")
    elif role != Role.EMPLOYER and employer:
        problems[f"employer_id{prefix}"] = _(
            "Only an employer account belongs to an employer: choose no employer."
        )
    elif employer and not employer.isdigit():
        problems[f"employer_id{prefix}"] = _("Choose the employer from the list.")
    return problems


def service_problems(error: DomainError, _: Gettext, prefix: str = "") -> FormErrors:
    """A service's refusal in the page's words, by the field it names."""
    if isinstance(error, NotFound):
        raise error  # a missing account: the 404 page
    problems: FormErrors = {}
    for problem in error.problems:
        if isinstance(error, Conflict) and problem.field == "email":
            message = _("An account with this email address exists already.")
        elif isinstance(error, Conflict) and problem.field == "id":
            message = _("You cannot disable your own account or take away its admin role.")
        elif problem.field == "employer_id":
            message = _("Choose the employer from the list.")
        elif problem.field == "role":
            message = _("Choose the role of the account.")
        elif isinstance(error, Conflict) and problem.field == "nip":
            message = _("Another account carries this NIP already.")
        elif problem.field == "nip":
            message = _(
                "Enter the NIP's 18 digits: birth date (yyyymmdd), appointment year and month,"
                " sex (1 man, 2 woman) and sequence number."
            )
        elif problem.field in {"full_name", "position"}:
            message = _("This value is too long.")
        else:
            message = _("Check this value.")
        name = problem.field if problem.field in {"email", "id"} else problem.field + prefix
        problems.setdefault(name, message)
    return problems


async def _listing(
    request: Request[Any, Any, Any],
    actor: Actor,
    values: dict[str, str],
    errors: FormErrors,
    **extra: Any,
) -> Template:
    _ = translator(request)
    rows, total = await admin.list_accounts(role=None, q=None, limit=500, offset=0)
    employers = await list_employers(actor, q=None, regency=None, limit=5000, offset=0)
    return Template(
        template_name="accounts/list.html",
        context={
            "accounts": rows,
            "total": total,
            "values": values,
            "errors": errors,
            "employer_options": [(str(e.id), e.name) for e in employers.items],
            "employer_names": {e.id: e.name for e in employers.items},
            "message": _done_messages(request).get(request.query_params.get("pesan", ""), ""),
            "created": "",
            "one_time_password": "",
        }
        | extra,
        status_code=400 if errors else 200,
        # A one-time password may be on the page: no browser or proxy may keep a copy.
        headers={"Cache-Control": "no-store"},
    )


def _done_messages(request: Request[Any, Any, Any]) -> dict[str, str]:
    """What the list says after a change, by the code in its address (never free text there)."""
    _ = translator(request)
    return {
        "aktif": _("Account enabled."),
        "nonaktif": _("Account disabled and signed out."),
        "peran": _("Role changed; the account was signed out."),
        "identitas": _("Officer's name, NIP and position saved."),
    }


def _done(code: str) -> Redirect:
    return Redirect(f"{BASE}?{urlencode({'pesan': code})}", status_code=HTTP_303_SEE_OTHER)


def _employer_id(text: str) -> int | None:
    return int(text) if text.isdigit() else None


async def _reset_page(
    request: Request[Any, Any, Any], account_id: int, errors: FormErrors
) -> Template:
    return Template(
        template_name="accounts/reset.html",
        context={"account": await admin.get_account(account_id), "errors": errors},
        status_code=400 if errors else 200,
        headers={"Cache-Control": "no-store"},
    )


class AccountAdminPages(Controller):
    path = BASE
    include_in_schema = False

    @get("/", opt=access(Role.ADMIN))
    async def accounts(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        return await _listing(request, actor, {}, {})

    @post("/", opt=access(Role.ADMIN))
    async def create(
        self, request: Request[Any, Any, Any], actor: CurrentActor, now: Now
    ) -> Template:
        _ = translator(request)
        values = await form_values(request)
        values.setdefault("email", "")
        errors = account_form_problems(values, _)
        if errors:
            return await _listing(request, actor, values, errors)
        password = admin.temporary_password()
        try:
            await create_account(
                actor,
                email=values["email"],
                role=values["role"],
                password=password,
                employer_id=_employer_id(values.get("employer_id", "")),
                now=now,
                full_name=values.get("full_name", ""),
                nip=values.get("nip", ""),
                position=values.get("position", ""),
            )
        except DomainError as error:
            return await _listing(request, actor, values, service_problems(error, _))
        # Shown once, on this answer only: never put in a URL or a log.
        message = _("Account %(email)s created.", email=values["email"].strip().lower())
        return await _listing(request, actor, {}, {}, one_time_password=password, created=message)

    @post("/{account_id:int}/status", opt=access(Role.ADMIN))
    async def set_active(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[int],
        actor: CurrentActor,
        now: Now,
    ) -> Template | Redirect:
        _ = translator(request)
        values = await form_values(request)
        if values.get("is_active") not in {"true", "false"}:
            errors = {f"status-{account_id}": _("Choose to enable or to disable the account.")}
            return await _listing(request, actor, {}, errors)
        active = values["is_active"] == "true"
        try:
            await admin.change_account(actor, account_id, {"is_active": active}, now=now)
        except DomainError as error:
            return await _listing(request, actor, {}, service_problems(error, _))
        return _done("aktif" if active else "nonaktif")

    @post("/{account_id:int}/peran", opt=access(Role.ADMIN))
    async def change_role(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[int],
        actor: CurrentActor,
        now: Now,
    ) -> Template | Redirect:
        _ = translator(request)
        values = await form_values(request)
        values.pop("email", None)  # a row's form changes the role only
        row = f"-{account_id}"
        errors = account_form_problems(values, _, row)
        if errors:
            return await _listing(request, actor, {}, errors)
        employer_id = _employer_id(values.get("employer_id", ""))
        changes = {"role": values["role"], "employer_id": employer_id}
        try:
            await admin.change_account(actor, account_id, changes, now=now)
        except DomainError as error:
            return await _listing(request, actor, {}, service_problems(error, _, row))
        return _done("peran")

    @get("/{account_id:int}/kata-sandi", opt=access(Role.ADMIN))
    async def confirm_reset(
        self, request: Request[Any, Any, Any], account_id: FromPath[int]
    ) -> Template:
        return await _reset_page(request, account_id, {})

    @post("/{account_id:int}/identitas", opt=access(Role.ADMIN))
    async def change_identity(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[int],
        actor: CurrentActor,
        now: Now,
    ) -> Template | Redirect:
        """The officer's full name, NIP and position, as signed under decision letters."""
        _ = translator(request)
        values = await form_values(request)
        changes = {name: values.get(name, "") for name in admin.IDENTITY_FIELDS}
        try:
            await admin.change_account(actor, account_id, changes, now=now)
        except DomainError as error:
            return await _listing(request, actor, {}, service_problems(error, _, f"-{account_id}"))
        return _done("identitas")

    @post("/{account_id:int}/kata-sandi", opt=access(Role.ADMIN))
    async def reset_password(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[int],
        actor: CurrentActor,
        now: Now,
    ) -> Template:
        _ = translator(request)
        values = await form_values(request)
        if values.get("confirm") != "yes":
            errors = {"confirm": _("Confirm that the password is to be reset.")}
            return await _reset_page(request, account_id, errors)
        try:
            password = await admin.reset_password(actor, account_id, None, now=now)
        except DomainError as error:
            return await _reset_page(request, account_id, service_problems(error, _))
        message = _("Password reset; the account was signed out everywhere.")
        return await _listing(request, actor, {}, {}, one_time_password=password, created=message)
