"""Stay-permit rules: kinds, lengths, passport cover, derived status and overstay.

Every threshold is a parameter whose default is the matching field of ``Settings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tka_registry.choices import PERMIT_KINDS
from tka_registry.errors import FieldProblem
from tka_registry.rules.calendar import add_months, add_years, months_days_between


class PermitKind(StrEnum):
    """ITK visit, ITAS limited and ITAP permanent stay permits (UU 6/2011 art. 48)."""

    ITK = "ITK"
    ITAS = "ITAS"
    ITAP = "ITAP"


class PermitStatus(StrEnum):
    NOT_YET_VALID = "not_yet_valid"
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


# The statuses of a permit in force on the day: begun, not past its last day, neither revoked nor
# superseded. Every count of "valid permits" means exactly these.
IN_FORCE = frozenset({PermitStatus.ACTIVE, PermitStatus.EXPIRING})
# A permit the worker holds: in force, or granted and about to begin. A new one renews it.
HELD = IN_FORCE | {PermitStatus.NOT_YET_VALID}


# A rule a permit breaks: the field to fix and a reason a clerk can act on (a catalogue id
# with its values, so a page shows it in its language).
RuleBreach = FieldProblem


def permit_status(
    *,
    valid_from: date,
    expires_on: date,
    today: date,
    revoked: bool,
    superseded: bool,
    extension_window_days: int = 30,
) -> PermitStatus:
    """The status of a permit on ``today`` (the Asia/Jakarta calendar day).

    A permit is valid from ``valid_from`` through its expiry date, both included; ``expiring``
    from ``extension_window_days`` before the expiry, when an extension may be filed
    (imigrasi.go.id extension table); ``not_yet_valid`` before its first day.
    """
    if revoked:
        return PermitStatus.REVOKED
    if superseded:
        return PermitStatus.SUPERSEDED
    if today < valid_from:
        return PermitStatus.NOT_YET_VALID
    if today > expires_on:
        return PermitStatus.EXPIRED
    if (expires_on - today).days <= extension_window_days:
        return PermitStatus.EXPIRING
    return PermitStatus.ACTIVE


def days_to_expiry(expires_on: date, today: date) -> int:
    """Days left until the last valid day (0 on it, negative once expired)."""
    return (expires_on - today).days


def overstay_days(expires_on: date, today: date) -> int:
    """Days stayed after the permit's last valid day (PP 28/2019); 0 while valid."""
    return max(0, (today - expires_on).days)


def overstay_fine_idr(days: int, fine_per_day_idr: int = 1_000_000) -> int:
    """Overstay fine in rupiah: Rp 1,000,000 per day (PP 28/2019)."""
    return max(0, days) * fine_per_day_idr


def faces_deportation(days: int, deportation_days: int = 60) -> bool:
    """Beyond 60 days of overstay the foreigner is deported and banned (UU 6/2011 art. 78)."""
    return days > deportation_days


def extension_window_opens(expires_on: date, window_days: int = 30) -> date:
    """First day an extension may be filed: 30 days before expiry (imigrasi.go.id)."""
    return date.fromordinal(expires_on.toordinal() - window_days)


def in_extension_window(expires_on: date, applied_on: date, window_days: int = 30) -> bool:
    """An extension is filed no earlier than 30 days before expiry and no later than expiry."""
    return extension_window_opens(expires_on, window_days) <= applied_on <= expires_on


def last_day_of_years(start: date, years: int) -> date:
    """The last valid day of a permit that runs ``years`` years from ``start`` (inclusive)."""
    return date.fromordinal(add_years(start, years).toordinal() - 1)


def dates_breaches(valid_from: date, expires_on: date) -> list[RuleBreach]:
    """A permit must end after it begins."""
    if expires_on <= valid_from:
        return [
            RuleBreach.of(
                "expires_on",
                "permit expires on %(day)s, not after its first valid day %(first)s",
                day=expires_on.isoformat(),
                first=valid_from.isoformat(),
            )
        ]
    return []


def start_ahead_breaches(valid_from: date, today: date, max_years: int = 1) -> list[RuleBreach]:
    """A permit is granted for a stay about to begin: its first day at most a year ahead
    (a later date is a typing error, e.g. the wrong year)."""
    limit = add_years(today, max_years)
    if valid_from > limit:
        return [
            RuleBreach.of(
                "valid_from",
                "first valid day %(day)s is more than %(years)s year(s) ahead: it must be on or "
                "before %(limit)s",
                day=valid_from.isoformat(),
                years=max_years,
                limit=limit.isoformat(),
            )
        ]
    return []


def continuity_breaches(
    previous: PermitSpan | None, valid_from: date, issued_on: date
) -> list[RuleBreach]:
    """A renewal of a permit still running on the day it is issued continues it: it begins by
    the day after the renewed permit's last day, so the stay has no gap (an extension runs on
    from the permit it extends; imigrasi.go.id extension table)."""
    if previous is None or previous.expires_on < issued_on:
        return []
    latest = previous.expires_on + timedelta(days=1)
    if valid_from > latest:
        return [
            RuleBreach.of(
                "valid_from",
                "the renewed permit runs until %(until)s: the renewal must begin on or before "
                "%(latest)s, not %(day)s",
                until=previous.expires_on.isoformat(),
                latest=latest.isoformat(),
                day=valid_from.isoformat(),
            )
        ]
    return []


def passport_cover_breaches(
    passport_expires_on: date | None, permit_expires_on: date
) -> list[RuleBreach]:
    """The passport must be valid on every day of the permit, its last day included. A passport
    recorded without its expiry (an incomplete record) breaches nothing: the cover is "to check"
    (:func:`passport_cover`), never assumed broken."""
    if passport_expires_on is not None and passport_expires_on < permit_expires_on:
        return [
            RuleBreach.of(
                "expires_on",
                "passport expires on %(passport)s, before the permit's expiry %(day)s: renew the "
                "passport first",
                passport=passport_expires_on.isoformat(),
                day=permit_expires_on.isoformat(),
            )
        ]
    return []


def passport_cover(passport_expires_on: date | None, permit_expires_on: date) -> str:
    """``met``, ``breached``, or ``to_check`` when the passport's expiry is not on record
    (same rule as :func:`passport_cover_breaches`)."""
    if passport_expires_on is None:
        return "to_check"
    return "breached" if passport_cover_breaches(passport_expires_on, permit_expires_on) else "met"


def itap_length_breaches(
    valid_from: date, expires_on: date, itap_validity_years: int = 5
) -> list[RuleBreach]:
    """An ITAP is valid 5 years (UU 6/2011 art. 54; imigrasi.go.id)."""
    limit = last_day_of_years(valid_from, itap_validity_years)
    if expires_on > limit:
        return [
            RuleBreach.of(
                "expires_on",
                "an ITAP is valid at most %(years)s years: expiry must be on or before %(limit)s",
                years=itap_validity_years,
                limit=limit.isoformat(),
            )
        ]
    return []


def same_length_from(first_valid_from: date, first_expires: date, start: date) -> date:
    """The day a grant as long as ``first_valid_from..first_expires`` ends when begun on ``start``.

    Lengths are calendar lengths (whole months, then days), so a one-year grant stays one year
    across a leap day.
    """
    # A permit is valid through its expiry date: its length runs to the day after.
    span = months_days_between(first_valid_from, date.fromordinal(first_expires.toordinal() + 1))
    return date.fromordinal(add_months(start, span.months).toordinal() + span.days - 1)


@dataclass(frozen=True)
class PermitSpan:
    """One earlier permit of the same chain: its kind, index and dates."""

    kind: str
    visa_index: str
    valid_from: date
    expires_on: date

    def __post_init__(self) -> None:
        # An unknown kind would fall out of every ITAS total unnoticed: refuse it here.
        PERMIT_KINDS.checked(self.kind)


def itas_tail(chain: Sequence[PermitSpan]) -> list[PermitSpan]:
    """The unbroken run of ITAS permits at the end of ``chain`` (oldest first): the ITAS totals
    of PP 40/2023 run over it, and an ITAP or a visit permit between breaks it."""
    tail: list[PermitSpan] = []
    for span in reversed(chain):
        if span.kind != PermitKind.ITAS:
            break
        tail.insert(0, span)
    return tail


def itas_total_breaches(
    *,
    earlier: Sequence[PermitSpan],
    valid_from: date,
    expires_on: date,
    is_work_index: bool,
    itas_total_max_years: int = 10,
    work_itas_total_max_years: int = 6,
) -> list[RuleBreach]:
    """ITAS limits over a chain of consecutive ITAS permits.

    PP 40/2023: ITAS up to 10 years in total. For E23 work permits (imigrasi.go.id extension
    table): an extension may not be longer than the first grant, and the total may not exceed
    6 years. ``earlier`` are the chain's previous ITAS permits, oldest first.
    """
    breaches: list[RuleBreach] = []
    itas_chain = [span for span in earlier if span.kind == PermitKind.ITAS]
    years = work_itas_total_max_years if is_work_index else itas_total_max_years
    start = itas_chain[0].valid_from if itas_chain else valid_from
    limit = last_day_of_years(start, years)
    if expires_on > limit:
        breaches.append(
            RuleBreach.of(
                "expires_on",
                "ITAS may total at most %(years)s years from %(start)s: expiry must be on or "
                "before %(limit)s",
                years=years,
                start=start.isoformat(),
                limit=limit.isoformat(),
            )
        )
    if is_work_index and itas_chain:
        first = itas_chain[0]
        latest = same_length_from(first.valid_from, first.expires_on, valid_from)
        if expires_on > latest:
            breaches.append(
                RuleBreach.of(
                    "expires_on",
                    "an extension may not be longer than the first grant (from %(first)s to "
                    "%(last)s): expiry must be on or before %(latest)s",
                    first=first.valid_from.isoformat(),
                    last=first.expires_on.isoformat(),
                    latest=latest.isoformat(),
                )
            )
    return breaches
