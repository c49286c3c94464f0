"""Queueing notifications: called inside the transaction of the change they tell of, so the
email exists exactly when the change does (a rollback takes it away, a crash after the commit
cannot lose it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tka_registry.accounts.tables import Account
from tka_registry.employers.tables import Employer
from tka_registry.notifications.tables import Notification
from tka_registry.notifications.wording import (
    decision_message,
    submission_line,
    take_over_message,
)
from tka_registry.settings import Settings


async def _queue(values: dict[str, Any]) -> None:
    """Insert unless a row with the same dedupe key is queued already."""
    exists = await Notification.exists().where(Notification.dedupe_key == values["dedupe_key"])
    if not exists:
        await Notification.insert(Notification(**values))


async def employer_recipients(employer_id: int, submitted_by: str) -> list[str]:
    """The employer's address on record and the account that submitted the case, once each."""
    addresses: list[str] = []
    employer = await Employer.select(Employer.email).where(Employer.id == employer_id).first()
    if employer and employer["email"]:
        addresses.append(employer["email"].strip().lower())
    account = await Account.select(Account.email).where(Account.email == submitted_by).first()
    if account and account["email"].lower() not in addresses:
        addresses.append(account["email"].lower())
    return addresses


async def queue_decision(
    row: dict[str, Any],
    decision: str,
    reason: str,
    *,
    event_key: str,
    settings: Settings,
    now: datetime,
) -> None:
    """Tell the employer a case was returned, approved or rejected (one row per recipient)."""
    language = settings.language
    subject, body = decision_message(
        language,
        register_number=row["register_number"] or str(row["id"]),
        person=row["person_name"],
        decision=decision,
        reason=reason,
        link=f"{settings.base_url.rstrip('/')}/portal/permohonan/{row['id']}",
    )
    for address in await employer_recipients(row["employer"], row["created_by"]):
        await _queue(
            {
                "kind": "case_decision",
                "dedupe_key": f"decision:{event_key}:{address}",
                "recipient": address,
                "language": language,
                "subject": subject,
                "body": body,
                "application_id": row["id"],
                "created_at": now,
                "next_attempt_at": now,
            }
        )


async def queue_take_over(
    row: dict[str, Any], previous: str, by: str, *, settings: Settings, now: datetime
) -> None:
    """Tell the officer who had a case (``previous``, their account's email) that ``by`` took
    it over: they learn it from their mail, not from a decision they can no longer make."""
    register_number = row["register_number"] or str(row["id"])
    subject, body = take_over_message(
        settings.language,
        register_number=register_number,
        person=row["person_name"],
        by=by,
        link=f"{settings.base_url.rstrip('/')}/petugas/permohonan/{row['id']}",
    )
    await _queue(
        {
            "kind": "case_taken_over",
            "dedupe_key": f"take_over:{row['id']}:{now.isoformat()}",
            "recipient": previous,
            "language": settings.language,
            "subject": subject,
            "body": body,
            "application_id": row["id"],
            "created_at": now,
            "next_attempt_at": now,
        }
    )


def digest_slot(now: datetime, minutes: int) -> datetime:
    """The end of the digest window ``now`` falls in: submissions wait for it, so the office
    gets at most one digest every ``minutes``."""
    width = max(1, minutes) * 60
    start = int(now.timestamp()) // width * width
    return datetime.fromtimestamp(start + width, tz=UTC)


async def queue_submission(
    row: dict[str, Any], register_number: str, action: str, *, settings: Settings, now: datetime
) -> None:
    """One line for the office's next digest of submissions (none without TKA_OFFICE_EMAIL)."""
    office = settings.office_email.strip()
    if not office:
        return
    await _queue(
        {
            "kind": "submission",
            "dedupe_key": f"submission:{row['id']}:{action}:{now.isoformat()}",
            "recipient": office,
            "language": settings.language,
            "subject": "",
            "body": submission_line(
                settings.language,
                register_number=register_number,
                person=row["person_name"],
                kind=row["kind"],
                link=f"{settings.base_url.rstrip('/')}/petugas/permohonan/{row['id']}",
            ),
            "application_id": row["id"],
            "created_at": now,
            "next_attempt_at": digest_slot(now, settings.submission_digest_minutes),
        }
    )
