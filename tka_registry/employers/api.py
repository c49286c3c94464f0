"""JSON API for employers."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES, READERS
from tka_registry.dependencies import CurrentActor, Now, SettingsDep
from tka_registry.employers import service
from tka_registry.employers.schemas import EmployerIn, EmployerOut, EmployerPatch
from tka_registry.pagination import MAX_LIMIT, Page


class EmployerController(Controller):
    path = "/api/v1/employers"
    tags = ["employers"]

    @post("/", opt=access(*OFFICE_ROLES))
    async def create(
        self, data: JSONBody[EmployerIn], actor: CurrentActor, settings: SettingsDep, now: Now
    ) -> EmployerOut:
        return await service.create_employer(actor, data, settings=settings, now=now)

    @get("/", opt=access(*READERS))
    async def list_employers(
        self,
        actor: CurrentActor,
        q: FromQuery[str | None] = None,
        regency: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[EmployerOut]:
        return await service.list_employers(actor, q=q, regency=regency, limit=limit, offset=offset)

    @get("/{employer_id:int}", opt=access(*READERS))
    async def read(self, employer_id: FromPath[int], actor: CurrentActor) -> EmployerOut:
        return await service.get_employer(actor, employer_id)

    @patch("/{employer_id:int}", opt=access(*OFFICE_ROLES))
    async def update(
        self,
        employer_id: FromPath[int],
        data: JSONBody[EmployerPatch],
        actor: CurrentActor,
        settings: SettingsDep,
        now: Now,
    ) -> EmployerOut:
        return await service.update_employer(actor, employer_id, data, settings=settings, now=now)
