"""permits.state: the Python form and the SQL forms of a permit's state give the same answer.

Permit chains are generated at every boundary: a new permit not yet begun, one revoked, a
renewal issued ahead of its first day (it hands over from the permit it renews), a renewal after
a gap, a renewed permit revoked later, and workers who departed on the first day of their
permit or before it began. Each permit and each worker is judged on every boundary day (the
day before each first day, the first day, the last day, the day after it, the edges of the
extension window and of deportation, the revocation days) by the Python form and by the SQL:
the status CASE, each status's WHERE condition, "valid on day D" over the permit history and
on the worker's copy, the worker list's standing, the overstay list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.alerts import records
from tka_registry.applications.queries import DEPARTED
from tka_registry.applications.tables import Application
from tka_registry.permits.current import drifted_workers, refresh_current_permits
from tka_registry.permits.state import (
    PermitStatus,
    coverage_from,
    in_force_on,
    list_standing,
    permit_in_force_on,
    state_of,
    status_condition,
    status_sql,
    worker_status_sql,
    worker_valid_on,
)
from tka_registry.permits.tables import Permit
from tka_registry.settings import Settings
from tka_registry.workers.queries import STAY_FROM

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
# The day the data was written: every issue and revocation is on or before it, and the
# worker's copy answers for this day and every later one.
WRITTEN_ON = date(2026, 12, 1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Spec:
    """One permit of a generated chain (oldest first)."""

    issued_on: date
    valid_from: date
    expires_on: date
    revoked_on: date | None = None


# name: (permits oldest first, departure day)
CHAINS: dict[str, tuple[list[Spec], date | None]] = {
    "new, not yet begun": ([Spec(date(2026, 12, 1), date(2026, 12, 15), date(2027, 12, 14))], None),
    "revoked": (
        [Spec(date(2026, 6, 1), date(2026, 6, 1), date(2027, 5, 31), date(2026, 11, 1))],
        None,
    ),
    "renewed ahead of its first day": (
        [
            Spec(date(2026, 1, 1), date(2026, 1, 1), date(2026, 12, 31)),
            Spec(date(2026, 12, 1), date(2027, 1, 1), date(2027, 12, 31)),
        ],
        None,
    ),
    "renewed after a gap": (
        [
            Spec(date(2025, 1, 1), date(2025, 1, 1), date(2025, 12, 31)),
            Spec(date(2026, 3, 1), date(2026, 3, 1), date(2027, 2, 28)),
        ],
        None,
    ),
    "renewed, then the old one revoked": (
        [
            Spec(date(2026, 1, 1), date(2026, 1, 1), date(2026, 12, 31), date(2026, 11, 20)),
            Spec(date(2026, 11, 15), date(2027, 1, 1), date(2027, 12, 31)),
        ],
        None,
    ),
    "departed on its first day": (
        [Spec(date(2026, 6, 1), date(2026, 6, 1), date(2026, 11, 30))],
        date(2026, 6, 1),
    ),
    "departed the day before it began": (
        [Spec(date(2026, 5, 20), date(2026, 6, 1), date(2026, 11, 15))],
        date(2026, 5, 31),
    ),
}


async def _departure(employer_id: int, worker_id: int, departed_on: date) -> None:
    await Application.insert(
        Application(
            kind="departure_report",
            status="approved",
            employer=employer_id,
            worker=worker_id,
            details="{}",
            departed_on=departed_on,
            created_by="tests",
            created_at=NOW,
            updated_at=NOW,
            submitted_at=NOW,
            decided_at=NOW,
        )
    )


async def _generated() -> dict[int, date | None]:
    """One worker per chain; answers each worker's departure day."""
    employer_id = await records.employer("PT Batas", "hrd@batas.co.id")
    departures: dict[int, date | None] = {}
    for specs, departed_on in CHAINS.values():
        worker_id = await records.worker(employer_id, "Li Na")
        previous: int | None = None
        for index, spec in enumerate(specs):
            previous, _ = await records.permit(
                worker_id,
                employer_id,
                spec.expires_on,
                is_current=index == len(specs) - 1,
                issued_on=spec.issued_on,
                valid_from=spec.valid_from,
                revoked_on=spec.revoked_on,
                supersedes=previous,
            )
        departures[worker_id] = departed_on
        if departed_on is not None:
            await _departure(employer_id, worker_id, departed_on)
    await refresh_current_permits(None)
    assert await drifted_workers() == []
    return departures


def boundary_days(settings: Settings) -> list[date]:
    window = settings.extension_window_days * DAY
    deportation = settings.overstay_deportation_days * DAY
    days: set[date] = {WRITTEN_ON}
    for specs, departed_on in CHAINS.values():
        for spec in specs:
            days |= {spec.valid_from - DAY, spec.valid_from, spec.valid_from + DAY}
            days |= {spec.expires_on - window - DAY, spec.expires_on - window}
            days |= {spec.expires_on, spec.expires_on + DAY}
            days |= {spec.expires_on + deportation, spec.expires_on + deportation + DAY}
            if spec.revoked_on:
                days |= {spec.revoked_on - DAY, spec.revoked_on}
        if departed_on:
            days.add(departed_on)
    return sorted(days)


async def _ids(sql: str, *arguments: Any) -> set[int]:
    return {int(row["id"]) for row in await Permit.raw(sql, *arguments)}


async def test_every_permit_sql_and_python_agree_on_every_boundary(
    db: str, settings: Settings
) -> None:
    departures = await _generated()
    rows = {row["id"]: row for row in await Permit.select()}
    successor_from = {r["supersedes"]: r["valid_from"] for r in rows.values() if r["supersedes"]}
    window = settings.extension_window_days
    seen: set[PermitStatus] = set()
    for today in boundary_days(settings):
        states = {
            permit_id: state_of(
                row, today=today, settings=settings, departed_on=departures[row["worker"]]
            )
            for permit_id, row in rows.items()
        }
        seen |= {state.status for state in states.values()}

        case = status_sql(today, window)
        answered = {
            int(row["id"]): row["status"]
            for row in await Permit.raw(
                f"SELECT p.id, {case.text} AS status FROM permit p", *case.arguments
            )
        }
        assert answered == {i: s.status.value for i, s in states.items()}, today

        for status in PermitStatus:
            condition = status_condition(status, today, window)
            found = await _ids(
                f"SELECT p.id FROM permit p WHERE {condition.text}", *condition.arguments
            )
            assert found == {i for i, s in states.items() if s.status == status}, (today, status)

        history = in_force_on(today)
        in_force = {
            permit_id
            for permit_id, row in rows.items()
            if permit_in_force_on(
                valid_from=row["valid_from"],
                expires_on=row["expires_on"],
                revoked_on=row["revoked_on"],
                successor_from=successor_from.get(permit_id),
                day=today,
            )
        }
        assert in_force == await _ids(
            f"SELECT p.id FROM permit p WHERE {history.text}", *history.arguments
        ), today
        if today >= WRITTEN_ON:  # a status is today's: a past day may predate a revocation
            # A current permit's own status "in force" is the history's answer for it.
            assert {i for i, s in states.items() if s.in_force} == {
                i for i in in_force if rows[i]["is_current"]
            }, today

        expired = status_condition(PermitStatus.EXPIRED, today, window)
        overstaying = await _ids(
            f"SELECT p.id FROM permit p WHERE {expired.text} AND NOT {DEPARTED}",
            *expired.arguments,
        )
        assert overstaying == {i for i, s in states.items() if s.overstay_days > 0}, today
    # Every status was reached by some generated permit on some boundary day.
    assert seen == set(PermitStatus)


async def test_every_worker_is_valid_alike_on_the_copy_the_history_and_the_list(
    db: str, settings: Settings
) -> None:
    await _generated()
    permits = await Permit.select()
    by_id = {row["id"]: row for row in permits}
    successor_from = {r["supersedes"]: r["valid_from"] for r in permits if r["supersedes"]}
    current = {row["worker"]: row for row in permits if row["is_current"]}
    window = settings.extension_window_days
    for today in [day for day in boundary_days(settings) if day >= WRITTEN_ON]:
        # Python: the worker's standing, its stay counted from coverage_from.
        standing, stay_from_of = {}, {}
        for worker_id, row in current.items():
            previous = by_id.get(row["supersedes"]) if row["supersedes"] else None
            stay_from = coverage_from(
                valid_from=row["valid_from"], issued_on=row["issued_on"], previous=previous
            )
            stay_from_of[worker_id] = stay_from
            standing[worker_id] = state_of(
                row,
                today=today,
                settings=settings,
                stay_from=None if row["revoked_on"] else stay_from,
            )
        valid = {worker_id for worker_id, state in standing.items() if state.in_force}
        # A list row's standing: the same status, days to expiry and overstay.
        for worker_id, row in current.items():
            state = standing[worker_id]
            shown = list_standing(
                row,
                today=today,
                settings=settings,
                stay_from=None if row["revoked_on"] else stay_from_of[worker_id],
            )
            assert shown == (state.status, state.days_to_expiry, state.overstay_days), today
        # Python over the history: some permit of the worker in force that day.
        held = {
            row["worker"]
            for row in permits
            if permit_in_force_on(
                valid_from=row["valid_from"],
                expires_on=row["expires_on"],
                revoked_on=row["revoked_on"],
                successor_from=successor_from.get(row["id"]),
                day=today,
            )
        }
        assert valid == held, today
        copy = worker_valid_on(today)
        on_copy = await _ids(f"SELECT w.id FROM worker w WHERE {copy.text}", *copy.arguments)
        assert on_copy == valid, today
        history = in_force_on(today)
        assert valid == {
            int(row["worker"])
            for row in await Permit.raw(
                f"SELECT DISTINCT p.worker FROM permit p WHERE {history.text}", *history.arguments
            )
        }, today
        # The board's form: the same status from the worker's copy alone.
        on_copy_status = worker_status_sql(today, window)
        answered = {
            int(row["id"]): row["status"]
            for row in await Permit.raw(
                f"SELECT w.id, {on_copy_status.text} AS status FROM worker w",
                *on_copy_status.arguments,
            )
        }
        assert answered == {w: s.status.value for w, s in standing.items()}, today
        for status in PermitStatus:
            condition = status_condition(status, today, window, valid_from=STAY_FROM)
            listed = await _ids(
                "SELECT w.id FROM worker w JOIN permit p ON p.id = w.current_permit_id"
                f" WHERE {condition.text}",
                *condition.arguments,
            )
            assert listed == {w for w, s in standing.items() if s.status == status}, (
                today,
                status,
            )


async def test_state_at_the_boundaries(db: str, settings: Settings) -> None:
    await _generated()
    first, last = date(2026, 12, 15), date(2027, 12, 14)
    current = await Permit.select().where(Permit.valid_from == first).first()
    assert current is not None

    def state(today: date, departed_on: date | None = None) -> Any:
        assert current is not None
        return state_of(current, today=today, settings=settings, departed_on=departed_on)

    window = settings.extension_window_days * DAY
    assert state(first - DAY).status == PermitStatus.NOT_YET_VALID
    assert state(first - DAY).days_to_start == 1 and not state(first - DAY).in_force
    assert state(first).status == PermitStatus.ACTIVE and state(first).in_force
    assert state(last - window - DAY).status == PermitStatus.ACTIVE
    assert state(last - window).status == PermitStatus.EXPIRING
    assert state(last).status == PermitStatus.EXPIRING and state(last).days_to_expiry == 0
    after = state(last + DAY)
    assert after.status == PermitStatus.EXPIRED and after.overstay_days == 1
    assert after.fine_idr == settings.overstay_fine_per_day_idr and not after.faces_deportation
    limit = settings.overstay_deportation_days
    assert not state(last + limit * DAY).faces_deportation
    beyond = state(last + (limit + 1) * DAY)
    assert beyond.faces_deportation
    assert beyond.fine_idr == (limit + 1) * settings.overstay_fine_per_day_idr
    departed = state(last + DAY, departed_on=first)
    assert departed.status == PermitStatus.EXPIRED and departed.overstay_days == 0
    assert state(last + DAY, departed_on=first - DAY).overstay_days == 1
