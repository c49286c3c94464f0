"""The employer's portal: the dashboard of foreign workers and each worker's page."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.employers.tables import Employer
from tka_registry.web.dashboard import BOARD, BoardPage
from tka_registry.workers.next_steps import CurrentPermitFacts, current_of, next_steps
from tka_registry.workers.service import get_worker


class PortalController(Controller):
    path = "/portal"
    include_in_schema = False

    @get("/", opt=access(Role.EMPLOYER), dependencies=BOARD)
    async def dashboard(
        self, actor: CurrentActor, settings: SettingsDep, board: BoardPage
    ) -> Template:
        """The employer's workers, those needing action first, 50 a page, each with the next
        action due and its button."""
        employer = await Employer.select(Employer.name).where(Employer.id == actor.employer_id)
        permits = {
            row.id: CurrentPermitFacts(
                row.status, row.permit_kind, row.permit_valid_from, row.permit_expires_on
            )
            for row in board["board"].rows
        }
        context = {
            **board,
            "employer_name": employer[0]["name"] if employer else "",
            "worker_href": "/portal/pekerja/",
            "next_steps": await next_steps(permits, settings=settings),
        }
        return Template(template_name="portal/dashboard.html", context=context)

    @get("/pekerja/{worker_id:int}", opt=access(Role.EMPLOYER))
    async def worker(
        self, worker_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, today: Today
    ) -> Template:
        """One worker of this employer; another employer's worker answers 404 like a missing one."""
        worker = await get_worker(actor, worker_id, settings=settings, today=today)
        steps = await next_steps({worker.id: current_of(worker)}, settings=settings)
        return Template(
            template_name="portal/worker.html",
            context={"worker": worker, "today": today, "step": steps[worker.id]},
        )
