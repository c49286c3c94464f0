"""The board reads each group of a page on its own (workers.board): every sort, direction,
group filter, search and scope must give the rows, page after page, that one ORDER BY over all
the scoped workers gives; and permits.state's per-status conditions must agree with its CASE."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import NOW
from tka_registry.accounts.roles import Actor, Role
from tka_registry.permits.current import refresh_current_permits
from tka_registry.permits.state import worker_status_condition, worker_status_sql
from tka_registry.settings import Settings
from tka_registry.workers import board as boards
from tka_registry.workers.tables import Worker

TODAY = date(2026, 12, 1)
WORKERS = 70
PAGE = 5  # small, so pages cross the groups' edges many times


async def _workers() -> None:
    """Workers of every standing (with real permits; the copies refreshed from them), two
    employers, repeated names (the tie-breakers matter), positions in mixed case."""
    await Worker.raw(
        "INSERT INTO employer (id, name, nib, npwp, address, regency, sector, email, phone,"
        " created_at, updated_at) VALUES"
        " (1, 'PT A', '1', '1', '', 'Palembang', 'mining', '', '', {}, {}),"
        " (2, 'PT B', '2', '2', '', 'Palembang', 'mining', '', '', {}, {})",
        *[NOW] * 4,
    )
    for i in range(1, WORKERS + 1):
        await Worker.raw(
            "INSERT INTO worker (id, full_name, name_folded, sex, date_of_birth, place_of_birth,"
            " nationality, address, regency, position, employer, created_at, updated_at)"
            " VALUES ({}, {}, {}, 'M', {}, '', {}, '', 'Palembang', {}, {}, {}, {})",
            i,
            f"Worker {i % 13}",
            f"worker {i % 13}",
            date(1980, 1, 1),
            ("CHN", "IND", "KOR", "GBR")[i % 4],
            ("Engineer", "engineer", "Welder", "Chef")[i % 3],
            1 + i % 2,
            NOW,
            NOW,
        )
        if i % 7 == 0:  # no permit at all
            continue
        expires = TODAY + timedelta(days=(i * 37) % 200 - 60)
        begins = TODAY + timedelta(days=i) if i % 7 == 2 else expires - timedelta(days=365)
        await Worker.raw(
            "INSERT INTO permit (worker, kind, visa_index, number, issued_on, valid_from,"
            " expires_on, employer, is_current, revoked_on, created_at)"
            " VALUES ({}, 'ITAS', 'E23C', {}, {}, {}, {}, {}, {}, {}, {})",
            i,
            f"ITAS{i}",
            min(begins, TODAY),
            begins,
            expires,
            1 + i % 2,
            True,
            TODAY - timedelta(days=3) if i % 7 == 1 else None,  # revoked
            NOW,
        )
    await refresh_current_permits(None)


def _actor(employer: int | None) -> Actor:
    role = Role.EMPLOYER if employer else Role.OFFICER
    return Actor(account_id=1, email="x@test", role=role, employer_id=employer, address="test")


async def _expected(
    actor: Actor, filters: boards.BoardFilters, sort: str, descending: bool, settings: Settings
) -> list[int]:
    """The ids in the order of one ORDER BY over every scoped worker (the board before it
    read groups apart)."""
    inner, arguments = boards._inner(actor, filters, TODAY, settings)
    where = "1 = 1"
    if filters.group:
        where = f"s.status IN ({', '.join('{}' for _ in boards.GROUPS[filters.group])})"
        arguments += list(boards.GROUPS[filters.group])
    rows = await Worker.raw(
        f"SELECT s.id FROM ({inner}) s WHERE {where}"
        f" ORDER BY {boards._order('s', sort, descending)}",
        *arguments,
    )
    return [row["id"] for row in rows]


@pytest.mark.parametrize("employer", [None, 1])
async def test_pages_follow_one_order_over_all_workers(
    db: str, settings: Settings, employer: int | None
) -> None:
    await _workers()
    actor = _actor(employer)
    compared = 0
    for q in ("", "worker 1"):
        for group in (None, *boards.GROUPS):
            filters = boards.BoardFilters(q=q, group=group)
            for sort in boards.SORT_KEYS:
                for descending in (False, True):
                    expected = await _expected(actor, filters, sort, descending, settings)
                    shown: list[int] = []
                    page = 1
                    while True:
                        got = await boards.board(
                            actor,
                            filters,
                            sort=sort,
                            descending=descending,
                            page=page,
                            today=TODAY,
                            settings=settings,
                            page_size=PAGE,
                        )
                        assert got.total == len(expected)
                        shown += [row.id for row in got.rows]
                        if page >= got.pages:
                            break
                        page += 1
                    assert shown == expected, (q, group, sort, descending)
                    compared += len(expected)
    assert compared > 500  # most combinations ran over several pages
    counts = await boards.board_counts(actor, boards.BoardFilters(), today=TODAY, settings=settings)
    least = 0 if employer else PAGE  # the officer's groups each cross a page's edge
    assert all(counts[group] > least for group in boards.GROUPS), counts


async def test_status_conditions_agree_with_the_status(db: str) -> None:
    await _workers()
    window = 30
    status = worker_status_sql(TODAY, window)
    counted = await Worker.raw(
        f"SELECT {status.text} AS s, count(*) AS n FROM worker w"
        " WHERE w.current_permit_id IS NOT NULL GROUP BY 1",
        *status.arguments,
    )
    by_case = {row["s"]: row["n"] for row in counted}
    assert set(by_case) == {"revoked", "not_yet_valid", "expired", "expiring", "active"}
    for name, expected in by_case.items():
        condition = worker_status_condition(name, TODAY, window)
        rows = await Worker.raw(
            "SELECT count(*) AS n FROM worker w"
            f" WHERE w.current_permit_id IS NOT NULL AND {condition.text}",
            *condition.arguments,
        )
        assert rows[0]["n"] == expected, name
    with pytest.raises(ValueError, match="unknown worker status"):
        worker_status_condition("superseded", TODAY, window)
