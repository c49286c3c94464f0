"""The one owner of a permit's derived state: status, days to expiry, overstay, fine, deportation.

Everything here derives from the rules in :mod:`tka_registry.rules.permits` and the permit's own
columns (``valid_from``, ``expires_on``, ``revoked_on``, ``is_current``), on a calendar day in
Asia/Jakarta. The Python form (:func:`permit_state`) and the SQL forms (:func:`status_sql`,
:func:`status_condition`, :func:`in_force_on`, :func:`worker_valid_on`) say the same
thing; tests/permits/test_permit_state.py holds them to the same answer at every boundary.
No other module decides a status, an overstay or a fine.

A permit's status uses its own dates: ``not_yet_valid`` before ``valid_from``, ``active`` or
``expiring`` (in force) through ``expires_on``, then ``expired``; ``revoked`` and ``superseded``
(a renewal took its place) come first.

A worker is "valid on day D" when a permit of theirs is in force on D: begun, not past its last
day, not revoked by D and not yet replaced by a renewal that has begun (a renewal issued ahead of
its first day hands over without a gap, rules.continuity_breaches). For the current permit that
is its status on D with the worker's stay counted from :func:`coverage_from`; the worker's copy
(``permit_valid_from``/``permit_valid_until``, permits.current) holds that range, so counts read
:func:`worker_valid_on` from one index; :func:`in_force_on` is the same over the permit history,
for any day (the PDF report), and gives the same count on today and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tka_registry.rules import permits as rules
from tka_registry.rules.permits import HELD, IN_FORCE, PermitStatus
from tka_registry.settings import Settings

__all__ = [
    "HELD",
    "IN_FORCE",
    "Overstay",
    "PermitState",
    "PermitStatus",
    "Sql",
    "coverage_from",
    "coverage_from_sql",
    "in_force_on",
    "list_standing",
    "overstay_of",
    "permit_in_force_on",
    "permit_state",
    "state_of",
    "status_condition",
    "status_sql",
    "worker_status_sql",
    "worker_valid_on",
]


@dataclass(frozen=True)
class Overstay:
    """Days stayed past the last valid day, the fine in rupiah and whether deportation follows."""

    days: int
    fine_idr: int
    faces_deportation: bool


NO_OVERSTAY = Overstay(0, 0, False)


def overstay_of(
    expires_on: date, today: date, *, fine_per_day_idr: int, deportation_days: int
) -> Overstay:
    """The overstay of a permit whose last day was ``expires_on`` (PP 28/2019; UU 6/2011 art.
    78). The one place the fine is worked out: change the formula in rules.overstay_fine_idr."""
    days = rules.overstay_days(expires_on, today)
    return Overstay(
        days=days,
        fine_idr=rules.overstay_fine_idr(days, fine_per_day_idr),
        faces_deportation=rules.faces_deportation(days, deportation_days),
    )


@dataclass(frozen=True)
class PermitState:
    """A permit's state on one day. ``days_to_expiry`` is 0 on the last day, negative after;
    ``days_to_start`` is positive while the permit has not begun."""

    status: PermitStatus
    valid_from: date
    expires_on: date
    days_to_expiry: int
    days_to_start: int
    overstay: Overstay
    departed: bool = False

    @property
    def in_force(self) -> bool:
        """Valid on the day: begun, not past its last day, neither revoked nor superseded."""
        return self.status in IN_FORCE

    @property
    def overstay_days(self) -> int:
        return self.overstay.days

    @property
    def fine_idr(self) -> int:
        return self.overstay.fine_idr

    @property
    def faces_deportation(self) -> bool:
        return self.overstay.faces_deportation


def _status_of(
    valid_from: date,
    expires_on: date,
    revoked_on: date | None,
    is_current: bool,
    today: date,
    settings: Settings,
) -> PermitStatus:
    """rules.permit_status of a permit's columns, with the office's extension window."""
    return rules.permit_status(
        valid_from=valid_from,
        expires_on=expires_on,
        today=today,
        revoked=revoked_on is not None,
        superseded=not is_current,
        extension_window_days=settings.extension_window_days,
    )


def permit_state(
    *,
    valid_from: date,
    expires_on: date,
    revoked_on: date | None,
    is_current: bool,
    today: date,
    settings: Settings,
    departed_on: date | None = None,
) -> PermitState:
    """The state of a permit on ``today`` (the Asia/Jakarta day).

    ``departed_on`` is the day an approved departure report says the worker left, if known: a
    worker who left after the permit began overstays nothing (the sponsor reported the
    departure; UU 6/2011 art. 71).
    """
    status = _status_of(valid_from, expires_on, revoked_on, is_current, today, settings)
    departed = departed_on is not None and departed_on >= valid_from
    overstay = NO_OVERSTAY
    if status == PermitStatus.EXPIRED and not departed:
        overstay = overstay_of(
            expires_on,
            today,
            fine_per_day_idr=settings.overstay_fine_per_day_idr,
            deportation_days=settings.overstay_deportation_days,
        )
    return PermitState(
        status=status,
        valid_from=valid_from,
        expires_on=expires_on,
        days_to_expiry=rules.days_to_expiry(expires_on, today),
        days_to_start=max(0, (valid_from - today).days),
        overstay=overstay,
        departed=departed,
    )


def state_of(
    row: Mapping[str, Any],
    *,
    today: date,
    settings: Settings,
    prefix: str = "",
    departed_on: date | None = None,
    stay_from: date | None = None,
) -> PermitState:
    """:func:`permit_state` of a permit row whose columns are named ``prefix`` + column
    (``valid_from``, ``expires_on``, ``revoked_on``, ``is_current``).

    ``stay_from`` is the first day of the worker's unbroken stay this current permit ends (the
    worker's copy ``permit_valid_from``, :func:`coverage_from`): the worker's standing rather
    than the permit's own, for lists of workers.
    """
    return permit_state(
        valid_from=stay_from or row[f"{prefix}valid_from"],
        expires_on=row[f"{prefix}expires_on"],
        revoked_on=row[f"{prefix}revoked_on"],
        is_current=bool(row[f"{prefix}is_current"]),
        today=today,
        settings=settings,
        departed_on=departed_on,
    )


def list_standing(
    row: Mapping[str, Any],
    *,
    today: date,
    settings: Settings,
    prefix: str = "",
    stay_from: date | None = None,
) -> tuple[PermitStatus, int, int]:
    """What a list row shows of :func:`state_of` (no departure known): the status, the days to
    expiry and the overstay days, the same answers without building the whole state (its fine
    and deportation), 1 us a row against 2.3 us: 50 rows a page, on every page."""
    expires_on = row[prefix + "expires_on"]
    valid_from = stay_from or row[prefix + "valid_from"]
    revoked_on, is_current = row[prefix + "revoked_on"], row[prefix + "is_current"]
    status = _status_of(valid_from, expires_on, revoked_on, is_current, today, settings)
    overstay = rules.overstay_days(expires_on, today) if status == PermitStatus.EXPIRED else 0
    return status, rules.days_to_expiry(expires_on, today), overstay


@dataclass(frozen=True)
class Sql:
    """A piece of SQL with ``{}`` placeholders (Piccolo's raw queries fill them per engine) and
    the values that fill them, in order."""

    text: str
    arguments: tuple[Any, ...] = ()

    def __and__(self, other: Sql) -> Sql:
        return Sql(f"({self.text}) AND ({other.text})", self.arguments + other.arguments)


def _window_edge(today: date, window_days: int) -> date:
    """The last expiry that is ``expiring`` on ``today``."""
    return today + timedelta(days=window_days)


def status_sql(
    today: date, window_days: int, alias: str = "p", valid_from: str | None = None
) -> Sql:
    """The SQL ``CASE`` giving the status text of permit ``alias`` on ``today``; the same
    answer as :func:`permit_state` (use it in a select list or an ORDER BY). ``valid_from`` is
    the column of the first day (``w.permit_valid_from`` for a worker's standing, as
    :func:`state_of`'s ``stay_from``); the permit's own by default."""
    a = alias
    first = valid_from or f"{a}.valid_from"
    return Sql(
        "CASE"
        f" WHEN {a}.revoked_on IS NOT NULL THEN 'revoked'"
        f" WHEN NOT {a}.is_current THEN 'superseded'"
        f" WHEN {first} > {{}} THEN 'not_yet_valid'"
        f" WHEN {a}.expires_on < {{}} THEN 'expired'"
        f" WHEN {a}.expires_on <= {{}} THEN 'expiring'"
        " ELSE 'active' END",
        (today, today, _window_edge(today, window_days)),
    )


def status_condition(
    status: str, today: date, window_days: int, alias: str = "p", valid_from: str | None = None
) -> Sql:
    """A WHERE condition true exactly when permit ``alias`` has ``status`` on ``today``,
    written so the date columns' indexes can serve it (no CASE); ``valid_from`` as in
    :func:`status_sql`."""
    a = alias
    first = valid_from or f"{a}.valid_from"
    live = f"{a}.revoked_on IS NULL AND {a}.is_current"
    begun = f"{live} AND {first} <= {{}}"
    edge = _window_edge(today, window_days)
    conditions: dict[str, Sql] = {
        PermitStatus.REVOKED: Sql(f"{a}.revoked_on IS NOT NULL"),
        PermitStatus.SUPERSEDED: Sql(f"{a}.revoked_on IS NULL AND NOT {a}.is_current"),
        PermitStatus.NOT_YET_VALID: Sql(f"{live} AND {first} > {{}}", (today,)),
        PermitStatus.EXPIRED: Sql(f"{begun} AND {a}.expires_on < {{}}", (today, today)),
        PermitStatus.EXPIRING: Sql(
            f"{begun} AND {a}.expires_on >= {{}} AND {a}.expires_on <= {{}}", (today, today, edge)
        ),
        PermitStatus.ACTIVE: Sql(f"{begun} AND {a}.expires_on > {{}}", (today, edge)),
    }
    if status not in conditions:
        raise ValueError(f"unknown permit status {status!r}: one of {list(PermitStatus)}")
    return conditions[status]


def coverage_from(*, valid_from: date, issued_on: date, previous: Mapping[str, Any] | None) -> date:
    """The first day of the unbroken stay a current permit ends: its own first day, or the
    first day of the permit it renewed when that one still ran on the renewal's issue day and
    was not revoked (it hands over; rules.continuity_breaches keeps the two without a gap)."""
    if (
        previous is not None
        and previous["revoked_on"] is None
        and previous["expires_on"] >= issued_on
        and previous["valid_from"] < valid_from
    ):
        return date.fromisoformat(str(previous["valid_from"]))
    return valid_from


def coverage_from_sql(alias: str = "p", previous: str = "pp") -> str:
    """:func:`coverage_from` in SQL, for permit ``alias`` joined to the permit it renewed as
    ``previous`` (``LEFT JOIN permit pp ON pp.id = p.supersedes``)."""
    a, b = alias, previous
    return (
        f"CASE WHEN {b}.id IS NOT NULL AND {b}.revoked_on IS NULL"
        f" AND {b}.expires_on >= {a}.issued_on AND {b}.valid_from < {a}.valid_from"
        f" THEN {b}.valid_from ELSE {a}.valid_from END"
    )


def permit_in_force_on(
    *,
    valid_from: date,
    expires_on: date,
    revoked_on: date | None,
    successor_from: date | None,
    day: date,
) -> bool:
    """Whether a permit was (or will be) in force on ``day``: begun, not past its last day, not
    revoked by then and not yet replaced by a renewal begun by then (``successor_from`` is the
    first day of the permit that superseded it, None for the current one)."""
    return (
        valid_from <= day <= expires_on
        and (revoked_on is None or revoked_on > day)
        and (successor_from is None or successor_from > day)
    )


def in_force_on(day: date, alias: str = "p") -> Sql:
    """:func:`permit_in_force_on` in SQL over permit ``alias``: the permit history's form of
    "valid on day D", right for past days too."""
    a = alias
    return Sql(
        f"{a}.valid_from <= {{}} AND {a}.expires_on >= {{}}"  # noqa: S608
        f" AND ({a}.revoked_on IS NULL OR {a}.revoked_on > {{}})"
        f" AND NOT EXISTS (SELECT 1 FROM permit n WHERE n.supersedes = {a}.id"
        " AND n.valid_from <= {})",
        (day, day, day, day),
    )


def worker_status_sql(today: date, window_days: int, alias: str = "w") -> Sql:
    """The status of worker ``alias``'s standing (its current permit, the stay counted from
    :func:`coverage_from`) read from the worker's copy alone, no join: the same answer as
    :func:`status_sql` with ``valid_from`` the copy's first day. A worker without a permit
    answers 'revoked' here: test ``current_permit_id`` first."""
    w = alias
    return Sql(
        f"CASE WHEN {w}.permit_valid_until IS NULL THEN 'revoked'"
        f" WHEN {w}.permit_valid_from > {{}} THEN 'not_yet_valid'"
        f" WHEN {w}.permit_valid_until < {{}} THEN 'expired'"
        f" WHEN {w}.permit_valid_until <= {{}} THEN 'expiring'"
        " ELSE 'active' END",
        (today, today, _window_edge(today, window_days)),
    )


def worker_status_condition(status: str, today: date, window_days: int, alias: str = "w") -> Sql:
    """A WHERE condition true exactly when :func:`worker_status_sql` answers ``status`` for
    worker ``alias`` (test ``current_permit_id`` first, as there), written without a CASE so an
    index on ``permit_valid_until`` can serve it."""
    w = alias
    known = f"{w}.permit_valid_until IS NOT NULL"
    begun = f"{known} AND ({w}.permit_valid_from IS NULL OR {w}.permit_valid_from <= {{}})"
    edge = _window_edge(today, window_days)
    conditions: dict[str, Sql] = {
        PermitStatus.REVOKED: Sql(f"{w}.permit_valid_until IS NULL"),
        PermitStatus.NOT_YET_VALID: Sql(f"{known} AND {w}.permit_valid_from > {{}}", (today,)),
        PermitStatus.EXPIRED: Sql(f"{begun} AND {w}.permit_valid_until < {{}}", (today, today)),
        PermitStatus.EXPIRING: Sql(
            f"{begun} AND {w}.permit_valid_until >= {{}} AND {w}.permit_valid_until <= {{}}",
            (today, today, edge),
        ),
        PermitStatus.ACTIVE: Sql(f"{begun} AND {w}.permit_valid_until > {{}}", (today, edge)),
    }
    if status not in conditions:
        raise ValueError(f"unknown worker status {status!r}: one of {list(conditions)}")
    return conditions[status]


def worker_valid_on(day: date, alias: str = "w") -> Sql:
    """Worker ``alias`` holds a permit valid on ``day``, read from the worker's copy of its
    current permit (permits.current) so a count needs no join: the same answer as
    :func:`in_force_on` over the worker's permits for ``day`` from today on."""
    return Sql(
        f"{alias}.permit_valid_until >= {{}} AND {alias}.permit_valid_from <= {{}}", (day, day)
    )
