"""The employer's portal: the dashboard of foreign workers and each worker's page."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.employers.tables import Employer
from tka_registry.web.dashboard import board_context
from tka_registry.workers.service import get_worker


class PortalController(Controller):
    path = "/portal"
    include_in_schema = False

    @get("/", opt=access(Role.EMPLOYER))
    async def dashboard(
        self,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        sort: Annotated[str | None, QueryParameter(name="urut")] = None,
        search: Annotated[str | None, QueryParameter(name="cari")] = None,
        group: Annotated[str | None, QueryParameter(name="status")] = None,
        page: Annotated[int, QueryParameter(name="halaman", ge=1, le=1_000_000)] = 1,
    ) -> Template:
        """The employer's workers, those needing action first, 50 a page."""
        context = await board_context(
            actor,
            sort=sort,
            search=search,
            group=group,
            page=page,
            today=today,
            settings=settings,
        )
        employer = await Employer.select(Employer.name).where(Employer.id == actor.employer_id)
        context["employer_name"] = employer[0]["name"] if employer else ""
        context["worker_href"] = "/portal/pekerja/"
        return Template(template_name="portal/dashboard.html", context=context)

    @get("/pekerja/{worker_id:int}", opt=access(Role.EMPLOYER))
    async def worker(
        self, worker_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, today: Today
    ) -> Template:
        """One worker of this employer; another employer's worker answers 404 like a missing one."""
        worker = await get_worker(actor, worker_id, settings=settings, today=today)
        return Template(
            template_name="portal/worker.html", context={"worker": worker, "today": today}
        )
