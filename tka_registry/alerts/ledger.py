"""The reminder ledger's writes: record due reminders, claim them, mark what happened.

Safe with several processes at once on SQLite and PostgreSQL: a reminder row is created with
INSERT ... ON CONFLICT (permit, stage) DO NOTHING, and a run sends only the rows it claimed with
an UPDATE that matches ``claimed_by IS NULL`` in a short write transaction. Marking ``sent``
happens in its own transaction right after the SMTP server accepted the message.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.alerts.scan import DueReminder
from tka_registry.alerts.tables import FAILED, OPEN_STATES, SENT, SKIPPED, Reminder
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.rules.calendar import utc_now

# A claim older than this is taken over even when its run's process cannot be checked.
CLAIM_LEASE = timedelta(minutes=15)
BATCH = 200
_OPEN = ", ".join(f"'{state}'" for state in OPEN_STATES)


def run_name() -> str:
    """``host:pid:token``: who holds a claim, so a dead local process is recognised."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _is_abandoned(claimed_by: str, claimed_at: datetime | None, now: datetime) -> bool:
    """True when the claiming run is gone: its local process is dead, or (for a run on another
    host, whose process cannot be checked) its lease ran out."""
    host, _, rest = claimed_by.partition(":")
    pid_text = rest.partition(":")[0]
    if host == socket.gethostname()[:60] and pid_text.isdigit():
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    return claimed_at is None or claimed_at < now - CLAIM_LEASE


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in(count: int) -> str:
    return ", ".join(["{}"] * count)


async def record_due(due: Sequence[DueReminder], today: date, now: datetime) -> dict[Any, int]:
    """Create the missing ledger rows (pending); answers the row id of every due reminder."""
    new = [item for item in due if item.reminder_id is None]
    for chunk in _chunks(new):
        values, arguments = [], []
        for item in chunk:
            values.append("(" + _in(10) + ")")
            arguments += [
                item.permit_id,
                item.stage,
                "holder" if item.second_home else "employer",
                None if item.second_home else item.employer_id,
                item.worker_id,
                today,
                "" if item.second_home else item.employer_email,
                0,
                now,
                now,
            ]
        sql = (
            "INSERT INTO alert_reminder (permit, stage, audience, employer, worker_id, due_on,"  # noqa: S608
            " recipients, attempts, created_at, updated_at) VALUES "
            + ", ".join(values)
            + " ON CONFLICT (permit, stage) DO NOTHING"
        )
        async with write_transaction(Reminder._meta.db):
            await Reminder.raw(sql, *arguments)
    ids = {item.key: item.reminder_id for item in due if item.reminder_id is not None}
    by_permit = {item.permit_id for item in new}
    for chunk in _chunks(sorted(by_permit)):
        rows = await Reminder.select(Reminder.id, Reminder.permit, Reminder.stage).where(
            Reminder.permit.is_in(list(chunk))
        )
        for row in rows:
            ids[(row["permit"], row["stage"])] = row["id"]
    return {item.key: ids[item.key] for item in due if item.key in ids}


async def release_abandoned(ids: Sequence[int], now: datetime) -> int:
    """Free the claims of runs that died; keeps their Message-ID as ``abandoned_message_id``.

    Answers how many were freed. A message claimed by a dead run may have been accepted by the
    SMTP server just before the crash: the next run sends it again, and the ledger shows both
    Message-IDs.
    """
    freed = 0
    for chunk in _chunks(list(ids)):
        rows = await Reminder.select(
            Reminder.id, Reminder.claimed_by, Reminder.claimed_at, Reminder.message_id
        ).where(Reminder.id.is_in(list(chunk)) & Reminder.claimed_by.is_not_null())
        for row in rows:
            if row["claimed_by"] and _is_abandoned(row["claimed_by"], row["claimed_at"], now):
                async with write_transaction(Reminder._meta.db):
                    changed = await Reminder.raw(
                        "UPDATE alert_reminder SET claimed_by = NULL, claimed_at = NULL,"
                        " abandoned_message_id = message_id, last_error = {}, updated_at = {}"
                        " WHERE id = {} AND claimed_by = {} RETURNING id",
                        f"run {row['claimed_by']} stopped while sending {row['message_id']};"
                        " it may have reached the SMTP server",
                        now,
                        row["id"],
                        row["claimed_by"],
                    )
                freed += len(changed)
    return freed


async def claim(batch: Sequence[tuple[Sequence[int], str]], run: str, now: datetime) -> set[int]:
    """Claim for ``run`` the open, unclaimed rows of several emails at once, each email's rows
    with that email's Message-ID (so a crash after sending leaves it visible); answers the ids
    claimed. One statement for the batch keeps the per-email cost low."""
    message_ids = {row_id: message_id for ids, message_id in batch for row_id in ids}
    if not message_ids:
        return set()
    cases = " ".join("WHEN {} THEN {}" for _ in message_ids)
    arguments: list[Any] = [item for pair in message_ids.items() for item in pair]
    async with write_transaction(Reminder._meta.db):
        rows = await Reminder.raw(
            "UPDATE alert_reminder SET claimed_by = {}, claimed_at = {},"  # noqa: S608
            f" message_id = CASE id {cases} END, attempts = attempts + 1, updated_at = {{}}"
            f" WHERE id IN ({_in(len(message_ids))}) AND state IN ({_OPEN})"
            " AND claimed_by IS NULL RETURNING id",
            run,
            utc_now(),  # the lease runs from the claim itself, not from the run's start
            *arguments,
            now,
            *message_ids,
        )
    return {row["id"] for row in rows}


async def release(ids: Sequence[int], run: str, now: datetime) -> None:
    """Give back rows ``run`` claimed but did not send (the run is stopping early)."""
    if not ids:
        return
    async with write_transaction(Reminder._meta.db):
        await Reminder.raw(
            "UPDATE alert_reminder SET claimed_by = NULL, claimed_at = NULL,"  # noqa: S608
            f" updated_at = {{}} WHERE id IN ({_in(len(ids))}) AND claimed_by = {{}}",
            now,
            *ids,
            run,
        )


async def mark_skipped(ids: Sequence[int], reason: str, now: datetime) -> list[int]:
    """Record why open, unclaimed rows were not sent; they are looked at again next run."""
    if not ids:
        return []
    async with write_transaction(Reminder._meta.db):
        rows = await Reminder.raw(
            f"UPDATE alert_reminder SET state = '{SKIPPED}', last_error = {{}}, updated_at = {{}}"  # noqa: S608
            f" WHERE id IN ({_in(len(ids))}) AND state IN ({_OPEN}) AND claimed_by IS NULL"
            " RETURNING id",
            reason,
            now,
            *ids,
        )
    return sorted(row["id"] for row in rows)


async def mark_delivery(
    ids: Sequence[int],
    run: str,
    *,
    sent: bool,
    recipients: str,
    error: str | None,
    audit: dict[str, Any],
    now: datetime,
) -> None:
    """Mark claimed rows sent (the server accepted) or failed, in one short transaction.

    A failure is audited here; deliveries are audited once per run (alerts.run, with counts),
    since each sent row keeps its own Message-ID and time in the ledger.
    """
    state = SENT if sent else FAILED
    async with write_transaction(Reminder._meta.db):
        await Reminder.raw(
            "UPDATE alert_reminder SET state = {}, recipients = {}, last_error = {},"  # noqa: S608
            " sent_at = {}, claimed_by = NULL, claimed_at = NULL, updated_at = {}"
            f" WHERE id IN ({_in(len(ids))}) AND claimed_by = {{}}",
            state,
            recipients,
            error,
            now if sent else None,
            now,
            *ids,
            run,
        )
        if sent:
            return
        await record(
            Actor.system("alerts"),
            f"alerts.{state}",
            "alert_reminder",
            ",".join(str(i) for i in ids),
            audit,
            at=now,
        )
