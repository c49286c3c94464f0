"""User management pages for admins under ``/admin/akun``: list, create, disable or enable,
reset a password and change a role. The same services as ``/api/v1/accounts``, so every
change is audited and disabling or resetting signs the account out everywhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from tka_registry.accounts import admin
from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.accounts.service import create_account
from tka_registry.dependencies import CurrentActor, Now
from tka_registry.errors import DomainError
from tka_registry.web.forms import domain_problems, form_values
from tka_registry.web.i18n import translator

BASE = "/admin/akun"


def _employer_id(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


async def _listing(
    request: Request[Any, Any, Any], values: dict[str, str], errors: dict[str, str], **extra: Any
) -> Template:
    rows, total = await admin.list_accounts(role=None, q=None, limit=500, offset=0)
    return Template(
        template_name="accounts/list.html",
        context={
            "accounts": rows,
            "total": total,
            "values": values,
            "errors": errors,
            "role_options": [(role.value, role.value) for role in Role],
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
    }


def _done(code: str) -> Redirect:
    return Redirect(f"{BASE}?{urlencode({'pesan': code})}", status_code=HTTP_303_SEE_OTHER)


class AccountAdminPages(Controller):
    path = BASE
    include_in_schema = False

    @get("/", opt=access(Role.ADMIN))
    async def accounts(self, request: Request[Any, Any, Any]) -> Template:
        return await _listing(request, {}, {})

    @post("/", opt=access(Role.ADMIN))
    async def create(self, request: Request[Any, Any, Any], actor: CurrentActor, now: Now) -> Any:
        _ = translator(request)
        values = await form_values(request)
        password = admin.temporary_password()
        try:
            await create_account(
                actor,
                email=values.get("email", ""),
                role=values.get("role", ""),
                password=password,
                employer_id=_employer_id(values.get("employer_id", "")),
                now=now,
            )
        except DomainError as error:
            return await _listing(request, values, domain_problems(error))
        # Shown once, on this answer only: never put in a URL or a log.
        message = _("Account %(email)s created.", email=values.get("email", "").lower())
        return await _listing(request, {}, {}, one_time_password=password, created=message)

    @post("/{account_id:int}/status", opt=access(Role.ADMIN))
    async def set_active(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[int],
        actor: CurrentActor,
        now: Now,
    ) -> Any:
        values = await form_values(request)
        active = values.get("is_active") == "true"
        try:
            await admin.change_account(actor, account_id, {"is_active": active}, now=now)
        except DomainError as error:
            return await _listing(request, values, domain_problems(error))
        return _done("aktif" if active else "nonaktif")

    @post("/{account_id:int}/peran", opt=access(Role.ADMIN))
    async def change_role(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[int],
        actor: CurrentActor,
        now: Now,
    ) -> Any:
        values = await form_values(request)
        changes = {
            "role": values.get("role", ""),
            "employer_id": _employer_id(values.get("employer_id", "")),
        }
        try:
            await admin.change_account(actor, account_id, changes, now=now)
        except DomainError as error:
            return await _listing(request, values, domain_problems(error))
        return _done("peran")

    @post("/{account_id:int}/kata-sandi", opt=access(Role.ADMIN))
    async def reset_password(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[int],
        actor: CurrentActor,
        now: Now,
    ) -> Any:
        _ = translator(request)
        try:
            password = await admin.reset_password(actor, account_id, None, now=now)
        except DomainError as error:
            return await _listing(request, {}, domain_problems(error))
        message = _("Password reset; the account was signed out everywhere.")
        return await _listing(request, {}, {}, one_time_password=password, created=message)
