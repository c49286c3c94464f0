"""Pages of the reminder ledger: an employer's reminder history and the admin's ledger."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.alerts import history
from tka_registry.alerts.tables import STATES
from tka_registry.dependencies import CurrentActor
from tka_registry.notifications.delivery import outbox_page

PAGE_SIZE = 50


class AlertPages(Controller):
    include_in_schema = False

    @get("/portal/pengingat", opt=access(Role.EMPLOYER))
    async def employer_history(
        self, actor: CurrentActor, offset: Annotated[int, QueryParameter(ge=0)] = 0
    ) -> Template:
        """The expiry reminders this employer was sent (or that could not be sent)."""
        page = await history.employer_history(actor, limit=PAGE_SIZE, offset=offset)
        return Template(template_name="alerts/history.html", context={"page": page})

    @get("/pengingat", opt=access(Role.ADMIN))
    async def ledger(
        self,
        reminder_state: Annotated[str | None, QueryParameter(name="status")] = None,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Template:
        """The whole reminder ledger, optionally one state only."""
        chosen = reminder_state if reminder_state in STATES else None
        page = await history.ledger_page(
            state=chosen, stage=None, employer_id=None, limit=PAGE_SIZE, offset=offset
        )
        return Template(
            template_name="alerts/ledger.html",
            context={
                "page": page,
                "states": STATES,
                "chosen": chosen,
                "outbox": await outbox_page(),
            },
        )
