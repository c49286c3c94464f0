"""What other areas read from applications: departures, extensions filed and reported civil
status, in Python and as SQL conditions on a permit ``p`` (its worker, first day, creation)."""

from __future__ import annotations

import json
from datetime import date

from tka_registry.applications.schemas import ApplicationKind, ApplicationStatus
from tka_registry.applications.tables import Application

# The worker left Indonesia after the permit began: an approved departure report (the sponsor
# reports it; UU 6/2011 art. 71). permits.state's ``departed_on`` is the same rule in Python.
DEPARTED = (
    "EXISTS (SELECT 1 FROM application a WHERE a.worker = p.worker"  # noqa: S608
    f" AND a.kind = '{ApplicationKind.DEPARTURE_REPORT.value}'"
    f" AND a.status = '{ApplicationStatus.APPROVED.value}'"
    " AND a.departed_on IS NOT NULL AND a.departed_on >= p.valid_from)"
)
# An extension was filed (and not withdrawn or refused) since the permit was recorded.
EXTENSION_FILED = (
    "EXISTS (SELECT 1 FROM application a WHERE a.worker = p.worker"  # noqa: S608
    f" AND a.kind = '{ApplicationKind.ITAS_EXTENSION.value}'"
    f" AND a.status IN ('{ApplicationStatus.SUBMITTED.value}',"
    f" '{ApplicationStatus.RETURNED.value}', '{ApplicationStatus.APPROVED.value}')"
    " AND a.submitted_at >= p.created_at)"
)


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
