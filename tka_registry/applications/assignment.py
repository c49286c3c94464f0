"""Who works on a submitted case: an officer takes it ("ambil") and only that officer decides
it; the others see who has it. The holder can give it back, and when the holder is absent a
colleague takes it over ("ambil alih"), audited with both names. Every move is one conditional
UPDATE, so two officers clicking at once cannot both have it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.applications.schemas import ApplicationStatus
from tka_registry.applications.service import add_event, application_row
from tka_registry.applications.tables import Application
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.errors import Conflict
from tka_registry.notifications.outbox import queue_take_over
from tka_registry.settings import Settings


class CaseTaken(Conflict):
    """Another officer has the case (409); ``holder`` is that officer's account."""

    def __init__(self, holder: str) -> None:
        super().__init__("assigned_to", "%(holder)s has taken this case", holder=holder)
        self.holder = holder


def other_holder(assigned_to: str | None, actor: Actor) -> str | None:
    """The officer other than ``actor`` who has the case, if any (a case nobody has taken is
    open to every officer)."""
    return assigned_to if assigned_to not in (None, actor.email) else None


def free_for(actor: Actor) -> Any:
    """The SQL condition "nobody else has the case", for the conditional UPDATE of a move or
    a decision (the check and the write are one statement)."""
    return Application.assigned_to.is_null() | (Application.assigned_to == actor.email)


async def claim_submitted(application_id: int, values: dict[Any, Any], holder: Any) -> bool:
    """Write ``values`` to the case only while it is submitted and ``holder`` (a condition on
    who has it) holds: one statement, so the check and the write cannot be split by another
    officer's move or decision. Answers whether it was written."""
    claimed = (
        await Application.update(values)
        .where(
            (Application.id == application_id)
            & (Application.status == ApplicationStatus.SUBMITTED.value)
            & holder
        )
        .returning(Application.id)
    )
    return bool(claimed)


async def _move_to(actor: Actor, application_id: int, holder: Any, now: datetime) -> bool:
    """Give the submitted case to ``actor`` where ``holder`` still holds."""
    values = {Application.assigned_to: actor.email, Application.assigned_at: now}
    return await claim_submitted(application_id, values, holder)


async def _submitted_row(actor: Actor, application_id: int) -> dict[str, Any]:
    row = await application_row(actor, application_id)
    if row["status"] != ApplicationStatus.SUBMITTED:
        raise Conflict(
            "status", "the application is %(status)s: nothing to take", status=row["status"]
        )
    return row


async def take_case(actor: Actor, application_id: int, *, now: datetime) -> None:
    """Give the submitted case to ``actor``; 409 naming the officer who already has it."""
    async with write_transaction(Application._meta.db):
        row = await _submitted_row(actor, application_id)
        if not await _move_to(actor, application_id, free_for(actor), now):
            holder = await Application.select(Application.assigned_to).where(
                Application.id == application_id
            )
            raise CaseTaken(str(holder[0]["assigned_to"]))
        if row["assigned_to"] != actor.email:
            await add_event(application_id, actor, "taken", now)
            await record(actor, "application.take", "application", application_id, {})


async def take_over_case(
    actor: Actor, application_id: int, *, now: datetime, settings: Settings
) -> str | None:
    """Move a submitted case from the officer who has it to ``actor`` (the holder is absent);
    answers that officer, or None when nobody had it (then it is an ordinary take). The move
    is conditional on the holder read here, so a decision or a hand-over made at the same
    moment wins and this answers 409. The officer who had it is emailed (the outbox, in the
    move's transaction)."""
    async with write_transaction(Application._meta.db):
        row = await _submitted_row(actor, application_id)
        previous = other_holder(row["assigned_to"], actor)
        if previous is None:
            await take_case(actor, application_id, now=now)
            return None
        if not await _move_to(actor, application_id, Application.assigned_to == previous, now):
            raise Conflict("assigned_to", "the case changed hands meanwhile: reload it")
        await add_event(application_id, actor, "taken_over", now, previous)
        moved = {"from": previous, "to": actor.email}
        await record(actor, "application.take_over", "application", application_id, moved)
        await queue_take_over(row, previous, actor.email, settings=settings, now=now)
    return previous


async def release_case(actor: Actor, application_id: int, *, now: datetime) -> None:
    """Give back a case ``actor`` has taken (anyone may take it again)."""
    async with write_transaction(Application._meta.db):
        row = await application_row(actor, application_id)
        if row["assigned_to"] != actor.email:
            raise Conflict("assigned_to", "only the officer who took the case can give it back")
        await Application.update(
            {Application.assigned_to: None, Application.assigned_at: None}
        ).where(Application.id == application_id)
        await add_event(application_id, actor, "released", now)
        await record(actor, "application.release", "application", application_id, {})


TAKE, RELEASE, TAKE_OVER = "take", "release", "take_over"


async def move_case(
    move: str, actor: Actor, application_id: int, *, now: datetime, settings: Settings
) -> None:
    """One of the moves by name (TAKE, RELEASE, TAKE_OVER), for the API and the page alike."""
    if move == TAKE_OVER:
        await take_over_case(actor, application_id, now=now, settings=settings)
    elif move == RELEASE:
        await release_case(actor, application_id, now=now)
    else:
        await take_case(actor, application_id, now=now)
