"""Accounts, sign-in and tokens."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tka_registry.accounts.officers import check_nip_free, checked_identity
from tka_registry.accounts.passwords import check_password, hash_password, password_problem
from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.tables import AccessToken, Account
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, InvalidInput
from tka_registry.rules.calendar import jakarta_today


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def create_account(
    actor: Actor,
    *,
    email: str,
    role: str,
    password: str,
    employer_id: int | None,
    now: datetime,
    full_name: str = "",
    nip: str = "",
    position: str = "",
) -> int:
    """Create an account; an employer account is bound to exactly one employer. An officer's
    full name, NIP and position (accounts.officers) may come now or later."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput("email", f'"{email}" is not an email address')
    if role not in set(Role):
        raise InvalidInput("role", f'unknown role "{role}": one of {", ".join(Role)}')
    if (role == Role.EMPLOYER) != (employer_id is not None):
        raise InvalidInput("employer_id", "an employer account needs employer_id; others none")
    identity = checked_identity(role, full_name, nip, position, today=jakarta_today(now))
    problem = password_problem(password)
    if problem:
        raise InvalidInput("password", problem)
    password_hash = await hash_password(password)
    async with write_transaction(Account._meta.db):
        await check_nip_free(identity["nip"])
        if employer_id is not None and not await Employer.exists().where(
            Employer.id == employer_id
        ):
            raise InvalidInput("employer_id", f"no employer with id {employer_id}")
        if await Account.exists().where(Account.email == email):
            raise Conflict("email", f"an account for {email} exists already")
        rows = await Account.insert(
            Account(
                email=email,
                password_hash=password_hash,
                role=role,
                employer=employer_id,
                is_active=True,
                failed_signins=0,
                password_changed_at=now,
                created_at=now,
                **identity,
            )
        )
        account_id = int(rows[0]["id"])
        details = {"email": email, "role": role} | identity
        await record(actor, "account.create", "account", account_id, details)
    return account_id


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    account_id: int


class SignInRefused(Exception):
    """Wrong credentials, a disabled account or a lockout; ``reason`` is safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def sign_in(
    email: str,
    password: str,
    *,
    kind: str,
    lifetime: timedelta,
    now: datetime,
    address: str,
    max_failures: int = 5,
    lockout: timedelta = timedelta(minutes=15),
) -> IssuedToken:
    """Check the password and issue a bearer token or a session; every outcome is audited."""
    email = normalise_email(email)
    account = await Account.select().where(Account.email == email).first()
    anonymous = Actor(None, email, "anonymous", None, address)
    locked_until = account["locked_until"] if account else None
    if locked_until and locked_until > now:
        await record(anonymous, "signin.locked", "account", account["id"] if account else "")
        minutes = max(1, math.ceil((locked_until - now).total_seconds() / 60))
        raise SignInRefused(f"too many failed sign-ins: try again in {minutes} minutes")
    valid = await check_password(password, account["password_hash"] if account else None)
    if not account or not valid or not account["is_active"]:
        async with write_transaction(Account._meta.db):
            if account:
                failures = account["failed_signins"] + 1
                locked = now + lockout if failures >= max_failures else None
                await Account.update(
                    {
                        Account.failed_signins: 0 if locked else failures,
                        Account.locked_until: locked,
                    }
                ).where(Account.id == account["id"])
            await record(anonymous, "signin.failed", "account", account["id"] if account else "")
        raise SignInRefused("email or password is wrong, or the account is disabled")
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    actor = Actor(account["id"], email, account["role"], account["employer"], address)
    async with write_transaction(Account._meta.db):
        await Account.update({Account.failed_signins: 0, Account.locked_until: None}).where(
            Account.id == account["id"]
        )
        await AccessToken.insert(
            AccessToken(
                token_hash=token_digest(token),
                account=account["id"],
                kind=kind,
                created_at=now,
                expires_at=expires_at,
            )
        )
        await record(actor, "signin", "account", account["id"], {"kind": kind})
    return IssuedToken(token=token, expires_at=expires_at, account_id=account["id"])


async def actor_for_token(token: str, *, now: datetime, address: str) -> Actor | None:
    """The account behind an unexpired, unrevoked token of an active account, else None."""
    # Fixed SQL: every API request runs it, so it skips the query builder.
    rows = await AccessToken.raw(
        "SELECT a.id, a.email, a.role, a.employer, a.is_active"
        " FROM access_token t JOIN account a ON a.id = t.account"
        " WHERE t.token_hash = {} AND t.expires_at > {} AND t.revoked_at IS NULL",
        token_digest(token),
        now,
    )
    if not rows or not rows[0]["is_active"]:
        return None
    row = rows[0]
    return Actor(
        account_id=row["id"],
        email=row["email"],
        role=row["role"],
        employer_id=row["employer"],
        address=address,
    )


async def revoke_token(actor: Actor, token: str, *, now: datetime) -> None:
    async with write_transaction(AccessToken._meta.db):
        await AccessToken.update({AccessToken.revoked_at: now}).where(
            (AccessToken.token_hash == token_digest(token)) & AccessToken.revoked_at.is_null()
        )
        await record(actor, "signout", "account", actor.account_id or "")
