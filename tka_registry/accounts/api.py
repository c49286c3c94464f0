"""Bearer tokens for the JSON API: issue, inspect, revoke."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody
from pydantic import BaseModel, ConfigDict, Field

from tka_registry.accounts.attack_notice import attack_warning
from tka_registry.accounts.auth import PUBLIC, access, client_address
from tka_registry.accounts.roles import READERS
from tka_registry.accounts.service import SignInRefused, revoke_token, sign_in
from tka_registry.dependencies import CurrentActor, Now, SettingsDep
from tka_registry.security.rate_limits import signin_rate_limit


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int


class Me(BaseModel):
    account_id: int | None
    email: str
    role: str
    employer_id: int | None


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["accounts"]

    @post("/token", opt=access(PUBLIC), status_code=200, guards=[signin_rate_limit])
    async def issue_token(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[Credentials],
        settings: SettingsDep,
        now: Now,
    ) -> TokenOut:
        """Sign in with email and password; answers a bearer token."""
        lifetime = timedelta(minutes=settings.token_lifetime_minutes)
        try:
            issued = await sign_in(
                data.email,
                data.password,
                kind="bearer",
                lifetime=lifetime,
                now=now,
                address=client_address(request),
                max_failures=settings.signin_max_failures,
                lockout=timedelta(minutes=settings.signin_lockout_minutes),
                warn=attack_warning(settings),
            )
        except SignInRefused as refused:
            raise NotAuthorizedException(refused.reason) from None
        return TokenOut(access_token=issued.token, expires_in=int(lifetime.total_seconds()))

    @delete("/token", opt=access(*READERS))
    async def revoke(self, request: Request[Any, Any, Any], actor: CurrentActor, now: Now) -> None:
        """Revoke the token this request carries."""
        await revoke_token(actor, str(request.auth), now=now)

    @get("/me", opt=access(*READERS))
    async def me(self, actor: CurrentActor) -> Me:
        return Me(
            account_id=actor.account_id,
            email=actor.email,
            role=actor.role,
            employer_id=actor.employer_id,
        )
