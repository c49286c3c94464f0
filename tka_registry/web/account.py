"""The signed-in account's own page: changing the password."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from tka_registry.accounts.auth import SESSION_COOKIE, access
from tka_registry.accounts.passwords import MIN_PASSWORD_LENGTH, password_problem
from tka_registry.accounts.roles import READERS
from tka_registry.dependencies import CurrentActor, Now
from tka_registry.errors import InvalidInput
from tka_registry.web.forms import FormErrors
from tka_registry.web.i18n import Gettext, translator
from tka_registry.web.password_change import change_password

PASSWORD_PATH = "/akun/kata-sandi"  # noqa: S105 - a page path, not a secret
PASSWORD_FIELDS = ("current_password", "new_password", "new_password_again")


def _password_page(errors: FormErrors, status_code: int = 200, changed: bool = False) -> Template:
    # Passwords are never sent back into the form, even when it re-renders.
    return Template(
        template_name="account/password.html",
        context={"errors": errors, "values": {}, "changed": changed},
        status_code=status_code,
    )


def _problems(form: dict[str, str], _: Gettext) -> FormErrors:
    errors: FormErrors = {}
    if not form.get("current_password"):
        errors["current_password"] = _("Enter your current password.")
    new = form.get("new_password", "")
    if password_problem(new):
        errors["new_password"] = _(
            "Choose a password of at least %(count)s characters, without spaces at its start "
            "or end.",
            count=MIN_PASSWORD_LENGTH,
        )
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
        self, request: Request[Any, Any, Any], actor: CurrentActor, now: Now
    ) -> Template | Redirect:
        _ = translator(request)
        # Raw values: a password's own spaces matter, so they are not trimmed here.
        raw = await request.form()
        form = {key: str(raw.get(key, "")) for key in PASSWORD_FIELDS}
        errors = _problems(form, _)
        if errors:
            return _password_page(errors, status_code=400)
        try:
            await change_password(
                actor,
                current=form["current_password"],
                new=form["new_password"],
                keep_token=request.cookies.get(SESSION_COOKIE, str(request.auth or "")),
                now=now,
            )
        except InvalidInput:
            wrong = {"current_password": _("The current password is wrong.")}
            return _password_page(wrong, status_code=400)
        return Redirect(f"{PASSWORD_PATH}?berhasil=1", status_code=HTTP_303_SEE_OTHER)
