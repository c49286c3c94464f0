"""Permit rules at their boundaries: status on the Jakarta day, lengths, passport cover, overstay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tka_registry.rules.calendar import add_years, jakarta_today
from tka_registry.rules.permits import (
    PermitSpan,
    PermitStatus,
    dates_breaches,
    days_to_expiry,
    faces_deportation,
    in_extension_window,
    itap_length_breaches,
    itas_total_breaches,
    overstay_days,
    overstay_fine_idr,
    passport_cover,
    passport_cover_breaches,
    permit_status,
    same_length_from,
)

EXPIRY = date(2027, 1, 31)
DAY = timedelta(days=1)


FIRST = date(2026, 2, 1)


def status(today: date, **flags: bool) -> PermitStatus:
    return permit_status(
        valid_from=FIRST,
        expires_on=EXPIRY,
        today=today,
        revoked=flags.get("revoked", False),
        superseded=flags.get("superseded", False),
    )


def test_status_boundaries() -> None:
    assert status(FIRST - DAY) == PermitStatus.NOT_YET_VALID
    assert status(FIRST) == PermitStatus.ACTIVE  # valid from its first day
    assert status(EXPIRY - 31 * DAY) == PermitStatus.ACTIVE
    assert status(EXPIRY - 30 * DAY) == PermitStatus.EXPIRING
    assert status(EXPIRY) == PermitStatus.EXPIRING  # valid through its last day
    assert status(EXPIRY + DAY) == PermitStatus.EXPIRED
    assert status(EXPIRY, revoked=True) == PermitStatus.REVOKED
    assert status(EXPIRY, superseded=True) == PermitStatus.SUPERSEDED
    assert status(EXPIRY, revoked=True, superseded=True) == PermitStatus.REVOKED


def test_the_day_is_the_jakarta_day() -> None:
    # 17:00 UTC on 30 January is already 31 January in Jakarta (UTC+7).
    assert jakarta_today(datetime(2027, 1, 30, 16, 59, tzinfo=UTC)) == date(2027, 1, 30)
    assert jakarta_today(datetime(2027, 1, 30, 17, 0, tzinfo=UTC)) == date(2027, 1, 31)
    with pytest.raises(ValueError, match="timezone-aware"):
        jakarta_today(datetime(2027, 1, 30, 17, 0))


def test_overstay_days_and_fines() -> None:
    assert overstay_days(EXPIRY, EXPIRY) == 0
    assert overstay_days(EXPIRY, EXPIRY + DAY) == 1
    assert overstay_fine_idr(1) == 1_000_000
    assert overstay_fine_idr(60) == 60_000_000
    assert overstay_fine_idr(3, fine_per_day_idr=500_000) == 1_500_000
    assert not faces_deportation(60)
    assert faces_deportation(61)
    assert days_to_expiry(EXPIRY, EXPIRY - 5 * DAY) == 5


def test_extension_window_is_30_days_up_to_expiry() -> None:
    assert not in_extension_window(EXPIRY, EXPIRY - 31 * DAY)
    assert in_extension_window(EXPIRY, EXPIRY - 30 * DAY)
    assert in_extension_window(EXPIRY, EXPIRY)
    assert not in_extension_window(EXPIRY, EXPIRY + DAY)


def test_a_permit_ends_after_it_begins() -> None:
    assert dates_breaches(date(2026, 1, 1), date(2026, 1, 2)) == []
    (breach,) = dates_breaches(date(2026, 1, 1), date(2026, 1, 1))
    assert breach.field == "expires_on" and "not after" in breach.reason


def test_passport_must_cover_the_last_day() -> None:
    assert passport_cover_breaches(EXPIRY, EXPIRY) == []
    (breach,) = passport_cover_breaches(EXPIRY - DAY, EXPIRY)
    assert "renew the passport" in breach.reason


def test_passport_cover_without_a_recorded_expiry_is_to_check_not_breached() -> None:
    assert passport_cover_breaches(None, EXPIRY) == []
    assert passport_cover(None, EXPIRY) == "to_check"
    assert passport_cover(EXPIRY, EXPIRY) == "met"
    assert passport_cover(EXPIRY - DAY, EXPIRY) == "breached"


def test_itap_is_five_years() -> None:
    issued = date(2026, 3, 1)
    assert itap_length_breaches(issued, add_years(issued, 5) - DAY) == []
    assert itap_length_breaches(issued, add_years(issued, 5))


def test_work_itas_totals_six_years_and_extensions_no_longer_than_the_first() -> None:
    first = PermitSpan("ITAS", "E23C", date(2021, 1, 1), date(2021, 12, 31))
    chain = [first] + [
        PermitSpan("ITAS", "E23C", date(2021 + n, 1, 1), date(2021 + n, 12, 31))
        for n in range(1, 5)
    ]
    ok = itas_total_breaches(
        earlier=chain,
        valid_from=date(2026, 1, 1),
        expires_on=date(2026, 12, 31),
        is_work_index=True,
    )
    assert ok == []
    too_long = itas_total_breaches(
        earlier=chain, valid_from=date(2026, 1, 1), expires_on=date(2027, 1, 1), is_work_index=True
    )
    assert any("at most 6 years" in b.reason for b in too_long)
    longer_than_first = itas_total_breaches(
        earlier=[first],
        valid_from=date(2022, 1, 1),
        expires_on=date(2023, 1, 1),
        is_work_index=True,
    )
    assert any("longer than the first grant" in b.reason for b in longer_than_first)
    # Ten years for ITAS that are not work permits (PP 40/2023).
    assert (
        itas_total_breaches(
            earlier=[first],
            valid_from=date(2022, 1, 1),
            expires_on=date(2030, 12, 31),
            is_work_index=False,
        )
        == []
    )


def test_grant_lengths_are_calendar_lengths_across_a_leap_day() -> None:
    # One year from 1 June 2026 (364 days) allows one year from 1 May 2027 (366 days with 2028).
    assert same_length_from(date(2026, 6, 1), date(2027, 5, 31), date(2027, 5, 1)) == date(
        2028, 4, 30
    )
    assert same_length_from(date(2027, 3, 1), date(2028, 2, 29), date(2028, 3, 1)) == date(
        2029, 2, 28
    )
