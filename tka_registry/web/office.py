"""Home pages of the office's staff: the permit officer's, and a simple one for other roles."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.web.dashboard import board_context


class OfficeController(Controller):
    include_in_schema = False

    @get("/petugas", opt=access(Role.OFFICER, Role.ADMIN))
    async def officer_home(
        self,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        sort: Annotated[str | None, QueryParameter(name="urut")] = None,
        search: Annotated[str | None, QueryParameter(name="cari")] = None,
        group: Annotated[str | None, QueryParameter(name="status")] = None,
        page: Annotated[int, QueryParameter(name="halaman", ge=1, le=1_000_000)] = 1,
    ) -> Template:
        """Every worker, those in overstay and inside the extension window first, 50 a page."""
        context = await board_context(
            actor,
            sort=sort,
            search=search,
            group=group,
            page=page,
            today=today,
            settings=settings,
        )
        context["worker_href"] = None
        return Template(template_name="office/officer.html", context=context)

    @get("/beranda", opt=access(Role.ADMIN, Role.INTELLIGENCE, Role.OFFICER, Role.EMPLOYER))
    async def staff_home(self) -> Template:
        return Template(template_name="office/home.html")
