"""Per-account limits on password guesses (sign-in and the current password on a change).

Each guess first claims an attempt in one ``UPDATE ... RETURNING`` statement, so concurrent
guesses count one by one and none overwrites another. Below ``max_failures`` a claim always
succeeds; from there on every further guess waits a pause that doubles (1, 2, 4, 8 minutes ...)
up to ``longest`` (OWASP ASVS 4.0.3 2.2.1, NIST SP 800-63B 5.2.2: limit failed attempts, prefer
delays to a lockout an attacker can trigger at will). A successful guess clears the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tka_registry.accounts.tables import Account

FIRST_PAUSE = timedelta(minutes=1)


def pause_after(failures: int, max_failures: int, longest: timedelta) -> timedelta | None:
    """The wait before the next guess once ``failures`` guesses failed in a row; None below
    ``max_failures``. Doubles from one minute at ``max_failures``, never above ``longest``."""
    if failures < max_failures:
        return None
    return min(longest, FIRST_PAUSE * 2 ** min(failures - max_failures, 30))


def pause_ladder(max_failures: int, longest: timedelta) -> list[timedelta]:
    """The distinct pauses, from the one at ``max_failures`` failures to ``longest``."""
    ladder: list[timedelta] = []
    failures = max_failures
    while not ladder or ladder[-1] < longest:
        pause = pause_after(failures, max_failures, longest)
        assert pause is not None
        ladder.append(pause)
        failures += 1
    return ladder


@dataclass(frozen=True)
class Claim:
    """A guess allowed to be checked: the account, and how many guesses are now counted."""

    account_id: int
    email: str
    role: str
    employer_id: int | None
    is_active: bool
    password_hash: str
    attempts: int


def _claim_sql(where: str, max_failures: int, longest: timedelta) -> tuple[str, int]:
    """The claiming statement and how many pause instants its CASE takes as arguments."""
    ladder = pause_ladder(max_failures, longest)
    steps = "".join(
        f" WHEN failed_signins + 1 = {max_failures + index} THEN {{}}"
        for index in range(len(ladder) - 1)
    )
    # Only integers and fixed text are formatted in; every value is a parameter.
    sql = (
        "UPDATE account SET failed_signins = failed_signins + 1, locked_until = CASE"  # noqa: S608
        # The never-taken first branch gives the CASE the column's type on PostgreSQL, which
        # then reads the instants passed as arguments as timestamps, not text.
        f" WHEN failed_signins < 0 THEN locked_until"
        f" WHEN failed_signins + 1 < {int(max_failures)} THEN NULL{steps} ELSE {{}} END"
        f" WHERE {where} AND (failed_signins < {int(max_failures)} OR locked_until <= {{}})"
        " RETURNING id, email, role, employer, is_active, password_hash, failed_signins"
    )
    return sql, len(ladder)


async def claim_attempt(
    *,
    now: datetime,
    max_failures: int,
    longest: timedelta,
    email: str | None = None,
    account_id: int | None = None,
) -> Claim | None:
    """Count one guess at the account of ``email`` (or ``account_id``); None when there is no
    such account or it must still wait. The pause of the guess's failure is set at once, so
    concurrent guesses past the limit are refused while this one is checked."""
    where = "email = {}" if email is not None else "id = {}"
    sql, steps = _claim_sql(where, max(1, max_failures), longest)
    pauses = [now + pause for pause in pause_ladder(max(1, max_failures), longest)]
    assert len(pauses) == steps
    rows = await Account.raw(sql, *pauses, email if email is not None else account_id, now)
    if not rows:
        return None
    row = rows[0]
    return Claim(
        account_id=int(row["id"]),
        email=row["email"],
        role=row["role"],
        employer_id=row["employer"],
        is_active=bool(row["is_active"]),
        password_hash=row["password_hash"],
        attempts=int(row["failed_signins"]),
    )


async def clear_attempts(account_id: int) -> None:
    """A right guess: the count starts again from zero."""
    await Account.update({Account.failed_signins: 0, Account.locked_until: None}).where(
        Account.id == account_id
    )
