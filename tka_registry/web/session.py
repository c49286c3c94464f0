"""Signing in and out of the pages with a session cookie, and choosing the page language."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from tka_registry.accounts.attack_notice import attack_warning
from tka_registry.accounts.auth import (
    CSRF_COOKIE,
    PUBLIC,
    SESSION_COOKIE,
    access,
    client_address,
    cookie_name,
    session_cookie,
    session_csrf_token,
)
from tka_registry.accounts.roles import READERS, Actor
from tka_registry.accounts.service import SignInRefused, revoke_token, sign_in
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


def _refusal_message(_: Gettext) -> str:
    # One message for every refusal: it never tells whether the account exists or waits.
    return _(
        "The email address or password is wrong, the account is disabled, or it must wait a "
        "few minutes after repeated failed sign-ins."
    )


def _session_cookies(response: Redirect, token: str, settings: Settings) -> None:
    """The session cookie, and a CSRF cookie bound to that session (replacing the visitor's)."""
    secure = settings.cookie_secure
    response.set_cookie(
        key=cookie_name(SESSION_COOKIE, secure),
        value=token,
        max_age=settings.session_lifetime_minutes * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    response.set_cookie(
        key=cookie_name(CSRF_COOKIE, secure),
        value=session_csrf_token(settings.secret_key, token),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
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
                warn=attack_warning(settings),
            )
        except SignInRefused:
            return _sign_in_page(values, {"password": _refusal_message(_)}, status_code=400)
        response = Redirect(safe_next(values.get("next"), "/"), status_code=HTTP_303_SEE_OTHER)
        _session_cookies(response, issued.token, settings)
        return response

    @post("/keluar", opt=access(*READERS))
    async def sign_out(
        self, request: Request[Any, Any, Any], actor: CurrentActor, now: Now, settings: SettingsDep
    ) -> Redirect:
        session = request.cookies.get(session_cookie(request))
        if session:
            await revoke_token(actor, session, now=now)
        response = Redirect(f"{SIGN_IN_PATH}?keluar=1", status_code=HTTP_303_SEE_OTHER)
        response.delete_cookie(session_cookie(request), path="/")
        # The CSRF token was the session's: the next visit gets a fresh one.
        response.delete_cookie(cookie_name(CSRF_COOKIE, settings.cookie_secure), path="/")
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
