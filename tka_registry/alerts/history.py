"""Reading the reminder ledger: an employer's own reminder history, and the admin's ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from tka_registry.accounts.roles import Actor
from tka_registry.alerts import wording
from tka_registry.alerts.stages import UnknownStage
from tka_registry.alerts.tables import STATES, Reminder
from tka_registry.errors import InvalidInput, Refused
from tka_registry.pagination import Page


class ReminderOut(BaseModel):
    id: int
    permit_id: int
    permit_number: str
    worker_id: int
    worker_name: str
    employer_id: int | None
    employer_name: str | None
    audience: str
    stage: str
    stage_label: str
    due_on: date
    state: str
    attempts: int
    recipients: str
    message_id: str | None
    abandoned_message_id: str | None
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime


_SELECT = """
SELECT r.id, r.permit AS permit_id, p.number AS permit_number, r.worker_id,
       w.full_name AS worker_name, r.employer AS employer_id, e.name AS employer_name,
       r.audience, r.stage, r.due_on, r.state, r.attempts, r.recipients, r.message_id,
       r.abandoned_message_id, r.last_error, r.sent_at, r.created_at
FROM alert_reminder r
JOIN permit p ON p.id = r.permit
JOIN worker w ON w.id = r.worker_id
LEFT JOIN employer e ON e.id = r.employer
"""


def _label(stage: str) -> str:
    try:
        return wording.stage_label(stage, "id")
    except UnknownStage:
        return stage


def reminder_out(row: dict[str, Any]) -> ReminderOut:
    return ReminderOut(**row, stage_label=_label(row["stage"]))


async def _page(
    conditions: list[str], arguments: list[Any], limit: int, offset: int
) -> Page[ReminderOut]:
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    # Conditions are fixed SQL fragments; every value is a bound parameter.
    count_sql = f"SELECT COUNT(*) AS n FROM alert_reminder r{where}"  # noqa: S608
    counted = await Reminder.raw(count_sql, *arguments)
    rows = await Reminder.raw(
        f"{_SELECT}{where} ORDER BY r.created_at DESC, r.id DESC LIMIT {{}} OFFSET {{}}",
        *arguments,
        limit,
        offset,
    )
    items = [reminder_out(row) for row in rows]
    return Page(items=items, total=int(counted[0]["n"]), limit=limit, offset=offset)


async def employer_history(actor: Actor, *, limit: int, offset: int) -> Page[ReminderOut]:
    """The reminders sent (or tried) to the signed-in employer, newest first."""
    if actor.employer_id is None:
        raise Refused("employer", "this account is not bound to an employer")
    return await _page(
        ["r.audience = 'employer'", "r.employer = {}"], [actor.employer_id], limit, offset
    )


async def ledger_page(
    *,
    state: str | None,
    stage: str | None,
    employer_id: int | None,
    limit: int,
    offset: int,
) -> Page[ReminderOut]:
    """The whole ledger for the admin, newest first, optionally by state, stage or employer."""
    conditions: list[str] = []
    arguments: list[Any] = []
    if state is not None:
        if state not in STATES:
            raise InvalidInput("state", f"must be one of {', '.join(STATES)}")
        conditions.append("r.state = {}")
        arguments.append(state)
    if stage is not None:
        conditions.append("r.stage = {}")
        arguments.append(stage)
    if employer_id is not None:
        conditions.append("r.employer = {}")
        arguments.append(employer_id)
    return await _page(conditions, arguments, limit, offset)
