"""Changing one's own password: the current one proves it is the holder; the rest is revoked.

Kept beside the pages (accounts/service.py belongs to the foundation); it uses the same
argon2 hashing (accounts.passwords) and the same tokens table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tka_registry.accounts.passwords import check_password, hash_password, password_problem
from tka_registry.accounts.roles import Actor
from tka_registry.accounts.service import token_digest
from tka_registry.accounts.tables import AccessToken, Account
from tka_registry.accounts.throttle import claim_attempt, clear_attempts
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.errors import InvalidInput


async def change_password(
    actor: Actor,
    *,
    current: str,
    new: str,
    keep_token: str,
    now: datetime,
    max_failures: int = 5,
    lockout: timedelta = timedelta(minutes=15),
) -> int:
    """Set a new password; every other session and token of the account is revoked.

    ``keep_token`` is the session making the change, which stays valid. Answers how many
    sessions and tokens were revoked. Guesses of the current password count with the failed
    sign-ins (accounts/throttle.py): past ``max_failures`` they wait as sign-in does.
    """
    claim = await claim_attempt(
        now=now, max_failures=max_failures, longest=lockout, account_id=actor.account_id
    )
    if not await check_password(current, claim.password_hash if claim else None):
        details = {"failures": claim.attempts if claim else None}
        await record(actor, "account.password_guess", "account", actor.account_id or "", details)
        raise InvalidInput("current_password", "the current password is wrong")
    assert claim is not None
    await clear_attempts(claim.account_id)
    problem = password_problem(new, actor.email)
    if problem:
        raise InvalidInput("new_password", problem)
    new_hash = await hash_password(new)
    others = (
        (AccessToken.account == actor.account_id)
        & AccessToken.revoked_at.is_null()
        & (AccessToken.token_hash != token_digest(keep_token))
    )
    async with write_transaction(Account._meta.db):
        revoked = await AccessToken.count().where(others)
        await AccessToken.update({AccessToken.revoked_at: now}).where(others)
        await Account.update(
            {Account.password_hash: new_hash, Account.password_changed_at: now}
        ).where(Account.id == actor.account_id)
        details = {"revoked_tokens": revoked}
        await record(actor, "account.password_change", "account", actor.account_id or "", details)
    return int(revoked)
