"""Boundary tests of the reminder stages: every stage day, the day before and after, gaps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tka_registry.alerts.stages import (
    DEFAULT_OVERSTAY_EVERY_DAYS,
    DEFAULT_PROOF_STAGES_DAYS,
    DEFAULT_STAGES_DAYS,
    UnknownStage,
    due_proof_stage,
    due_stage,
    is_overstay,
    is_proof,
    stage_offset_days,
)
from tka_registry.settings import Settings

EXPIRES = date(2026, 6, 30)


def test_defaults_match_settings() -> None:
    settings = Settings()
    assert settings.alert_stages_days == DEFAULT_STAGES_DAYS
    assert settings.overstay_reminder_every_days == DEFAULT_OVERSTAY_EVERY_DAYS


@pytest.mark.parametrize(
    ("days_before_expiry", "expected"),
    [
        (365, None),
        (91, None),
        (90, "before-90"),
        (89, "before-90"),
        (61, "before-90"),
        (60, "before-60"),
        (59, "before-60"),
        (31, "before-60"),
        (30, "before-30"),
        (29, "before-30"),
        (15, "before-30"),
        (14, "before-14"),
        (13, "before-14"),
        (8, "before-14"),
        (7, "before-7"),
        (6, "before-7"),
        (1, "before-7"),
        (0, "before-0"),
        # Days 1-6 of overstay: expiry-day reminder still due if it was missed.
        (-1, "before-0"),
        (-6, "before-0"),
        (-7, "overstay-7"),
        (-8, "overstay-7"),
        (-13, "overstay-7"),
        (-14, "overstay-14"),
        (-15, "overstay-14"),
        (-59, "overstay-56"),
        (-60, "overstay-56"),
        (-61, "overstay-56"),
        (-63, "overstay-63"),
        (-365, "overstay-364"),
    ],
)
def test_due_stage_at_every_boundary(days_before_expiry: int, expected: str | None) -> None:
    today = EXPIRES - timedelta(days=days_before_expiry)
    assert due_stage(EXPIRES, today) == expected


def _run_daily(days: list[date], expires_on: date, **rule: object) -> list[tuple[int, str]]:
    """Simulate the job with a ledger: a stage goes out only when no row exists for it."""
    ledger: set[str] = set()
    sent: list[tuple[int, str]] = []
    for today in days:
        stage = due_stage(expires_on, today, **rule)  # type: ignore[arg-type]
        if stage is not None and stage not in ledger:
            ledger.add(stage)
            sent.append(((expires_on - today).days, stage))
    return sent


def test_daily_runs_send_every_stage_once_in_order() -> None:
    days = [EXPIRES + timedelta(days=offset) for offset in range(-120, 30)]
    sent = _run_daily(days, EXPIRES)
    assert sent == [
        (90, "before-90"),
        (60, "before-60"),
        (30, "before-30"),
        (14, "before-14"),
        (7, "before-7"),
        (0, "before-0"),
        (-7, "overstay-7"),
        (-14, "overstay-14"),
        (-21, "overstay-21"),
        (-28, "overstay-28"),
    ]


def test_missed_stage_is_sent_on_next_run_unless_a_later_stage_has_come() -> None:
    # Job down from 62 to 25 days before expiry: before-60 passed unseen, before-30 has come.
    down = {EXPIRES - timedelta(days=n) for n in range(25, 63)}
    days = [EXPIRES - timedelta(days=n) for n in range(100, -1, -1)]
    sent = _run_daily([day for day in days if day not in down], EXPIRES)
    assert [stage for _, stage in sent] == [
        "before-90",
        "before-30",
        "before-14",
        "before-7",
        "before-0",
    ]
    assert sent[1] == (24, "before-30")


def test_stage_missed_by_one_day_is_sent_late() -> None:
    # Down only on the 14-day stage day: the 14-day reminder goes out a day late.
    days = [EXPIRES - timedelta(days=n) for n in (16, 15, 13, 12)]
    assert _run_daily(days, EXPIRES) == [(16, "before-30"), (13, "before-14")]


def test_expiry_day_missed_still_sent_during_first_overstay_week() -> None:
    days = [EXPIRES + timedelta(days=3), EXPIRES + timedelta(days=7)]
    assert _run_daily(days, EXPIRES) == [(-3, "before-0"), (-7, "overstay-7")]


def test_permit_registered_already_overstayed_gets_one_current_stage() -> None:
    assert due_stage(EXPIRES, EXPIRES + timedelta(days=100)) == "overstay-98"


def test_custom_stages_in_any_order_and_overstay_interval() -> None:
    stages = (0, 45, 10)
    assert due_stage(EXPIRES, EXPIRES - timedelta(days=46), stages) is None
    assert due_stage(EXPIRES, EXPIRES - timedelta(days=45), stages) == "before-45"
    assert due_stage(EXPIRES, EXPIRES - timedelta(days=10), stages) == "before-10"
    assert due_stage(EXPIRES, EXPIRES + timedelta(days=2), stages, 3) == "before-0"
    assert due_stage(EXPIRES, EXPIRES + timedelta(days=3), stages, 3) == "overstay-3"
    assert due_stage(EXPIRES, EXPIRES + timedelta(days=1), stages, 1) == "overstay-1"


def test_without_expiry_day_stage_latest_stage_stays_due_until_overstay() -> None:
    assert due_stage(EXPIRES, EXPIRES + timedelta(days=2), (30, 7)) == "before-7"


@pytest.mark.parametrize(("stages", "every"), [((), 7), ((30, -1), 7), ((30, 0), 0), ((30,), -7)])
def test_rejects_bad_rule_parameters(stages: tuple[int, ...], every: int) -> None:
    with pytest.raises(ValueError):
        due_stage(EXPIRES, EXPIRES, stages, every)


@pytest.mark.parametrize(
    ("days_before_deadline", "expected"),
    [
        (90, None),
        (31, None),
        (30, "proof-30"),
        (29, "proof-30"),
        (15, "proof-30"),
        (14, "proof-14"),
        (13, "proof-14"),
        (8, "proof-14"),
        (7, "proof-7"),
        (6, "proof-7"),
        (1, "proof-7"),
        (0, "proof-0"),
        (-1, "proof-0"),
        (-30, "proof-0"),
    ],
)
def test_due_proof_stage_at_every_boundary(days_before_deadline: int, expected: str | None) -> None:
    deadline = date(2026, 3, 31)
    today = deadline - timedelta(days=days_before_deadline)
    assert due_proof_stage(deadline, today) == expected


def test_proof_stages_default_and_custom() -> None:
    deadline = date(2026, 3, 31)
    assert DEFAULT_PROOF_STAGES_DAYS == (30, 14, 7, 0)
    assert due_proof_stage(deadline, deadline - timedelta(days=60), (60, 0)) == "proof-60"
    with pytest.raises(ValueError):
        due_proof_stage(deadline, deadline, ())


@pytest.mark.parametrize(
    ("stage", "offset", "overstay", "proof"),
    [
        ("before-90", -90, False, False),
        ("before-0", 0, False, False),
        ("overstay-7", 7, True, False),
        ("overstay-364", 364, True, False),
        ("proof-30", -30, False, True),
        ("proof-0", 0, False, True),
    ],
)
def test_stage_names_parse(stage: str, offset: int, overstay: bool, proof: bool) -> None:
    assert stage_offset_days(stage) == offset
    assert is_overstay(stage) is overstay
    assert is_proof(stage) is proof


@pytest.mark.parametrize("name", ["", "before-", "before-x", "after-7", "overstay--7", "proof7"])
def test_unknown_stage_names_raise(name: str) -> None:
    with pytest.raises(UnknownStage):
        stage_offset_days(name)
