"""Each check at its boundary, on the pure function over the case's facts."""

from __future__ import annotations

from datetime import date

from tka_registry.applications.checks import CaseFacts, case_checks
from tka_registry.applications.schemas import ApplicationDetails, ApplicationKind
from tka_registry.rules.permits import PermitSpan
from tka_registry.settings import Settings

SETTINGS = Settings()
TODAY = date(2026, 11, 22)


def _checks(kind: ApplicationKind, **facts: object) -> dict[str, bool | None]:
    details = facts.pop("details", ApplicationDetails())
    result = case_checks(
        CaseFacts(kind=kind, details=details, applied_on=TODAY, **facts),  # type: ignore[arg-type]
        SETTINGS,
    )
    return {check.id: check.met for check in result}


def _permit(start: date, end: date) -> ApplicationDetails:
    return ApplicationDetails(requested_from=start, requested_until=end)


def test_passport_must_cover_the_last_day_of_the_permit() -> None:
    details = _permit(date(2026, 12, 1), date(2027, 11, 30))
    covered = _checks(
        ApplicationKind.ITAS_NEW, details=details, passport_expires_on=date(2027, 11, 30)
    )
    short = _checks(
        ApplicationKind.ITAS_NEW, details=details, passport_expires_on=date(2027, 11, 29)
    )
    assert covered["passport_cover"] is True and short["passport_cover"] is False


def test_passport_cover_without_a_recorded_expiry_is_to_check() -> None:
    details = _permit(date(2026, 12, 1), date(2027, 11, 30))
    for kind in (ApplicationKind.ITAS_NEW, ApplicationKind.ITAS_EXTENSION):
        facts = CaseFacts(kind=kind, details=details, applied_on=TODAY, passport_expires_on=None)
        (cover,) = [check for check in case_checks(facts, SETTINGS) if check.id == "passport_cover"]
        assert cover.met is None  # neither skipped nor breached: unknown
        assert cover.message_id.startswith("Perlu diperiksa: tanggal habis berlaku paspor")
        assert "2027-11-30" in cover.message_id
        assert cover.message_en.startswith("To check: the passport's expiry date is not on")


def test_extension_window_opens_30_days_before_expiry() -> None:
    details = _permit(date(2026, 12, 23), date(2027, 12, 22))
    on_the_edge = _checks(
        ApplicationKind.ITAS_EXTENSION,
        details=details,
        current_permit_expires_on=date(2026, 12, 22),
    )
    one_day_early = _checks(
        ApplicationKind.ITAS_EXTENSION,
        details=details,
        current_permit_expires_on=date(2026, 12, 23),
    )
    on_expiry = _checks(
        ApplicationKind.ITAS_EXTENSION, details=details, current_permit_expires_on=TODAY
    )
    after_expiry = _checks(
        ApplicationKind.ITAS_EXTENSION,
        details=details,
        current_permit_expires_on=date(2026, 11, 21),
    )
    assert on_the_edge["extension_window"] is True
    assert one_day_early["extension_window"] is False
    assert on_expiry["extension_window"] is True
    assert after_expiry["extension_window"] is False


def _chain(start_year: int, years: int) -> list[PermitSpan]:
    """One-year E23C grants from 1 March ``start_year``, back to back."""
    return [
        PermitSpan("ITAS", "E23C", date(start_year + i, 3, 1), date(start_year + i + 1, 2, 28))
        for i in range(years)
    ]


def test_itas_total_is_six_years_exactly() -> None:
    chain = _chain(2021, 5)  # 2021-03-01 .. 2026-02-28
    # Six years from 2021-03-01 end on 2027-02-28, their last day.
    exactly = _permit(date(2026, 3, 1), date(2027, 2, 28))
    one_more = _permit(date(2026, 3, 1), date(2027, 3, 1))
    assert (
        _checks(ApplicationKind.ITAS_EXTENSION, details=exactly, itas_chain=chain)["itas_total"]
        is True
    )
    assert (
        _checks(ApplicationKind.ITAS_EXTENSION, details=one_more, itas_chain=chain)["itas_total"]
        is False
    )


def test_extension_no_longer_than_the_first_grant() -> None:
    chain = _chain(2025, 1)  # first grant 2025-03-01 .. 2026-02-28: one year less a day
    same = _permit(date(2026, 3, 1), date(2027, 2, 28))
    longer = _permit(date(2026, 3, 1), date(2027, 3, 1))
    assert (
        _checks(ApplicationKind.ITAS_EXTENSION, details=same, itas_chain=chain)["extension_length"]
        is True
    )
    assert (
        _checks(ApplicationKind.ITAS_EXTENSION, details=longer, itas_chain=chain)[
            "extension_length"
        ]
        is False
    )


def test_position_closed_to_foreigners() -> None:
    assert _checks(ApplicationKind.ITAS_NEW, position="Senior HR Manager")["position_open"] is False
    assert _checks(ApplicationKind.ITAS_NEW, position="Plant Manager")["position_open"] is True


def test_duplicate_person_only_for_new_itas() -> None:
    assert _checks(ApplicationKind.ITAS_NEW, other_passport_records=1)["duplicate_person"] is False
    assert _checks(ApplicationKind.ITAS_NEW, other_passport_records=0)["duplicate_person"] is True
    assert "duplicate_person" not in _checks(ApplicationKind.DEPARTURE_REPORT)


def test_every_check_speaks_both_languages() -> None:
    details = _permit(date(2026, 12, 23), date(2027, 12, 22))
    facts = CaseFacts(
        kind=ApplicationKind.ITAS_EXTENSION,
        details=details,
        applied_on=TODAY,
        passport_expires_on=date(2030, 1, 1),
        current_permit_expires_on=date(2026, 12, 22),
        itas_chain=_chain(2025, 1),
        position="Engineer",
    )
    for check in case_checks(facts, SETTINGS):
        assert check.message_id and check.message_en and check.message_id != check.message_en
