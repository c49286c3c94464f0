"""The worker's copy of its current permit: ``current_permit_id``, ``permit_valid_from`` and
``permit_valid_until``.

They are derived from the permit table (the one ``is_current`` permit of the worker; its first
and last valid days unless it was revoked) and rewritten by :func:`refresh_current_permits` in
the transaction that changes the permits, by every path that issues, supersedes or revokes one.
They exist for speed: statistics over a million workers count the workers valid on a day
(:func:`tka_registry.permits.state.worker_valid_on`) from one index instead of joining every
worker to its permit (bench/bench_intelligence.py measures both).
:func:`drifted_workers` finds any worker whose copy disagrees with its permits.
"""

from __future__ import annotations

from tka_registry.permits.state import coverage_from_sql
from tka_registry.workers.tables import Worker

__all__ = ["drifted_workers", "refresh_current_permits"]

_CURRENT_ID = "(SELECT p.id FROM permit p WHERE p.worker = worker.id AND p.is_current)"
_LIVE = "FROM permit p WHERE p.worker = worker.id AND p.is_current AND p.revoked_on IS NULL"
# The first day of the unbroken stay: a renewal issued ahead of its start hands over from the
# permit it renews (permits.state.coverage_from).
_VALID_FROM = (
    f"(SELECT {coverage_from_sql('p', 'pp')} FROM permit p"  # noqa: S608
    " LEFT JOIN permit pp ON pp.id = p.supersedes"
    " WHERE p.worker = worker.id AND p.is_current AND p.revoked_on IS NULL)"
)
_VALID_UNTIL = f"(SELECT p.expires_on {_LIVE})"
# Constants of this module only; values travel as parameters.
_REFRESH = (
    f"UPDATE worker SET current_permit_id = {_CURRENT_ID},"  # noqa: S608
    f" permit_valid_from = {_VALID_FROM}, permit_valid_until = {_VALID_UNTIL}"
)


async def refresh_current_permits(worker_ids: list[int] | None) -> None:
    """Rewrite the copy for ``worker_ids`` (``None``: every worker) from their permits.

    Run it inside the transaction that changed the permits, after the change.
    """
    if worker_ids is None:
        await Worker.raw(_REFRESH)
        return
    for start in range(0, len(worker_ids), 500):  # SQLite takes at most 999 parameters
        chunk = worker_ids[start : start + 500]
        marks = ", ".join("{}" for _ in chunk)
        await Worker.raw(f"{_REFRESH} WHERE id IN ({marks})", *chunk)


async def drifted_workers() -> list[int]:
    """Ids of workers whose copy disagrees with their permits (empty when all is well)."""
    rows = await Worker.raw(
        "SELECT id, current_permit_id, permit_valid_from, permit_valid_until,"  # noqa: S608
        f" {_CURRENT_ID} AS derived_id, {_VALID_FROM} AS derived_from,"
        f" {_VALID_UNTIL} AS derived_until FROM worker ORDER BY id"
    )
    # Compared as text: SQLite answers a sub-select's date as text, a column's as a date.
    return [
        row["id"]
        for row in rows
        if (
            row["current_permit_id"],
            _text(row["permit_valid_from"]),
            _text(row["permit_valid_until"]),
        )
        != (row["derived_id"], _text(row["derived_from"]), _text(row["derived_until"]))
    ]


def _text(value: object) -> str | None:
    return None if value is None else str(value)
