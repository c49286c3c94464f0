"""JSON API for permits and visa indexes."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES, READERS
from tka_registry.dependencies import CurrentActor, Now, SettingsDep, Today
from tka_registry.errors import InvalidInput
from tka_registry.pagination import MAX_LIMIT, Page
from tka_registry.permits import service
from tka_registry.permits.schemas import PermitIn, PermitOut, PermitRevocation, VisaIndexOut
from tka_registry.rules.permits import PermitKind, PermitStatus


class PermitController(Controller):
    path = "/api/v1/permits"
    tags = ["permits"]

    @post("/", opt=access(*OFFICE_ROLES))
    async def issue(
        self,
        data: JSONBody[PermitIn],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> PermitOut:
        """Issue a permit; renewing a valid one needs ``supersedes_id`` naming it (else 409)."""
        return await service.issue_permit(actor, data, today=today, settings=settings, now=now)

    @get("/", opt=access(*READERS))
    async def list_permits(
        self,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        worker_id: FromQuery[int | None] = None,
        employer_id: FromQuery[int | None] = None,
        status: FromQuery[str | None] = None,
        kind: FromQuery[PermitKind | None] = None,
        visa_index: Annotated[str | None, QueryParameter(max_length=10)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[PermitOut]:
        if status is not None and status not in set(PermitStatus):
            raise InvalidInput("status", f'unknown status "{status}": one of {list(PermitStatus)}')
        return await service.list_permits(
            actor,
            worker_id=worker_id,
            employer_id=employer_id,
            status=status,
            kind=kind.value if kind else None,
            visa_index=visa_index,
            limit=limit,
            offset=offset,
            today=today,
            settings=settings,
        )

    @get("/{permit_id:int}", opt=access(*READERS))
    async def read(
        self, permit_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, today: Today
    ) -> PermitOut:
        return await service.get_permit(actor, permit_id, today=today, settings=settings)

    @patch("/{permit_id:int}", opt=access(*OFFICE_ROLES))
    async def revoke(
        self,
        permit_id: FromPath[int],
        data: JSONBody[PermitRevocation],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> PermitOut:
        """Revoke a permit. Nothing else of a permit is ever edited: issue a new one instead."""
        return await service.revoke_permit(actor, permit_id, data, today=today, settings=settings)


class VisaIndexController(Controller):
    path = "/api/v1/visa-indexes"
    tags = ["permits"]

    @get("/", opt=access(*READERS))
    async def list_indexes(self) -> list[VisaIndexOut]:
        return await service.list_visa_indexes()
