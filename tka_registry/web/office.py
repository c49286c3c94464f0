"""Home pages of the office's staff: the permit officer's, and a simple one for other roles."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.completion.service import total as records_to_complete
from tka_registry.web.dashboard import BOARD, BoardPage


class OfficeController(Controller):
    include_in_schema = False

    @get("/petugas", opt=access(Role.OFFICER, Role.ADMIN), dependencies=BOARD)
    async def officer_home(self, board: BoardPage) -> Template:
        """Every worker, those in overstay and inside the extension window first, 50 a page."""
        context = {
            **board,
            "worker_href": "/petugas/pekerja/",
            "to_complete": await records_to_complete(),
        }
        return Template(template_name="office/officer.html", context=context)

    @get("/beranda", opt=access(Role.ADMIN, Role.INTELLIGENCE, Role.OFFICER, Role.EMPLOYER))
    async def staff_home(self) -> Template:
        return Template(template_name="office/home.html")
