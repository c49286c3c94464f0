"""The employer's dashboard: each foreign worker's current permit, those needing action first.

Statuses come from the worker list query (rules.permits.permit_status); days from the same
rules (days_to_expiry, overstay_days). Only the ordering is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.rules.permits import PermitStatus, days_to_expiry, overstay_days
from tka_registry.settings import Settings
from tka_registry.workers.queries import WorkerFilters, list_workers
from tka_registry.workers.schemas import WorkerSummary

# An employer's whole workforce is one page; the largest sponsors have a few hundred workers.
DASHBOARD_LIMIT = 5000

# Who needs action first: overstay (PP 28/2019 fines run daily), then permits inside the
# extension window, then workers without a valid permit, then the rest.
ACTION_RANK = {
    PermitStatus.EXPIRED: 0,
    PermitStatus.EXPIRING: 1,
    "none": 2,
    PermitStatus.REVOKED: 2,
}
OTHER_RANK = 3

SORT_KEYS = ("expiry", "name", "nationality", "position")
DEFAULT_SORT = "expiry"


@dataclass(frozen=True)
class DashboardRow:
    worker: WorkerSummary
    status: str  # a PermitStatus, or "none" without a permit
    days_to_expiry: int | None  # negative once expired
    overstay_days: int
    rank: int

    @property
    def needs_action(self) -> bool:
        return self.rank < OTHER_RANK


def dashboard_row(worker: WorkerSummary, today: date) -> DashboardRow:
    permit = worker.current_permit
    if permit is None:
        return DashboardRow(worker, "none", None, 0, ACTION_RANK["none"])
    live = permit.status != PermitStatus.REVOKED
    return DashboardRow(
        worker=worker,
        status=permit.status,
        days_to_expiry=days_to_expiry(permit.expires_on, today) if live else None,
        overstay_days=overstay_days(permit.expires_on, today) if live else 0,
        rank=ACTION_RANK.get(permit.status, OTHER_RANK),
    )


def parse_sort(text: str | None) -> tuple[str, bool]:
    """``name`` or ``-name`` into (key, descending); unknown keys fall back to the default."""
    text = text or DEFAULT_SORT
    descending = text.startswith("-")
    key = text.removeprefix("-")
    if key not in SORT_KEYS:
        return DEFAULT_SORT, False
    return key, descending


def _sort_value(row: DashboardRow, key: str) -> Any:
    worker = row.worker
    if key == "name":
        return worker.full_name.casefold()
    if key == "nationality":
        return worker.nationality_name.casefold()
    if key == "position":
        return worker.position.casefold()
    # Without a permit there is no expiry: such rows go last within their group.
    return row.days_to_expiry if row.days_to_expiry is not None else 10**9


def ordered(rows: list[DashboardRow], key: str, descending: bool) -> list[DashboardRow]:
    """Rows needing action first (by rank), each group sorted by ``key``; ties by name, id."""
    by_name = sorted(rows, key=lambda r: (r.worker.full_name.casefold(), r.worker.id))
    by_key = sorted(by_name, key=lambda r: _sort_value(r, key), reverse=descending)
    return sorted(by_key, key=lambda r: r.rank)


@dataclass(frozen=True)
class Dashboard:
    rows: list[DashboardRow]
    total: int
    counts: dict[str, int]


async def employer_dashboard(
    actor: Actor, *, sort: str, descending: bool, today: date, settings: Settings
) -> Dashboard:
    page = await list_workers(
        actor, WorkerFilters(), limit=DASHBOARD_LIMIT, offset=0, today=today, settings=settings
    )
    rows = [dashboard_row(worker, today) for worker in page.items]
    counts = {
        "overstay": sum(1 for r in rows if r.status == PermitStatus.EXPIRED),
        "expiring": sum(1 for r in rows if r.status == PermitStatus.EXPIRING),
        "active": sum(1 for r in rows if r.status == PermitStatus.ACTIVE),
        "without_permit": sum(1 for r in rows if r.status in ("none", PermitStatus.REVOKED)),
    }
    return Dashboard(rows=ordered(rows, sort, descending), total=page.total, counts=counts)
