"""JSON API of the reminder ledger: employers see their own history, admins the whole ledger."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import FromQuery, QueryParameter

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.alerts import history
from tka_registry.alerts.history import ReminderOut
from tka_registry.dependencies import CurrentActor
from tka_registry.pagination import MAX_LIMIT, Page


class AlertController(Controller):
    path = "/api/v1/alerts"
    tags = ["alerts"]

    @get("/history", opt=access(Role.EMPLOYER))
    async def employer_history(
        self,
        actor: CurrentActor,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[ReminderOut]:
        """The expiry reminders sent to the signed-in employer, newest first."""
        return await history.employer_history(actor, limit=limit, offset=offset)

    @get("/ledger", opt=access(Role.ADMIN))
    async def ledger(
        self,
        # ``state`` is a reserved Litestar parameter name: read the query key into another name.
        reminder_state: Annotated[str | None, QueryParameter(name="state")] = None,
        stage: FromQuery[str | None] = None,
        employer_id: FromQuery[int | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[ReminderOut]:
        """Every reminder of the ledger with its state, attempts, Message-ID and last error."""
        return await history.ledger_page(
            state=reminder_state, stage=stage, employer_id=employer_id, limit=limit, offset=offset
        )
