"""JSON API for workers and their passports."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import OFFICE_ROLES, READERS, Role
from tka_registry.audit.service import record_read
from tka_registry.dependencies import CallDep, CurrentActor, Now, SettingsDep, Today
from tka_registry.errors import InvalidInput
from tka_registry.intelligence.api import checked_purpose
from tka_registry.pagination import MAX_LIMIT, Page
from tka_registry.workers import service
from tka_registry.workers.queries import (
    WORKER_STATUSES,
    WorkerFilters,
    checked_nationalities,
    list_workers,
)
from tka_registry.workers.schemas import PassportIn, WorkerIn, WorkerOut, WorkerPatch, WorkerSummary

WRITERS = (*OFFICE_ROLES, Role.EMPLOYER)


class WorkerController(Controller):
    path = "/api/v1/workers"
    tags = ["workers"]

    @post("/", opt=access(*WRITERS))
    async def create(
        self,
        data: JSONBody[WorkerIn],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> WorkerOut:
        return await service.create_worker(actor, data, settings=settings, today=today, now=now)

    @get("/", opt=access(*READERS))
    async def list_workers(
        self,
        call: CallDep,
        nationality: FromQuery[str | None] = None,
        employer_id: FromQuery[int | None] = None,
        regency: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        expires_within_days: Annotated[int | None, QueryParameter(ge=0, le=3650)] = None,
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[WorkerSummary]:
        """Workers, filtered; ``status`` is the derived status of each one's current permit."""
        if status is not None and status not in WORKER_STATUSES:
            raise InvalidInput("status", f'unknown status "{status}": one of {WORKER_STATUSES}')
        filters = WorkerFilters(
            nationalities=checked_nationalities(nationality),
            employer_id=employer_id,
            regency=regency,
            status=status,
            expires_within_days=expires_within_days,
            q=q,
        )
        page = await list_workers(
            call.actor,
            filters,
            limit=limit,
            offset=offset,
            today=call.today,
            settings=call.settings,
        )
        if call.actor.role == Role.INTELLIGENCE:
            await record_read(
                call.actor, "intelligence.query", "worker", "", {"filters": filters.__dict__}
            )
        return page

    @get("/{worker_id:int}", opt=access(*READERS))
    async def read(
        self,
        worker_id: FromPath[int],
        call: CallDep,
        purpose: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> WorkerOut:
        """A worker with passports and permits. The intelligence role states a ``purpose``."""
        actor = call.actor
        reason = checked_purpose(purpose or "") if actor.role == Role.INTELLIGENCE else None
        worker = await service.get_worker(
            actor, worker_id, settings=call.settings, today=call.today
        )
        if reason is not None:
            await record_read(actor, "intelligence.view", "worker", worker_id, {"purpose": reason})
        return worker

    @patch("/{worker_id:int}", opt=access(*WRITERS))
    async def update(
        self,
        worker_id: FromPath[int],
        data: JSONBody[WorkerPatch],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> WorkerOut:
        return await service.update_worker(
            actor, worker_id, data, settings=settings, today=today, now=now
        )

    @post("/{worker_id:int}/passports", opt=access(*WRITERS))
    async def add_passport(
        self,
        worker_id: FromPath[int],
        data: JSONBody[PassportIn],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> WorkerOut:
        """Record a renewed passport of the same worker."""
        return await service.add_passport(
            actor, worker_id, data, settings=settings, today=today, now=now
        )
