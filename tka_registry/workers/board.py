"""The "needs action" board of workers: employers' and officers' dashboards, paginated in SQL.

Workers in overstay come first, then permits inside the extension window, then workers without a
valid permit, then the rest; within each group the column the visitor chose. The grouping, the
order, the filters and the page are one SQL statement, the counts per group a second one, so a
page never fetches more rows than it shows and an overstayer is first whatever its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.permits import state
from tka_registry.rules.nationality import fold
from tka_registry.settings import Settings
from tka_registry.workers.queries import LATEST_PASSPORT, STAY_FROM
from tka_registry.workers.tables import Worker

PAGE_SIZE = 50

# Groups in the order they are shown, each with the statuses it holds. Overstay first (PP
# 28/2019 fines run daily), then permits inside the extension window, then workers who have no
# valid permit at all, then permits granted but not yet in force; everything else (valid, and
# any status not named here) last.
GROUPS: dict[str, tuple[str, ...]] = {
    "overstay": ("expired",),
    "expiring": ("expiring",),
    "without_permit": ("none", "revoked"),
    "not_yet_valid": ("not_yet_valid",),
    "active": ("active",),
}
# Valid today (permits.state: in force), the count every page and statistic gives.
VALID_GROUPS = ("expiring", "active")
OTHER_GROUP = "active"
ACTION_GROUPS = ("overstay", "expiring", "without_permit")

SORT_KEYS = ("expiry", "name", "nationality", "position")
DEFAULT_SORT = "expiry"


def status_sql(today: date, window_days: int) -> tuple[str, list[Any]]:
    """SQL for the standing of worker ``w`` ('none' without a permit): permits.state's status
    read from the worker's copy of its current permit (``permits.current``), so a board of
    100,000 workers needs no join to group and order them."""
    status = state.worker_status_sql(today, window_days)
    return (
        f"CASE WHEN w.current_permit_id IS NULL THEN 'none' ELSE {status.text} END",
        list(status.arguments),
    )


def _rank_sql(column: str) -> str:
    """The group's position (0 first) of a row whose status is in ``column``."""
    cases = " ".join(
        f"WHEN {column} IN ({', '.join(repr(s) for s in statuses)}) THEN {rank}"
        for rank, statuses in enumerate(GROUPS.values())
        if statuses != GROUPS[OTHER_GROUP]
    )
    return f"CASE {cases} ELSE {list(GROUPS).index(OTHER_GROUP)} END"


def group_of(status: str) -> str:
    return next((g for g, statuses in GROUPS.items() if status in statuses), OTHER_GROUP)


# Sort columns of the scoped rows; a missing value (no permit, a revoked one) goes last.
_SORT_SQL = {
    "name": "name_folded",
    "nationality": "nationality",
    "position": "position_folded",
    "expiry": "live_expires_on",
}


# The same keys on the worker table itself, for reading one group in order from an index.
_KEY_SQL = {
    "name": "w.name_folded",
    "nationality": "w.nationality",
    "position": "lower(w.position)",
    "expiry": "w.permit_valid_until",
}


def _order(alias: str, sort: str, descending: bool) -> str:
    key = f"{alias}.{_SORT_SQL[sort]}"
    direction = "DESC" if descending else "ASC"
    return (
        f"{_rank_sql(alias + '.status')}, CASE WHEN {key} IS NULL THEN 1 ELSE 0 END,"
        f" {key} {direction}, {alias}.name_folded, {alias}.id"
    )


def parse_sort(text: str | None) -> tuple[str, bool]:
    """``name`` or ``-name`` into (key, descending); unknown keys fall back to the default."""
    text = text or DEFAULT_SORT
    descending = text.startswith("-")
    key = text.removeprefix("-")
    if key not in SORT_KEYS:
        return DEFAULT_SORT, False
    return key, descending


@dataclass(frozen=True)
class BoardFilters:
    """What the visitor narrowed the board to: a name search and one group."""

    q: str = ""
    group: str | None = None  # a key of GROUPS


@dataclass(frozen=True)
class BoardRow:
    id: int
    full_name: str
    passport_number: str | None
    nationality: str
    position: str
    employer_id: int | None
    permit_kind: str | None
    permit_visa_index: str | None
    permit_valid_from: date | None
    permit_expires_on: date | None
    status: str  # a permit status, or "none" without a permit
    days_to_expiry: int | None  # negative once expired; None without a live permit
    overstay_days: int

    @property
    def group(self) -> str:
        return group_of(self.status)

    @property
    def needs_action(self) -> bool:
        return self.group in ACTION_GROUPS


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    counts: dict[str, int]  # per group, over the scope and search (not the group filter)
    total: int  # rows matching the filters, across pages
    page: int  # 1-based
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def valid(self) -> int:
        """Workers whose permit is in force today (active or expiring)."""
        return sum(self.counts[group] for group in VALID_GROUPS)


def _scope(actor: Actor, filters: BoardFilters) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (and their values) of the actor's workers matching the search."""
    clauses: list[str] = []
    arguments: list[Any] = []
    if actor.is_employer:
        clauses.append("w.employer = {}")
        arguments.append(actor.employer_id)
    if filters.q.strip():
        escaped = fold(filters.q.strip()).replace("\\", "\\\\").replace("%", "\\%")
        clauses.append("w.name_folded LIKE {} ESCAPE '\\'")
        arguments.append("%" + escaped.replace("_", "\\_") + "%")
    return clauses, arguments


def _columns(today: date, settings: Settings) -> tuple[str, list[Any]]:
    """A board row's status and sort keys: only columns of the ``worker_board`` index, so
    counting and choosing a page read no table row."""
    status, arguments = status_sql(today, settings.extension_window_days)
    return (
        "w.id, w.name_folded, w.nationality, lower(w.position) AS position_folded,"
        f" w.permit_valid_until AS live_expires_on, {status} AS status",
        arguments,
    )


def _inner(
    actor: Actor, filters: BoardFilters, today: date, settings: Settings
) -> tuple[str, list[Any]]:
    """The scoped, searched workers with their status and sort keys, as a sub-select."""
    columns, arguments = _columns(today, settings)
    clauses, scope_arguments = _scope(actor, filters)
    where = " AND ".join(clauses) or "1 = 1"
    sql = f"SELECT {columns} FROM worker w WHERE {where}"  # noqa: S608 (this module's constants)
    return sql, arguments + scope_arguments


def _group_condition(group: str, today: date, window_days: int) -> tuple[str, list[Any]]:
    """Worker ``w`` is in ``group`` (permits.state's conditions, no CASE: indexes serve it)."""
    parts: list[str] = []
    arguments: list[Any] = []
    for status in GROUPS[group]:
        if status == "none":
            parts.append("w.current_permit_id IS NULL")
            continue
        condition = state.worker_status_condition(status, today, window_days)
        parts.append(f"(w.current_permit_id IS NOT NULL AND {condition.text})")
        arguments.extend(condition.arguments)
    return "(" + " OR ".join(parts) + ")", arguments


def _slices(
    counts: dict[str, int], only: str | None, offset: int, size: int
) -> list[tuple[str, int, int]]:
    """The groups rows ``offset`` to ``offset + size`` of the board fall in: (group, offset
    inside the group, rows from it), so each group is paged on its own."""
    slices, start = [], 0
    for group in GROUPS:
        if only in GROUPS and group != only:
            continue
        end = start + counts[group]
        first, last = max(offset, start), min(offset + size, end)
        if first < last:
            slices.append((group, first - start, last - first))
        start = end
    return slices


async def board_counts(
    actor: Actor, filters: BoardFilters, *, today: date, settings: Settings
) -> dict[str, int]:
    """Workers per group in the actor's scope matching the search (one statement)."""
    inner, arguments = _inner(actor, filters, today, settings)
    rows = await Worker.raw(
        f"SELECT t.status, count(*) AS n FROM ({inner}) t GROUP BY t.status",  # noqa: S608
        *arguments,
    )
    counts = dict.fromkeys(GROUPS, 0)
    for row in rows:
        counts[group_of(row["status"])] += row["n"]
    return counts


async def board(
    actor: Actor,
    filters: BoardFilters,
    *,
    sort: str,
    descending: bool,
    page: int,
    today: date,
    settings: Settings,
    page_size: int = PAGE_SIZE,
) -> Board:
    """One page of the board: ``page_size`` rows at most, groups first, then ``sort``.

    The counts say which groups the page falls in; each of those is read on its own, in the
    chosen order, from its offset inside the group, so an index on the sort key serves it and
    the first page of 100,000 workers does not sort them all (bench/bench_pages.py)."""
    counts = await board_counts(actor, filters, today=today, settings=settings)
    total = counts[filters.group] if filters.group in GROUPS else sum(counts.values())
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    slices = _slices(counts, filters.group, (page - 1) * page_size, page_size)
    if not slices:
        return Board(rows=[], counts=counts, total=total, page=page, page_size=page_size)
    columns, column_arguments = _columns(today, settings)
    clauses, scope_arguments = _scope(actor, filters)
    # Inside one group no key is NULL but expiry in the group without a permit, where it is
    # NULL throughout: the groups need none of _order's "missing last".
    key = _KEY_SQL[sort]
    direction = "DESC" if descending else "ASC"
    parts, arguments = [], []
    for group, skip, take in slices:
        condition, condition_arguments = _group_condition(
            group, today, settings.extension_window_days
        )
        where = " AND ".join([*clauses, condition])
        parts.append(
            f"SELECT * FROM (SELECT {columns} FROM worker w WHERE {where}"  # noqa: S608
            f" ORDER BY {key} {direction}, w.name_folded, w.id LIMIT {{}} OFFSET {{}})"
            f" {group}"
        )
        arguments += [*column_arguments, *scope_arguments, *condition_arguments, take, skip]
    # Constants of this module only; every value travels as a parameter. Only the page's rows
    # are read with their permits and passports.
    sql = (
        "SELECT t.*, w.full_name, w.position, w.employer, w.current_permit_id,"  # noqa: S608
        f" {STAY_FROM} AS stay_from,"
        " p.kind AS permit_kind, p.visa_index AS permit_visa_index,"
        " p.expires_on AS permit_expires_on, p.valid_from AS permit_valid_from,"
        " p.revoked_on AS permit_revoked_on, p.is_current AS permit_is_current,"
        f" {LATEST_PASSPORT.format(worker='t.id')}"
        f" AS passport_number FROM ({' UNION ALL '.join(parts)}) t"
        " JOIN worker w ON w.id = t.id LEFT JOIN permit p ON p.id = w.current_permit_id"
        f" ORDER BY {_order('t', sort, descending)}"
    )
    rows = await Worker.raw(sql, *arguments)
    return Board(
        rows=[_row(row, today, settings) for row in rows],
        counts=counts,
        total=total,
        page=page,
        page_size=page_size,
    )


def _as_date(value: Any) -> date | None:
    # SQLite answers a sub-select's dates as text.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _row(row: dict[str, Any], today: date, settings: Settings) -> BoardRow:
    days: int | None = None
    overstay = 0
    if row["permit_kind"] is not None:
        dates = ("valid_from", "expires_on", "revoked_on")
        permit = {key: _as_date(row[f"permit_{key}"]) for key in dates}
        permit["is_current"] = row["permit_is_current"]
        standing = state.state_of(
            permit, today=today, settings=settings, stay_from=_as_date(row["stay_from"])
        )
        if standing.status != state.PermitStatus.REVOKED:
            days = standing.days_to_expiry
        overstay = standing.overstay_days
    return BoardRow(
        id=row["id"],
        full_name=row["full_name"],
        passport_number=row["passport_number"],
        nationality=row["nationality"],
        position=row["position"],
        employer_id=row["employer"],
        permit_kind=row["permit_kind"],
        permit_visa_index=row["permit_visa_index"],
        permit_valid_from=_as_date(row["permit_valid_from"]),
        permit_expires_on=_as_date(row["permit_expires_on"]),
        status=row["status"],
        days_to_expiry=days,
        overstay_days=overstay,
    )
