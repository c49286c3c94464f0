"""User management by admins: list, create, disable/enable, reset passwords, change roles.

Every change is audited with the values before and after; disabling an account or resetting
its password revokes all of its bearer tokens and browser sessions at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from tka_registry.accounts.officers import check_nip_free, checked_identity
from tka_registry.accounts.passwords import hash_password, password_problem
from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.tables import AccessToken, Account
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict, InvalidInput, NotFound
from tka_registry.rules.calendar import jakarta_today

# What an admin sees of an account: never the password hash.
ACCOUNT_FIELDS = (
    "id",
    "email",
    "role",
    "employer",
    "is_active",
    "failed_signins",
    "locked_until",
    "password_changed_at",
    "created_at",
    "full_name",
    "nip",
    "position",
)
IDENTITY_FIELDS = ("full_name", "nip", "position")


def _columns() -> list[Any]:
    return [Account._meta.get_column_by_name(name) for name in ACCOUNT_FIELDS]


def temporary_password() -> str:
    """A random password of 16 URL-safe characters, shown once to the admin."""
    return secrets.token_urlsafe(12)


async def get_account(account_id: int) -> dict[str, Any]:
    row = await Account.select(*_columns()).where(Account.id == account_id).first()
    if not row:
        raise NotFound("id", f"no account with id {account_id}")
    return dict(row)


async def list_accounts(
    *, role: str | None, q: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Accounts by email, optionally of one role or with ``q`` in the email; and their total."""
    conditions = []
    if role:
        conditions.append(Account.role == role)
    if q:
        conditions.append(Account.email.ilike(f"%{q.strip().lower().replace('%', '')}%"))
    query, count = Account.select(*_columns()).order_by(Account.email), Account.count()
    if conditions:
        query, count = query.where(*conditions), count.where(*conditions)
    rows = await query.limit(limit).offset(offset)
    return [dict(row) for row in rows], int(await count)


async def _revoke_all_tokens(account_id: int, now: datetime) -> int:
    """Revoke every live token and session of the account; answers how many."""
    live = (AccessToken.account == account_id) & AccessToken.revoked_at.is_null()
    revoked = await AccessToken.count().where(live)
    await AccessToken.update({AccessToken.revoked_at: now}).where(live)
    return int(revoked)


def _audit_view(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("role", "employer", "is_active")}


def _identity_view(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in IDENTITY_FIELDS}


async def _check_role(role: str, employer_id: int | None) -> None:
    if role not in set(Role):
        raise InvalidInput("role", f'unknown role "{role}": one of {", ".join(Role)}')
    if (role == Role.EMPLOYER) != (employer_id is not None):
        raise InvalidInput("employer_id", "an employer account needs employer_id; others none")
    if employer_id is not None and not await Employer.exists().where(Employer.id == employer_id):
        raise InvalidInput("employer_id", f"no employer with id {employer_id}")


async def change_account(
    actor: Actor,
    account_id: int,
    changes: dict[str, Any],
    *,
    now: datetime,
) -> dict[str, Any]:
    """Apply ``is_active``, ``role``, ``employer_id`` and the officer's ``full_name``, ``nip``
    and ``position``; audits before and after.

    An admin cannot disable or demote their own account, so an office is never left without
    an admin by a slip of the mouse.
    """
    async with write_transaction(Account._meta.db):
        before = await get_account(account_id)
        after = before | {k: v for k, v in changes.items() if k in ("is_active", "role")}
        if "role" in changes or "employer_id" in changes:
            after["employer"] = changes.get("employer_id", before["employer"])
            if after["role"] != Role.EMPLOYER and "employer_id" not in changes:
                after["employer"] = None
            await _check_role(after["role"], after["employer"])
        touched = {k: changes.get(k) for k in IDENTITY_FIELDS}
        if any(value is not None for value in touched.values()) or "role" in changes:
            # A NIP belongs to office staff: it goes when the account becomes an employer's.
            kept_nip = "" if after["role"] == Role.EMPLOYER else (before["nip"] or "")
            nip = touched["nip"] if touched["nip"] is not None else kept_nip
            identity = checked_identity(
                after["role"], touched["full_name"], nip, touched["position"],
                today=jakarta_today(now),
            )  # fmt: skip
            after |= identity
            if after["nip"] != before["nip"]:
                await check_nip_free(after["nip"], account_id)
        if account_id == actor.account_id and (
            not after["is_active"] or after["role"] != Role.ADMIN
        ):
            raise Conflict("id", "you cannot disable or demote your own account")
        unchanged = _identity_view(after) == _identity_view(before)
        if unchanged and _audit_view(after) == _audit_view(before):
            return before
        await Account.update(
            {
                Account.is_active: after["is_active"],
                Account.role: after["role"],
                Account.employer: after["employer"],
                Account.full_name: after["full_name"],
                Account.nip: after["nip"],
                Account.position: after["position"],
            }
        ).where(Account.id == account_id)
        details: dict[str, Any] = {"before": _audit_view(before), "after": _audit_view(after)}
        if not unchanged:
            details["officer_before"] = _identity_view(before)
            details["officer_after"] = _identity_view(after)
        if not after["is_active"] or after["role"] != before["role"]:
            # A new role must not ride on tokens issued for the old one.
            details["revoked_tokens"] = await _revoke_all_tokens(account_id, now)
        await record(actor, "account.update", "account", account_id, details)
    return await get_account(account_id)


async def reset_password(
    actor: Actor, account_id: int, password: str | None, *, now: datetime
) -> str | None:
    """Set a new password (or a random one, answered once); signs the account out everywhere
    and lifts a lockout. Answers the generated password, or None when one was given."""
    generated = temporary_password() if password is None else None
    new_password = password if password is not None else generated
    assert new_password is not None
    problem = password_problem(new_password)
    if problem:
        raise InvalidInput("password", problem)
    password_hash = await hash_password(new_password)
    async with write_transaction(Account._meta.db):
        await get_account(account_id)
        await Account.update(
            {
                Account.password_hash: password_hash,
                Account.password_changed_at: now,
                Account.failed_signins: 0,
                Account.locked_until: None,
            }
        ).where(Account.id == account_id)
        revoked = await _revoke_all_tokens(account_id, now)
        details = {"generated": generated is not None, "revoked_tokens": revoked}
        await record(actor, "account.password_reset", "account", account_id, details)
    return generated
