"""Boundary tests of the Second Home Visa (E33) rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tka_registry.rules.calendar import MonthsDays, add_months, months_days_between
from tka_registry.rules.second_home import (
    Dependant,
    InvalidAmount,
    SecondHomeCase,
    canonical_relation,
    check_dependant_relation,
    check_passport_validity,
    check_proof_of_means,
    check_stay_years,
    dependant_expiry,
    evaluate_case,
    format_rupiah,
    is_proof_overdue,
    parse_rupiah,
    proof_days_left,
    proof_deadline,
    state_bank,
    unmet,
)
from tka_registry.settings import Settings

APPLIED = date(2026, 11, 22)
ONE_DAY = timedelta(days=1)


# --- month arithmetic ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 22), 36, date(2029, 11, 22)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 22), date(2029, 11, 24), MonthsDays(36, 2)),
        (date(2026, 11, 22), date(2029, 11, 22), MonthsDays(36, 0)),
        (date(2026, 11, 22), date(2029, 11, 21), MonthsDays(35, 30)),
        (date(2026, 8, 31), date(2026, 9, 30), MonthsDays(1, 0)),
        (date(2026, 8, 31), date(2026, 9, 29), MonthsDays(0, 29)),
        (date(2026, 5, 1), date(2026, 5, 1), MonthsDays(0, 0)),
        (date(2026, 11, 22), date(2026, 9, 1), MonthsDays(-2, -21)),
    ],
)
def test_months_days_between(start: date, end: date, expected: MonthsDays) -> None:
    assert months_days_between(start, end) == expected


# --- passport validity ---------------------------------------------------------------------


def test_passport_valid_exactly_36_months_is_met() -> None:
    outcome = check_passport_validity("Tan Wei", date(2029, 11, 22), APPLIED)
    assert outcome.met
    assert outcome.rule_id == "second_home.passport_validity"
    assert outcome.figure == MonthsDays(36, 0)
    assert outcome.threshold == MonthsDays(36, 0)


def test_passport_valid_one_day_less_than_36_months_is_not_met() -> None:
    outcome = check_passport_validity("Tan Wei", date(2029, 11, 21), APPLIED)
    assert not outcome.met
    assert outcome.figure == MonthsDays(35, 30)
    assert "tidak memenuhi" in outcome.message_id
    assert "not met" in outcome.message_en


def test_passport_message_shows_figure_date_and_threshold() -> None:
    outcome = check_passport_validity("Tan Wei", date(2029, 11, 24), APPLIED)
    assert outcome.met
    assert outcome.message_en == (
        "Tan Wei's passport valid 36 months 2 days on 22 November 2026 "
        "(valid until 24 November 2029); required 36 months: met."
    )
    assert "36 bulan 2 hari pada 22 November 2026" in outcome.message("id")
    assert outcome.message("en") == outcome.message_en


def test_passport_end_of_month_application() -> None:
    # 31 August + 6 months is the last day of February; expiring that day is enough.
    assert check_passport_validity("A", date(2027, 2, 28), date(2026, 8, 31), 6).met
    assert not check_passport_validity("A", date(2027, 2, 27), date(2026, 8, 31), 6).met


def test_passport_leap_day_application() -> None:
    # 29 Feb 2024 + 36 months = 28 Feb 2027 (2027 has no 29 February).
    assert check_passport_validity("A", date(2027, 2, 28), date(2024, 2, 29)).met
    assert not check_passport_validity("A", date(2027, 2, 27), date(2024, 2, 29)).met


def test_expired_passport_is_not_met_and_says_expired() -> None:
    outcome = check_passport_validity("A", date(2026, 9, 1), APPLIED)
    assert not outcome.met
    assert outcome.figure == MonthsDays(-2, -21)
    assert "sudah habis" in outcome.message_id
    assert "expired" in outcome.message_en


def test_passport_threshold_comes_from_the_setting() -> None:
    settings = Settings(second_home_min_passport_months=24)
    case = SecondHomeCase(APPLIED, "A", date(2028, 11, 22), 5, owns_property=True, dependants=())
    assert all(outcome.met for outcome in evaluate_case(case, settings))
    assert not evaluate_case(case)[0].met  # default 36 months


# --- proof of means ------------------------------------------------------------------------


def test_funds_exactly_two_billion_in_state_bank_is_met() -> None:
    outcome = check_proof_of_means(2_000_000_000, "Bank Mandiri", owns_property=False)
    assert outcome.met
    assert outcome.figure == 2_000_000_000
    assert outcome.threshold == 2_000_000_000
    assert "Rp 2.000.000.000" in outcome.message_id


def test_funds_one_rupiah_less_is_not_met() -> None:
    outcome = check_proof_of_means(1_999_999_999, "BNI", owns_property=False)
    assert not outcome.met
    assert outcome.figure == 1_999_999_999
    assert "IDR 1,999,999,999" in outcome.message_en


def test_enough_funds_in_a_private_bank_is_not_met() -> None:
    outcome = check_proof_of_means(5_000_000_000, "Bank Central Asia", owns_property=False)
    assert not outcome.met
    assert "non-state bank" in outcome.message_en
    assert "bukan BUMN" in outcome.message_id


def test_property_replaces_funds() -> None:
    outcome = check_proof_of_means(None, None, owns_property=True)
    assert outcome.met
    assert outcome.figure == "property"


def test_no_funds_no_property_is_not_met() -> None:
    assert not check_proof_of_means(None, None, owns_property=False).met


def test_funds_threshold_and_banks_are_parameters() -> None:
    assert check_proof_of_means(130_000, "Bank X", False, 100_000, ("Bank X",)).met
    assert not check_proof_of_means(130_000, "BNI", False, 100_000, ("Bank X",)).met


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("Bank Mandiri", "Bank Mandiri"),
        ("Mandiri", "Bank Mandiri"),
        ("PT Bank Mandiri (Persero) Tbk.", "Bank Mandiri"),
        ("BNI", "BNI"),
        ("Bank Negara Indonesia", "BNI"),
        ("bni 46", "BNI"),
        ("bank rakyat indonesia", "BRI"),
        ("Bank BRI", "BRI"),
        ("Bank Tabungan Negara", "BTN"),
        ("btn", "BTN"),
    ],
)
def test_state_banks_are_recognised_tolerantly(written: str, listed: str) -> None:
    assert state_bank(written) == listed


@pytest.mark.parametrize(
    "written",
    [
        "BCA",
        "Bank Central Asia",
        "Bank Muamalat",
        "Bank Syariah Indonesia",
        "CIMB Niaga",
        "",
        "HSBC",
    ],
)
def test_other_banks_are_not_state_banks(written: str) -> None:
    assert state_bank(written) == ""


# --- stay and relations --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "met"), [(5, True), (10, True), (7, False), (4, False), (0, False)]
)
def test_stay_of_5_or_10_years_only(years: int, met: bool) -> None:
    outcome = check_stay_years(years)
    assert outcome.met is met
    assert outcome.figure == years
    assert outcome.threshold == (5, 10)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Spouse", "spouse"),
        ("wife", "spouse"),
        ("suami", "spouse"),
        ("Istri", "spouse"),
        ("pasangan", "spouse"),
        ("anak", "child"),
        ("Son", "child"),
        ("child", "child"),
        ("orang tua", "parent"),
        ("Orang  Tua", "parent"),
        ("ayah", "parent"),
        ("ibu", "parent"),
        ("mother", "parent"),
    ],
)
def test_relations_in_both_languages(written: str, canonical: str) -> None:
    assert canonical_relation(written) == canonical
    outcome = check_dependant_relation("B", written)
    assert outcome.met
    assert outcome.figure == canonical


@pytest.mark.parametrize("written", ["saudara", "brother", "cousin", "teman", "nephew", ""])
def test_other_relations_are_refused(written: str) -> None:
    assert canonical_relation(written) is None
    outcome = check_dependant_relation("B", written)
    assert not outcome.met
    assert "tidak memenuhi" in outcome.message_id


# --- whole case ----------------------------------------------------------------------------


def _case(**changes: object) -> SecondHomeCase:
    values: dict[str, object] = {
        "application_date": APPLIED,
        "principal_name": "John Smith",
        "passport_expires_on": date(2032, 1, 1),
        "stay_years": 10,
        "funds_idr": 2_000_000_000,
        "bank": "Bank Rakyat Indonesia",
        "owns_property": False,
        "dependants": (
            Dependant("Mary Smith", "istri", date(2031, 5, 5)),
            Dependant("Tom Smith", "anak", date(2030, 1, 1)),
        ),
    }
    values.update(changes)
    return SecondHomeCase(**values)  # type: ignore[arg-type]


def test_eligible_case_with_spouse_and_child_meets_every_rule() -> None:
    outcomes = evaluate_case(_case())
    assert len(outcomes) == 3 + 2 * 2
    assert unmet(outcomes) == []
    assert {o.subject for o in outcomes} == {"John Smith", "Mary Smith", "Tom Smith"}


def test_dependant_with_35_month_passport_fails_only_that_rule() -> None:
    short = add_months(APPLIED, 35)
    case = _case(dependants=(Dependant("Tom Smith", "anak", short),))
    failed = unmet(evaluate_case(case))
    assert [(o.rule_id, o.subject) for o in failed] == [
        ("second_home.passport_validity", "Tom Smith")
    ]
    assert failed[0].figure == MonthsDays(35, 0)


def test_refused_case_names_every_unmet_rule() -> None:
    case = _case(
        stay_years=7,
        funds_idr=1_999_999_999,
        dependants=(Dependant("Sam", "brother", date(2035, 1, 1)),),
    )
    failed = [o.rule_id for o in unmet(evaluate_case(case))]
    assert failed == [
        "second_home.proof_of_means",
        "second_home.stay_years",
        "second_home.dependant_relation",
    ]


def test_property_owner_needs_no_funds() -> None:
    case = _case(funds_idr=None, bank=None, owns_property=True)
    assert unmet(evaluate_case(case)) == []


# --- amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2000000000",
        "2.000.000.000",
        "Rp 2.000.000.000",
        "Rp2.000.000.000",
        "Rp. 2.000.000.000",
        "rp 2.000.000.000,-",
        "2,000,000,000",
        "IDR 2,000,000,000",
        "  2 000 000 000  ",
        "2\u00a0000\u00a0000\u00a0000",
    ],
)
def test_parse_rupiah_accepts_the_usual_spellings(written: str) -> None:
    assert parse_rupiah(written) == 2_000_000_000


def test_parse_rupiah_small_and_zero_amounts() -> None:
    assert parse_rupiah("0") == 0
    assert parse_rupiah("1") == 1
    assert parse_rupiah("2.000") == 2000  # Indonesian thousands separator, not a decimal


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Rp", "empty"),
        ("-2000000000", "negative"),
        ("Rp -5.000", "negative"),
        ("\u22125000", "negative"),
        ("(5.000)", "negative"),
        ("dua miliar", "not_a_number"),
        ("2e9", "not_a_number"),
        ("12abc", "not_a_number"),
        ("2.000.00.000", "not_a_number"),
        ("2.000.000.000,50", "sen"),
        ("2.000.000.000,00", "sen"),
        ("2,000,000,000.00", "sen"),
        ("1500,5", "sen"),
        ("2.5", "sen"),
        ("1000000000000001", "too_large"),
        ("9.999.999.999.999.999", "too_large"),
    ],
)
def test_parse_rupiah_refuses_with_a_reason(written: str, code: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_rupiah(written)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert caught.value.message_id and caught.value.message_en


def test_parse_rupiah_upper_bound_is_inclusive() -> None:
    assert parse_rupiah("1000000000000000") == 10**15


def test_format_rupiah_in_both_languages() -> None:
    assert format_rupiah(2_000_000_000) == "Rp 2.000.000.000"
    assert format_rupiah(2_000_000_000, "en") == "IDR 2,000,000,000"


# --- 90-day proof deadline and dependant permits -------------------------------------------


def test_proof_deadline_is_90_days_after_issue() -> None:
    assert proof_deadline(date(2026, 1, 1)) == date(2026, 4, 1)
    assert proof_deadline(date(2026, 1, 1), days=30) == date(2026, 1, 31)


def test_proof_days_left_counts_down_through_zero() -> None:
    issued = date(2026, 1, 1)
    assert proof_days_left(issued, issued) == 90
    assert proof_days_left(issued, date(2026, 3, 31)) == 1
    assert proof_days_left(issued, date(2026, 4, 1)) == 0
    assert proof_days_left(issued, date(2026, 4, 2)) == -1


def test_proof_overdue_only_after_the_deadline_day() -> None:
    issued = date(2026, 1, 1)
    assert not is_proof_overdue(issued, date(2026, 4, 1))
    assert is_proof_overdue(issued, date(2026, 4, 2))
    assert not is_proof_overdue(issued, date(2026, 4, 2), days=91)


def test_dependant_permit_never_outlasts_the_principal() -> None:
    principal_ends = date(2031, 11, 21)
    assert dependant_expiry(principal_ends, date(2036, 11, 21)) == principal_ends
    assert dependant_expiry(principal_ends, principal_ends) == principal_ends
    assert dependant_expiry(principal_ends, principal_ends - ONE_DAY) == principal_ends - ONE_DAY
