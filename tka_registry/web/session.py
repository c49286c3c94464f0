"""Signing in and out of the pages with a session cookie, and choosing the page language."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from tka_registry.accounts.auth import PUBLIC, SESSION_COOKIE, access, client_address
from tka_registry.accounts.roles import READERS, Actor
from tka_registry.accounts.service import SignInRefused, normalise_email, revoke_token, sign_in
from tka_registry.accounts.tables import Account
from tka_registry.dependencies import CurrentActor, Now, SettingsDep
from tka_registry.security.rate_limits import signin_rate_limit
from tka_registry.settings import Settings
from tka_registry.web.forms import FormErrors, form_values
from tka_registry.web.i18n import LANGUAGE_COOKIE, LANGUAGES, Gettext, translator
from tka_registry.web.layout import SIGN_IN_PATH, home_path, safe_next

LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def _sign_in_page(
    values: dict[str, str], errors: FormErrors, status_code: int = 200, notice: str = ""
) -> Template:
    return Template(
        template_name="signin.html",
        context={"values": values, "errors": errors, "notice": notice},
        status_code=status_code,
    )


async def _lockout_minutes(email: str, now: datetime) -> int | None:
    """Minutes left of a sign-in lockout of ``email``, or None when it is not locked."""
    row = await Account.select(Account.locked_until).where(Account.email == email).first()
    locked_until = row["locked_until"] if row else None
    if locked_until is None or locked_until <= now:
        return None
    return max(1, math.ceil((locked_until - now).total_seconds() / 60))


async def _refusal_message(email: str, now: datetime, _: Gettext) -> str:
    minutes = await _lockout_minutes(email, now)
    if minutes is not None:
        return _(
            "Too many failed sign-ins. For your safety this account is locked: "
            "try again in %(minutes)s minutes.",
            minutes=minutes,
        )
    return _("The email address or password is wrong, or the account is disabled.")


def _session_cookie(response: Redirect, token: str, settings: Settings) -> None:
    response.set_cookie(
        key=SESSION_COOKIE,
        value=token,
        max_age=settings.session_lifetime_minutes * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


class SessionController(Controller):
    """``/masuk`` (sign in), ``/keluar`` (sign out), ``/bahasa/{code}`` and ``/`` (home)."""

    include_in_schema = False

    @get("/", opt=access(PUBLIC))
    async def home(self, request: Request[Any, Any, Any]) -> Redirect:
        """Each account's home page; the sign-in page for visitors."""
        return Redirect(home_path(request.scope.get("user")), status_code=HTTP_303_SEE_OTHER)

    @get(SIGN_IN_PATH, opt=access(PUBLIC))
    async def sign_in_form(
        self,
        request: Request[Any, Any, Any],
        next_page: Annotated[str | None, QueryParameter(name="next")] = None,
        signed_out: Annotated[str | None, QueryParameter(name="keluar")] = None,
    ) -> Template | Redirect:
        actor: Actor | None = request.scope.get("user")
        if actor is not None:
            target = safe_next(next_page, home_path(actor))
            return Redirect(target, status_code=HTTP_303_SEE_OTHER)
        _ = translator(request)
        notice = _("You have signed out.") if signed_out else ""
        return _sign_in_page({"next": next_page or ""}, {}, notice=notice)

    @post(SIGN_IN_PATH, opt=access(PUBLIC), guards=[signin_rate_limit])
    async def sign_in(
        self, request: Request[Any, Any, Any], settings: SettingsDep, now: Now
    ) -> Template | Redirect:
        _ = translator(request)
        values = await form_values(request)
        email, password = values.get("email", ""), (await request.form()).get("password", "")
        errors: FormErrors = {}
        if not email:
            errors["email"] = _("Enter your email address.")
        if not password:
            errors["password"] = _("Enter your password.")
        if errors:
            return _sign_in_page(values, errors, status_code=400)
        try:
            issued = await sign_in(
                email,
                str(password),
                kind="session",
                lifetime=timedelta(minutes=settings.session_lifetime_minutes),
                now=now,
                address=client_address(request),
                max_failures=settings.signin_max_failures,
                lockout=timedelta(minutes=settings.signin_lockout_minutes),
            )
        except SignInRefused:
            message = await _refusal_message(normalise_email(email), now, _)
            return _sign_in_page(values, {"password": message}, status_code=400)
        response = Redirect(safe_next(values.get("next"), "/"), status_code=HTTP_303_SEE_OTHER)
        _session_cookie(response, issued.token, settings)
        return response

    @post("/keluar", opt=access(*READERS))
    async def sign_out(
        self, request: Request[Any, Any, Any], actor: CurrentActor, now: Now
    ) -> Redirect:
        if request.cookies.get(SESSION_COOKIE):
            await revoke_token(actor, request.cookies[SESSION_COOKIE], now=now)
        response = Redirect(f"{SIGN_IN_PATH}?keluar=1", status_code=HTTP_303_SEE_OTHER)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @get("/bahasa/{code:str}", opt=access(PUBLIC))
    async def choose_language(
        self,
        code: FromPath[str],
        settings: SettingsDep,
        next_page: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Redirect:
        """Remember the visitor's language and go back to the page they were on."""
        response = Redirect(safe_next(next_page, "/"), status_code=HTTP_303_SEE_OTHER)
        if code in LANGUAGES:
            response.set_cookie(
                key=LANGUAGE_COOKIE,
                value=code,
                max_age=LANGUAGE_COOKIE_SECONDS,
                path="/",
                httponly=True,
                samesite="lax",
                secure=settings.cookie_secure,
            )
        return response
