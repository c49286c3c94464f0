"""JSON API of the audit log for admins: filtered pages and a streamed CSV export."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Stream
from pydantic import BaseModel

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.audit.queries import AuditFilters, audit_csv, count_entries, entries_page
from tka_registry.audit.service import record_read, seal_reads
from tka_registry.dependencies import CurrentActor, Today
from tka_registry.errors import InvalidInput
from tka_registry.pagination import MAX_LIMIT, Page

Text = Annotated[str | None, QueryParameter(max_length=254)]
# "actor" is also the name of the caller's dependency, so the handler argument is renamed.
ActorEmail = Annotated[
    str | None, QueryParameter(name="actor", max_length=254, description="the actor's email")
]
Day = Annotated[date | None, QueryParameter(description="Asia/Jakarta day, YYYY-MM-DD")]


class AuditEntryOut(BaseModel):
    id: int
    sequence: int
    at: datetime
    actor: str
    role: str
    address: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    previous_hash: str
    entry_hash: str


def _entry_out(row: dict[str, Any]) -> AuditEntryOut:
    details = json.loads(row["details"]) if row["details"] else {}
    return AuditEntryOut(**(row | {"details": details if isinstance(details, dict) else {}}))


def _filters(
    actor: str | None,
    object_type: str | None,
    object_id: str | None,
    action: str | None,
    since: date | None,
    until: date | None,
) -> AuditFilters:
    if since and until and since > until:
        raise InvalidInput("until", f"until ({until}) is before since ({since})")
    return AuditFilters(actor, object_type, object_id, action, since, until)


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/", opt=access(Role.ADMIN))
    async def list_entries(
        self,
        actor_email: ActorEmail = None,
        object_type: Text = None,
        object_id: Text = None,
        action: Text = None,
        since: Day = None,
        until: Day = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[AuditEntryOut]:
        """Audit entries, newest first; ``since``/``until`` are Jakarta days, both included;
        an ``action`` ending in "." matches all actions it starts (``permit.``)."""
        filters = _filters(actor_email, object_type, object_id, action, since, until)
        await seal_reads()  # the log shows every read recorded so far
        rows = await entries_page(filters, limit=limit, offset=offset)
        total = await count_entries(filters)
        return Page(items=[_entry_out(r) for r in rows], total=total, limit=limit, offset=offset)

    @get("/export.csv", opt=access(Role.ADMIN), media_type="text/csv; charset=utf-8")
    async def export_csv(
        self,
        actor: CurrentActor,
        today: Today,
        actor_email: ActorEmail = None,
        object_type: Text = None,
        object_id: Text = None,
        action: Text = None,
        since: Day = None,
        until: Day = None,
    ) -> Stream:
        """The matching entries as CSV (UTF-8 with BOM, oldest first), streamed."""
        filters = _filters(actor_email, object_type, object_id, action, since, until)
        await record_read(actor, "audit.export", "audit", "", {"filters": filters.__dict__})
        await seal_reads()  # the export shows every read recorded so far, its own included
        return Stream(
            audit_csv(filters),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="audit-{today}.csv"'},
        )
