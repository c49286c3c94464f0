"""Sending the outbox through the one mailer (alerts.mailer): due rows are claimed first, so two
processes never send the same row; a failure waits longer each time (back-off); a row is marked
sent in the same step that records the server's acceptance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from tka_registry.alerts.mailer import Mailbox, MailServerUnavailable, parse_smtp_url
from tka_registry.db import write_transaction
from tka_registry.notifications.tables import Notification
from tka_registry.notifications.wording import digest_message
from tka_registry.settings import Settings

BATCH = 200
CLAIM_MINUTES = 10
MAX_BACKOFF_MINUTES = 6 * 60


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failures: 1, 2, 4 ... minutes, at most 6 h."""
    return timedelta(minutes=min(MAX_BACKOFF_MINUTES, 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


async def _claim(now: datetime) -> list[dict[str, Any]]:
    """Due unsent rows, claimed for CLAIM_MINUTES (a crashed sender's claim runs out)."""
    async with write_transaction(Notification._meta.db):
        due = (
            await Notification.select()
            .where(
                Notification.sent_at.is_null()
                & (Notification.next_attempt_at <= now)
                & (Notification.claimed_until.is_null() | (Notification.claimed_until < now))
            )
            .order_by(Notification.id)
            .limit(BATCH)
        )
        if due:
            await Notification.update(
                {Notification.claimed_until: now + timedelta(minutes=CLAIM_MINUTES)}
            ).where(Notification.id.is_in([row["id"] for row in due]))
    return list(due)


def _messages(
    rows: list[dict[str, Any]], settings: Settings
) -> list[tuple[EmailMessage, list[int]]]:
    """One email per decision row; the submissions of one recipient together as a digest."""
    out: list[tuple[EmailMessage, list[int]]] = []
    digests: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["kind"] == "submission":
            digests[(row["recipient"], row["language"])].append(row)
            continue
        out.append(
            (
                _email(row["id"], row["recipient"], row["subject"], row["body"], settings),
                [row["id"]],
            )
        )
    for (recipient, language), lines in digests.items():
        subject, body = digest_message(language, [line["body"] for line in lines])
        out.append(
            (
                _email(lines[0]["id"], recipient, subject, body, settings),
                [line["id"] for line in lines],
            )
        )
    return out


def _email(key: int, recipient: str, subject: str, body: str, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Subject"] = subject
    # Stable per outbox row: a resend after a crash carries the same id, which receivers dedupe.
    domain = settings.mail_from.rpartition("@")[2] or "tka-registry"
    message["Message-ID"] = f"<notification-{key}@{domain}>"
    message.set_content(body)
    return message


async def _settle(ids: list[int], now: datetime, error: str | None) -> None:
    async with write_transaction(Notification._meta.db):
        if error is None:
            await Notification.update(
                {Notification.sent_at: now, Notification.claimed_until: None}
            ).where(Notification.id.is_in(ids))
            return
        for row in await Notification.select(Notification.id, Notification.attempts).where(
            Notification.id.is_in(ids)
        ):
            attempts = row["attempts"] + 1
            await Notification.update(
                {
                    Notification.attempts: attempts,
                    Notification.next_attempt_at: now + backoff(attempts),
                    Notification.claimed_until: None,
                    Notification.last_error: error[:1000],
                }
            ).where(Notification.id == row["id"])


async def deliver_due(settings: Settings, now: datetime) -> DeliveryReport:
    """Send every due notification; an unreachable server leaves them for a later try."""
    report = DeliveryReport()
    rows = await _claim(now)
    if not rows:
        return report
    messages = _messages(rows, settings)
    settled: set[int] = set()
    try:
        async with Mailbox(parse_smtp_url(settings.smtp_url)) as mailbox:
            for message, ids in messages:
                result = await mailbox.send(message)
                await _settle(ids, now, None if result.delivered else (result.failure or "refused"))
                settled.update(ids)
                if result.delivered:
                    report.sent += 1
                else:
                    report.failed += 1
                    report.errors.append(f"{message['To']}: {result.failure}")
    except MailServerUnavailable as error:
        unsent = [i for _, ids in messages for i in ids if i not in settled]
        await _settle(unsent, now, str(error))
        report.failed += len(unsent)
        report.errors.append(str(error))
    return report


async def outbox_page(limit: int = 50) -> list[dict[str, Any]]:
    """The latest notifications with their state, for the ledger page."""
    return list(
        await Notification.select(
            Notification.id,
            Notification.kind,
            Notification.recipient,
            Notification.subject,
            Notification.created_at,
            Notification.attempts,
            Notification.next_attempt_at,
            Notification.sent_at,
            Notification.last_error,
        )
        .order_by(Notification.id, ascending=False)
        .limit(limit)
    )
