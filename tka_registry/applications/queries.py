"""What other areas read from applications: departures and reported civil status."""

from __future__ import annotations

import json
from datetime import date

from tka_registry.applications.schemas import ApplicationKind, ApplicationStatus
from tka_registry.applications.tables import Application


async def departures(worker_ids: list[int] | None = None) -> dict[int, date]:
    """The day each worker left Indonesia, from approved departure reports (latest wins)."""
    query = Application.select(Application.worker, Application.departed_on).where(
        (Application.kind == ApplicationKind.DEPARTURE_REPORT.value)
        & (Application.status == ApplicationStatus.APPROVED.value)
        & Application.departed_on.is_not_null()
    )
    if worker_ids is not None:
        query = query.where(Application.worker.is_in(worker_ids or [-1]))
    result: dict[int, date] = {}
    for row in await query:
        if row["worker"] not in result or row["departed_on"] > result[row["worker"]]:
            result[row["worker"]] = row["departed_on"]
    return result


async def civil_status_of(worker_id: int) -> str | None:
    """The worker's civil status as last reported in an approved change report."""
    rows = (
        await Application.select(Application.details)
        .where(
            (Application.worker == worker_id)
            & (Application.kind == ApplicationKind.CHANGE_REPORT.value)
            & (Application.status == ApplicationStatus.APPROVED.value)
        )
        .order_by(Application.decided_at, ascending=False)
    )
    for row in rows:
        status = json.loads(row["details"]).get("civil_status")
        if status:
            return str(status)
    return None
