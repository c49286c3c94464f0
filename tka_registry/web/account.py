"""The signed-in account's own page: changing the password."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from tka_registry.accounts.auth import access, session_cookie
from tka_registry.accounts.passwords import password_problem_code
from tka_registry.accounts.roles import READERS
from tka_registry.dependencies import CurrentActor, Now, SettingsDep
from tka_registry.errors import InvalidInput
from tka_registry.web.forms import FormErrors
from tka_registry.web.i18n import Gettext, translator
from tka_registry.web.password_change import change_password
from tka_registry.web.password_rules import new_password_message

PASSWORD_PATH = "/akun/kata-sandi"  # noqa: S105 - a page path, not a secret
PASSWORD_FIELDS = ("current_password", "new_password", "new_password_again")


def _password_page(errors: FormErrors, status_code: int = 200, changed: bool = False) -> Template:
    # Passwords are never sent back into the form, even when it re-renders.
    return Template(
        template_name="account/password.html",
        context={"errors": errors, "values": {}, "changed": changed},
        status_code=status_code,
    )


def _problems(form: dict[str, str], email: str, _: Gettext) -> FormErrors:
    errors: FormErrors = {}
    if not form.get("current_password"):
        errors["current_password"] = _("Enter your current password.")
    new = form.get("new_password", "")
    problem = password_problem_code(new, email)
    if problem:
        errors["new_password"] = new_password_message(problem, _)
    elif form.get("new_password_again", "") != new:
        errors["new_password_again"] = _("The two new passwords are not the same.")
    return errors


class AccountController(Controller):
    include_in_schema = False

    @get(PASSWORD_PATH, opt=access(*READERS))
    async def password_form(
        self, changed: Annotated[str | None, QueryParameter(name="berhasil")] = None
    ) -> Template:
        return _password_page({}, changed=bool(changed))

    @post(PASSWORD_PATH, opt=access(*READERS))
    async def change(
        self, request: Request[Any, Any, Any], actor: CurrentActor, now: Now, settings: SettingsDep
    ) -> Template | Redirect:
        _ = translator(request)
        # Raw values: a password's own spaces matter, so they are not trimmed here.
        raw = await request.form()
        form = {key: str(raw.get(key, "")) for key in PASSWORD_FIELDS}
        errors = _problems(form, actor.email, _)
        if errors:
            return _password_page(errors, status_code=400)
        try:
            await change_password(
                actor,
                current=form["current_password"],
                new=form["new_password"],
                keep_token=request.cookies.get(session_cookie(request), str(request.auth or "")),
                now=now,
                max_failures=settings.signin_max_failures,
                lockout=timedelta(minutes=settings.signin_lockout_minutes),
            )
        except InvalidInput:
            wrong = {
                "current_password": _(
                    "The current password is wrong, or it must wait a few minutes after "
                    "repeated wrong guesses."
                )
            }
            return _password_page(wrong, status_code=400)
        return Redirect(f"{PASSWORD_PATH}?berhasil=1", status_code=HTTP_303_SEE_OTHER)
