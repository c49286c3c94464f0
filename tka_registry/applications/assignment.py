"""Who works on a submitted case: an officer takes it ("ambil") and the others see who has it;
the holder can give it back. Taking is one conditional UPDATE, so two officers clicking at once
cannot both have it."""

from __future__ import annotations

from datetime import datetime

from tka_registry.accounts.roles import Actor
from tka_registry.applications.schemas import ApplicationStatus
from tka_registry.applications.service import add_event, application_row
from tka_registry.applications.tables import Application
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.errors import Conflict


class CaseTaken(Conflict):
    """Another officer has the case (409); ``holder`` is that officer's account."""

    def __init__(self, holder: str) -> None:
        super().__init__("assigned_to", f"{holder} has taken this case")
        self.holder = holder


async def take_case(actor: Actor, application_id: int, *, now: datetime) -> None:
    """Give the submitted case to ``actor``; 409 naming the officer who already has it."""
    async with write_transaction(Application._meta.db):
        row = await application_row(actor, application_id)
        if row["status"] != ApplicationStatus.SUBMITTED:
            raise Conflict("status", f"the application is {row['status']}: nothing to take")
        taken = (
            await Application.update(
                {Application.assigned_to: actor.email, Application.assigned_at: now}
            )
            .where(
                (Application.id == application_id)
                & (Application.status == ApplicationStatus.SUBMITTED.value)
                & (Application.assigned_to.is_null() | (Application.assigned_to == actor.email))
            )
            .returning(Application.id)
        )
        if not taken:
            holder = await Application.select(Application.assigned_to).where(
                Application.id == application_id
            )
            raise CaseTaken(str(holder[0]["assigned_to"]))
        if row["assigned_to"] != actor.email:
            await add_event(application_id, actor, "taken", now)
            await record(actor, "application.take", "application", application_id, {})


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
