"""Accounts, sign-in and tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tka_registry.accounts.attack_notice import Warn
from tka_registry.accounts.officers import check_nip_free, checked_identity
from tka_registry.accounts.passwords import check_password, hash_password, password_problem
from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.tables import AccessToken, Account
from tka_registry.accounts.throttle import Claim, claim_attempt, clear_attempts
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, InvalidInput
from tka_registry.raw_reads import fetch_rows
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
    problem = password_problem(password, email)
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


# One answer for a wrong password, an unknown email, a disabled account and a paused one, so
# the answer never tells whether an account exists (OWASP ASVS 4.0.3 2.2.1, 3.x).
SIGNIN_REFUSED = (
    "email or password is wrong, the account is disabled, or it waits after repeated "
    "failed sign-ins"
)


class SignInRefused(Exception):
    """Wrong credentials, a disabled account or a pause; ``reason`` is the same for all."""

    def __init__(self, reason: str = SIGNIN_REFUSED) -> None:
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
    warn: Warn | None = None,
) -> IssuedToken:
    """Check the password and issue a bearer token or a session; every outcome is audited.

    Each guess is counted before it is checked (accounts/throttle.py); past ``max_failures``
    failures in a row the account waits a growing pause of at most ``lockout``. ``warn`` is
    told (email, failures, address, now) when the failures reach ``max_failures``.
    """
    email = normalise_email(email)
    anonymous = Actor(None, email, "anonymous", None, address)
    claim = await claim_attempt(now=now, max_failures=max_failures, longest=lockout, email=email)
    # Always one argon2 check, so every refusal takes the same time.
    valid = await check_password(password, claim.password_hash if claim else None)
    if claim is None or not valid or not claim.is_active:
        await _refused(anonymous, email, claim)
        if claim is not None and not valid and claim.attempts == max_failures and warn:
            warn(email, claim.attempts, address, now)
        raise SignInRefused()
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    actor = Actor(claim.account_id, email, claim.role, claim.employer_id, address)
    async with write_transaction(Account._meta.db):
        await clear_attempts(claim.account_id)
        await AccessToken.insert(
            AccessToken(
                token_hash=token_digest(token),
                account=claim.account_id,
                kind=kind,
                created_at=now,
                expires_at=expires_at,
            )
        )
        await record(actor, "signin", "account", claim.account_id, {"kind": kind})
    return IssuedToken(token=token, expires_at=expires_at, account_id=claim.account_id)


async def _refused(anonymous: Actor, email: str, claim: Claim | None) -> None:
    """Audit a refused sign-in: a failure counted against an account, or a guess not checked
    (unknown email, or an account still waiting)."""
    if claim is not None:
        details = {"failures": claim.attempts}
        await record(anonymous, "signin.failed", "account", claim.account_id, details)
        return
    row = await Account.select(Account.id).where(Account.email == email).first()
    if row is None:
        await record(anonymous, "signin.failed", "account", "")
    else:
        await record(anonymous, "signin.locked", "account", row["id"])


# A session's last use is written at most once a minute, not on every request.
LAST_SEEN_PRECISION = timedelta(minutes=1)


async def actor_for_token(
    token: str, *, now: datetime, address: str, kind: str = "bearer", idle: timedelta | None = None
) -> Actor | None:
    """The account behind an unexpired, unrevoked token of ``kind`` of an active account, else
    None. With ``idle``, a token unused for that long is refused too (page sessions)."""
    # Fixed SQL: every API request runs it, so it skips the query builder (raw_reads).
    rows = await fetch_rows(
        AccessToken,
        "SELECT a.id, a.email, a.role, a.employer, a.is_active, t.created_at, t.last_seen_at"
        " FROM access_token t JOIN account a ON a.id = t.account"
        " WHERE t.token_hash = {} AND t.kind = {} AND t.expires_at > {} AND t.revoked_at IS NULL",
        token_digest(token),
        kind,
        now,
        point=True,  # by the token's unique hash
    )
    if not rows or not rows[0]["is_active"]:
        return None
    row = rows[0]
    if idle is not None:
        seen = row["last_seen_at"] or row["created_at"]
        if seen <= now - idle:
            return None
        if now - seen >= LAST_SEEN_PRECISION:
            await AccessToken.update({AccessToken.last_seen_at: now}).where(
                AccessToken.token_hash == token_digest(token)
            )
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
