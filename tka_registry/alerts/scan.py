"""Finding the reminders due on a day: one SQL query over the current permits near expiry.

The stage is computed in SQL with the same rule as :func:`stages.due_stage` (the latest stage
whose day has come), so only permits whose due stage is not yet sent leave the database. The
range on ``expires_on`` uses the partial index ``permit_current_expiry`` (``WHERE is_current``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tka_registry.alerts.stages import due_proof_stage
from tka_registry.alerts.tables import SENT, Reminder
from tka_registry.applications.queries import DEPARTED, EXTENSION_FILED
from tka_registry.db import is_sqlite
from tka_registry.settings import Settings


@dataclass(frozen=True)
class DueReminder:
    """A permit whose reminder at ``stage`` is due and not yet sent."""

    permit_id: int
    stage: str
    permit_number: str
    expires_on: date
    worker_id: int
    worker_name: str
    nationality: str
    passport_number: str
    employer_id: int | None
    employer_name: str
    employer_email: str
    second_home: bool
    proof_deadline_on: date | None = None
    # The ledger row when one exists (pending, failed or skipped), else None.
    reminder_id: int | None = None
    state: str | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.permit_id, self.stage)


def _days_until(engine_sqlite: bool) -> str:
    if engine_sqlite:
        return "CAST(julianday(p.expires_on) - julianday({}) AS INTEGER)"
    return "(p.expires_on - {}::date)"


def _stage_case(stages_days: tuple[int, ...], every: int) -> str:
    """SQL CASE on ``remaining`` giving the stage name, as stages.due_stage does."""
    whens = [
        f"WHEN remaining <= -{every} THEN 'overstay-' || CAST((-remaining) / {every} * {every}"
        " AS TEXT)"
    ]
    whens += [f"WHEN remaining <= {day} THEN 'before-{day}'" for day in sorted(set(stages_days))]
    return "CASE " + " ".join(whens) + " END"


async def existing_tables(engine: Any) -> set[str]:
    """Names of the tables in the database (to use other areas' tables only once they exist)."""
    if is_sqlite(engine):
        rows = await Reminder.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = await Reminder.raw(
            "SELECT table_name AS name FROM information_schema.tables"
            " WHERE table_schema = current_schema()"
        )
    return {row["name"] for row in rows}


def due_query(
    settings: Settings, today: date, *, sqlite: bool, tables: set[str]
) -> tuple[str, list[Any]]:
    """The due-reminder SQL with ``{}`` placeholders and its arguments."""
    stages = tuple(day for day in settings.alert_stages_days if day >= 0) or (0,)
    every = max(1, settings.overstay_reminder_every_days)
    # Overstay reminders stop at the deportation threshold (UU 6/2011 art. 78; PP 28/2019).
    earliest = today - timedelta(days=settings.overstay_deportation_days)
    latest = today + timedelta(days=max(stages))
    stops = (EXTENSION_FILED, DEPARTED) if "application" in tables else ()
    stop_sql = "".join(f" AND NOT {condition}" for condition in stops)
    # Only integers from the settings are formatted in; dates are bound parameters.
    sql = f"""
WITH near AS (
  SELECT p.id AS permit_id, p.worker AS worker_id, p.number, p.expires_on, p.employer,
         p.visa_index, {_days_until(sqlite)} AS remaining
  FROM permit p
  WHERE p.is_current AND p.revoked_on IS NULL
    AND p.expires_on >= {{}} AND p.expires_on <= {{}}{stop_sql}
), due AS (
  SELECT near.*, {_stage_case(stages, every)} AS stage FROM near
), unsent AS MATERIALIZED (
  -- Only reminders not yet sent go on to the joins (a few thousand a day, not the window).
  SELECT due.*, r.id AS reminder_id, r.state
  FROM due LEFT JOIN alert_reminder r ON r.permit = due.permit_id AND r.stage = due.stage
  WHERE r.id IS NULL OR r.state <> '{SENT}'
)
SELECT u.permit_id, u.stage, u.number, u.expires_on, u.employer AS employer_id,
       w.id AS worker_id, w.full_name, w.nationality,
       COALESCE(e.name, '') AS employer_name, COALESCE(e.email, '') AS employer_email,
       COALESCE(v.category = 'second_home', FALSE) AS second_home,
       (SELECT pp.number FROM passport pp WHERE pp.worker = w.id
         ORDER BY pp.expires_on DESC, pp.id DESC LIMIT 1) AS passport_number,
       u.reminder_id, u.state
FROM unsent u
JOIN worker w ON w.id = u.worker_id
LEFT JOIN employer e ON e.id = u.employer
LEFT JOIN visa_index v ON v.code = u.visa_index
ORDER BY u.employer, u.expires_on, u.permit_id
"""  # noqa: S608
    return sql, [today, earliest, latest]


def _due(row: dict[str, Any], proof_deadline_on: date | None = None) -> DueReminder:
    return DueReminder(
        permit_id=row["permit_id"],
        stage=row["stage"],
        permit_number=row["number"],
        expires_on=row["expires_on"],
        worker_id=row["worker_id"],
        worker_name=row["full_name"],
        nationality=row["nationality"],
        passport_number=row["passport_number"] or "",
        employer_id=row["employer_id"],
        employer_name=row["employer_name"] or "",
        employer_email=row["employer_email"] or "",
        second_home=bool(row["second_home"]),
        proof_deadline_on=proof_deadline_on,
        reminder_id=row["reminder_id"],
        state=row["state"],
    )


async def due_reminders(settings: Settings, today: date) -> list[DueReminder]:
    """Every reminder due on ``today`` (Asia/Jakarta) whose ledger row is not ``sent``."""
    engine = Reminder._meta.db
    tables = await existing_tables(engine)
    sql, arguments = due_query(settings, today, sqlite=is_sqlite(engine), tables=tables)
    if is_sqlite(engine):
        rows = await Reminder.raw(sql, *arguments)
    else:
        async with engine.transaction():
            # The per-row passport lookup inflates the cost estimate past jit_above_cost, and
            # compiling the plan took longer than running it (bench/bench_alerts.py).
            await Reminder.raw("SET LOCAL jit = off")
            rows = await Reminder.raw(sql, *arguments)
    found = [_due(row) for row in rows]
    if "second_home_case" in tables:
        found += await _proof_reminders(settings, today, engine)
    return found


async def _proof_reminders(settings: Settings, today: date, engine: Any) -> list[DueReminder]:
    """Second Home proof-deadline reminders: approved cases whose proof has not been lodged."""
    # SE IMI-0740.GR.01.01/2022: bank letter or property proof within 90 days of issue.
    deadline_days = settings.second_home_proof_deadline_days
    stages = settings.second_home_proof_stages_days
    grace = settings.overstay_reminder_every_days
    issued_from = today - timedelta(days=deadline_days + grace)
    issued_to = today - timedelta(days=deadline_days - max(stages))
    rows = await Reminder.raw(
        """
SELECT p.id AS permit_id, p.number, p.expires_on, p.issued_on, p.employer AS employer_id,
       w.id AS worker_id, w.full_name, w.nationality, '' AS employer_name, '' AS employer_email,
       TRUE AS second_home,
       (SELECT pp.number FROM passport pp WHERE pp.worker = w.id
         ORDER BY pp.expires_on DESC, pp.id DESC LIMIT 1) AS passport_number
FROM second_home_case c
JOIN permit p ON p.id = c.principal_permit_id
JOIN worker w ON w.id = p.worker
WHERE c.status = 'approved' AND c.proof_lodged_on IS NULL
  AND p.is_current AND p.revoked_on IS NULL AND p.issued_on >= {} AND p.issued_on <= {}
""",
        issued_from,
        issued_to,
    )
    found = []
    for row in rows:
        deadline = row["issued_on"] + timedelta(days=deadline_days)
        stage = due_proof_stage(deadline, today, stages)
        if stage is None:
            continue
        ledger = (
            await Reminder.select(Reminder.id, Reminder.state)
            .where((Reminder.permit == row["permit_id"]) & (Reminder.stage == stage))
            .first()
        )
        if ledger is not None and ledger["state"] == SENT:
            continue
        values = {**row, "stage": stage, "reminder_id": None, "state": None}
        if ledger is not None:
            values |= {"reminder_id": ledger["id"], "state": ledger["state"]}
        found.append(_due(values, proof_deadline_on=deadline))
    return found
