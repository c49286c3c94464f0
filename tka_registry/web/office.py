"""Home pages of the office's staff: the permit officer's, and a simple one for other roles."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.rules.permits import PermitStatus
from tka_registry.workers.queries import WorkerFilters, list_workers


class OfficeController(Controller):
    include_in_schema = False

    @get("/petugas", opt=access(Role.OFFICER, Role.ADMIN))
    async def officer_home(
        self, actor: CurrentActor, settings: SettingsDep, today: Today
    ) -> Template:
        """Counts of workers in overstay and with permits inside the extension window."""
        counts = {}
        for status in (PermitStatus.EXPIRED, PermitStatus.EXPIRING, PermitStatus.ACTIVE):
            page = await list_workers(
                actor,
                WorkerFilters(status=status),
                limit=1,
                offset=0,
                today=today,
                settings=settings,
            )
            counts[str(status)] = page.total
        return Template(
            template_name="office/officer.html",
            context={"counts": counts, "window_days": settings.extension_window_days},
        )

    @get("/beranda", opt=access(Role.ADMIN, Role.INTELLIGENCE, Role.OFFICER, Role.EMPLOYER))
    async def staff_home(self) -> Template:
        return Template(template_name="office/home.html")
