"""Reminder stages: which single reminder is due for a permit or a proof deadline on a given day.

A stage is a stable string stored in the reminder ledger, one row per (permit, stage):
``before-90`` ... ``before-0`` before a permit expires, ``overstay-7``, ``overstay-14`` ... after it
expired, and ``proof-30`` ... ``proof-0`` before a Second Home holder's proof deadline. The rule is
"the latest stage whose day has come": a stage missed while the job was down is still due on the
next run unless a later stage has come, and the ledger stops it being sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

BEFORE_PREFIX = "before-"
OVERSTAY_PREFIX = "overstay-"
PROOF_PREFIX = "proof-"

# Defaults mirror Settings.alert_stages_days and Settings.overstay_reminder_every_days.
DEFAULT_STAGES_DAYS: tuple[int, ...] = (90, 60, 30, 14, 7, 0)
DEFAULT_OVERSTAY_EVERY_DAYS = 7
# Second Home proof reminders before the 90-day deadline (no Settings field yet; see report).
DEFAULT_PROOF_STAGES_DAYS: tuple[int, ...] = (30, 14, 7, 0)


class UnknownStage(ValueError):
    """A stage name that is not ``before-N``, ``overstay-N`` or ``proof-N``."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown reminder stage: {name!r}")
        self.name = name


def _checked_stages(stages: Iterable[int]) -> list[int]:
    """The stage days sorted from the earliest reminder (largest number) to the latest."""
    days = sorted(set(stages), reverse=True)
    if not days:
        raise ValueError("at least one reminder stage is needed")
    if days[-1] < 0:
        raise ValueError(f"stage days count before the date and must be >= 0, got {days[-1]}")
    return days


def days_left(expires_on: date, today: date) -> int:
    """Days from ``today`` until ``expires_on``: 0 on the expiry day, negative once past it."""
    return (expires_on - today).days


def _latest_come(days_before: int, stages: list[int]) -> int | None:
    """The smallest stage day already reached when ``days_before`` days remain, else None."""
    reached = [stage for stage in stages if days_before <= stage]
    return reached[-1] if reached else None


def due_stage(
    expires_on: date,
    today: date,
    stages: Iterable[int] = DEFAULT_STAGES_DAYS,
    overstay_every: int = DEFAULT_OVERSTAY_EVERY_DAYS,
) -> str | None:
    """The one reminder stage due on ``today`` for a permit expiring on ``expires_on``.

    ``stages`` are days before expiry (Settings.alert_stages_days); ``overstay_every`` is the
    number of days between overstay reminders (Settings.overstay_reminder_every_days). Returns
    None while no stage has come (more days left than the first stage).
    """
    # PP 28/2019: every day past expiry is a fined overstay day, so reminders continue after it.
    if overstay_every < 1:
        raise ValueError(f"overstay_every must be at least 1 day, got {overstay_every}")
    checked = _checked_stages(stages)
    remaining = days_left(expires_on, today)
    overstay_days = -remaining
    if overstay_days >= overstay_every:
        return f"{OVERSTAY_PREFIX}{overstay_days // overstay_every * overstay_every}"
    stage = _latest_come(remaining, checked)
    return None if stage is None else f"{BEFORE_PREFIX}{stage}"


def due_proof_stage(
    proof_deadline_on: date,
    today: date,
    stages: Iterable[int] = DEFAULT_PROOF_STAGES_DAYS,
) -> str | None:
    """The one Second Home proof reminder due on ``today`` for a deadline on ``proof_deadline_on``.

    ``stages`` are days before the deadline. Past the deadline ``proof-0`` stays due (so a missed
    one is still sent once); the caller stops reminders once the proof has been received.
    """
    # SE IMI-0740.GR.01.01/2022: bank letter or property proof due within 90 days of issue.
    stage = _latest_come(days_left(proof_deadline_on, today), _checked_stages(stages))
    return None if stage is None else f"{PROOF_PREFIX}{stage}"


def stage_offset_days(stage: str) -> int:
    """Signed days of a stage relative to its date: ``before-30`` is -30, ``overstay-14`` is 14.

    Sorting stage names by this number puts them in the order they are sent.
    """
    for prefix, sign in ((BEFORE_PREFIX, -1), (PROOF_PREFIX, -1), (OVERSTAY_PREFIX, 1)):
        if stage.startswith(prefix):
            number = stage.removeprefix(prefix)
            if number.isdigit():
                return sign * int(number)
    raise UnknownStage(stage)


def is_overstay(stage: str) -> bool:
    """True for an ``overstay-N`` stage."""
    return stage.startswith(OVERSTAY_PREFIX) and stage_offset_days(stage) > 0


def is_proof(stage: str) -> bool:
    """True for a Second Home ``proof-N`` stage."""
    return stage.startswith(PROOF_PREFIX) and stage_offset_days(stage) <= 0


__all__ = [
    "DEFAULT_OVERSTAY_EVERY_DAYS",
    "DEFAULT_PROOF_STAGES_DAYS",
    "DEFAULT_STAGES_DAYS",
    "UnknownStage",
    "days_left",
    "due_proof_stage",
    "due_stage",
    "is_overstay",
    "is_proof",
    "stage_offset_days",
]
