"""JSON API for user management by admins, under ``/api/v1/accounts``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from pydantic import BaseModel, ConfigDict, Field

from tka_registry.accounts import admin
from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.accounts.service import create_account
from tka_registry.dependencies import CurrentActor, Now
from tka_registry.errors import InvalidInput
from tka_registry.pagination import MAX_LIMIT, Page

Password = Annotated[str, Field(min_length=1, max_length=1000)]
AccountId = Annotated[int, Field(ge=1, le=2_147_483_647)]
# The officer who signs letters: checked in accounts.officers (NIP structure: rules/nip.py).
OfficerText = Annotated[str, Field(max_length=200)]
Nip = Annotated[str, Field(max_length=40)]


class AccountOut(BaseModel):
    id: int
    email: str
    role: str
    employer_id: int | None
    is_active: bool
    failed_signins: int
    locked_until: datetime | None
    password_changed_at: datetime
    created_at: datetime
    full_name: str
    nip: str | None
    position: str


class NewAccount(BaseModel):
    """Without ``password`` the registry generates one and answers it once."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=254)]
    role: Role
    employer_id: AccountId | None = None
    password: Password | None = None
    full_name: OfficerText = ""
    nip: Nip = ""
    position: OfficerText = ""


class AccountChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_active: bool | None = None
    role: Role | None = None
    employer_id: AccountId | None = None
    full_name: OfficerText | None = None
    nip: Nip | None = None  # "" removes it
    position: OfficerText | None = None


class PasswordReset(BaseModel):
    """Without ``password`` the registry generates one and answers it once."""

    model_config = ConfigDict(extra="forbid")

    password: Password | None = None


class CreatedAccount(AccountOut):
    one_time_password: str | None = None


class ResetDone(BaseModel):
    account_id: int
    one_time_password: str | None = None


def _out(row: dict[str, Any]) -> AccountOut:
    return AccountOut(**(row | {"employer_id": row["employer"]}))


class AccountAdminController(Controller):
    path = "/api/v1/accounts"
    tags = ["accounts"]

    @get("/", opt=access(Role.ADMIN))
    async def list_accounts(
        self,
        role: Annotated[Role | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter(max_length=254)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[AccountOut]:
        """Accounts by email; ``q`` searches the email."""
        rows, total = await admin.list_accounts(
            role=role.value if role else None, q=q, limit=limit, offset=offset
        )
        return Page(items=[_out(row) for row in rows], total=total, limit=limit, offset=offset)

    @post("/", opt=access(Role.ADMIN))
    async def create(
        self, data: JSONBody[NewAccount], actor: CurrentActor, now: Now
    ) -> CreatedAccount:
        """Create an account; without a password, a one-time password is answered once."""
        generated = admin.temporary_password() if data.password is None else None
        account_id = await create_account(
            actor,
            email=data.email,
            role=data.role.value,
            password=data.password or generated or "",
            employer_id=data.employer_id,
            now=now,
            full_name=data.full_name,
            nip=data.nip,
            position=data.position,
        )
        row = await admin.get_account(account_id)
        return CreatedAccount(**_out(row).model_dump(), one_time_password=generated)

    @get("/{account_id:int}", opt=access(Role.ADMIN))
    async def read(self, account_id: FromPath[int]) -> AccountOut:
        return _out(await admin.get_account(account_id))

    @patch("/{account_id:int}", opt=access(Role.ADMIN))
    async def change(
        self,
        account_id: FromPath[int],
        data: JSONBody[AccountChange],
        actor: CurrentActor,
        now: Now,
    ) -> AccountOut:
        """Disable/enable (``is_active``), change ``role`` and ``employer_id``, the officer's
        ``full_name``, ``nip`` and ``position``. Disabling or changing the role signs the account
        out everywhere."""
        changes = data.model_dump(exclude_unset=True)
        if changes.get("is_active", False) is None or changes.get("role", False) is None:
            raise InvalidInput("body", "is_active and role cannot be null")
        if "role" in changes:
            changes["role"] = data.role.value if data.role else None
        return _out(await admin.change_account(actor, account_id, changes, now=now))

    @post("/{account_id:int}/password", opt=access(Role.ADMIN), status_code=200)
    async def reset_password(
        self,
        account_id: FromPath[int],
        data: JSONBody[PasswordReset],
        actor: CurrentActor,
        now: Now,
    ) -> ResetDone:
        """Set a new password, or generate one (answered once); signs the account out
        everywhere and lifts a lockout."""
        generated = await admin.reset_password(actor, account_id, data.password, now=now)
        return ResetDone(account_id=account_id, one_time_password=generated)
