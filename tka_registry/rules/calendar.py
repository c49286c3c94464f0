"""The calendar day permits are decided on: Asia/Jakarta (WIB), never the server's zone."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def jakarta_today(now: datetime) -> date:
    """The calendar day in Asia/Jakarta at the instant ``now`` (an aware datetime)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(JAKARTA).date()


def utc_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months; the 31st becomes the month's last day if shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class MonthsDays:
    """A span of whole calendar months plus leftover days; negative when already past."""

    months: int
    days: int


def months_days_between(start: date, end: date) -> MonthsDays:
    """Whole months and leftover days from ``start`` to ``end`` (both negative if end < start)."""
    if end < start:
        span = months_days_between(end, start)
        return MonthsDays(-span.months, -span.days)
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return MonthsDays(months, (end - add_months(start, months)).days)
