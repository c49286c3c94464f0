"""The worker's copy of its current permit: ``current_permit_id`` and ``permit_valid_until``.

Both are derived from the permit table (the one ``is_current`` permit of the worker; its last day
unless it was revoked) and rewritten by :func:`refresh_current_permits` in the transaction that
changes the permits, by every path that issues, supersedes or revokes one. They exist for speed:
statistics over a million workers count ``w.permit_valid_until >= today`` from one index instead
of joining every worker to its permit (bench/bench_intelligence.py measures both).
:func:`drifted_workers` finds any worker whose copy disagrees with its permits.
"""

from __future__ import annotations

from tka_registry.workers.tables import Worker

__all__ = ["drifted_workers", "refresh_current_permits"]

_CURRENT_ID = "(SELECT p.id FROM permit p WHERE p.worker = worker.id AND p.is_current)"
_VALID_UNTIL = (
    "(SELECT p.expires_on FROM permit p"
    " WHERE p.worker = worker.id AND p.is_current AND p.revoked_on IS NULL)"
)
# Constants of this module only; values travel as parameters.
_REFRESH = (
    f"UPDATE worker SET current_permit_id = {_CURRENT_ID}, permit_valid_until = {_VALID_UNTIL}"  # noqa: S608
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
        f"SELECT id, current_permit_id, permit_valid_until, {_CURRENT_ID} AS derived_id,"  # noqa: S608
        f" {_VALID_UNTIL} AS derived_until FROM worker ORDER BY id"
    )
    # Compared as text: SQLite answers a sub-select's date as text, a column's as a date.
    return [
        row["id"]
        for row in rows
        if (row["current_permit_id"], _text(row["permit_valid_until"]))
        != (row["derived_id"], _text(row["derived_until"]))
    ]


def _text(value: object) -> str | None:
    return None if value is None else str(value)
