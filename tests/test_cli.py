"""The tka-registry command, run as a real process against the test database."""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

from tests.system.serving import tka as run_command
from tka_registry.accounts.tables import Account
from tka_registry.alerts.tables import Reminder
from tka_registry.applications.tables import Application, Attachment
from tka_registry.employers.tables import Employer
from tka_registry.permits.tables import Permit
from tka_registry.second_home.tables import SecondHomeCase, SecondHomeDependant
from tka_registry.workers.tables import Passport, Worker


def tka(
    database_url: str,
    *arguments: str,
    stdin: str = "",
    data_dir: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"TKA_DATABASE_URL": database_url, "TKA_SECRET_KEY": "cli-test"}
    if data_dir is not None:  # files (attachments, documents) go there, not the working folder
        env["TKA_DATA_DIR"] = str(data_dir)
    return run_command(env, *arguments, stdin=stdin, timeout=timeout)


async def test_migrate_is_idempotent(db) -> None:
    result = tka(db, "migrate")
    assert result.returncode == 0, result.stderr
    assert "applied 0 migration(s)" in result.stdout


async def test_users_create_reads_the_password_from_stdin(db) -> None:
    result = tka(
        db,
        "users",
        "create",
        "--email",
        "Petugas@Imigrasi.test",
        "--role",
        "officer",
        "--password-stdin",
        stdin="a long enough secret\n",
    )
    assert result.returncode == 0, result.stderr
    row = await Account.select().where(Account.email == "petugas@imigrasi.test").first()
    assert row["role"] == "officer" and row["password_hash"].startswith("$argon2id$")
    short = tka(
        db,
        "users",
        "create",
        "--email",
        "x@imigrasi.test",
        "--role",
        "officer",
        "--password-stdin",
        stdin="short\n",
    )
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    employer_without_id = tka(
        db,
        "users",
        "create",
        "--email",
        "e@pt.test",
        "--role",
        "employer",
        "--password-stdin",
        stdin="a long enough secret\n",
    )
    assert employer_without_id.returncode == 2 and "employer-id" in employer_without_id.stderr


DEMO_TABLES = (
    Employer,
    Worker,
    Passport,
    Permit,
    Account,
    Application,
    Attachment,
    SecondHomeCase,
    SecondHomeDependant,
    Reminder,
)


async def test_demo_data_is_realistic_and_idempotent(db, data_dir: Path) -> None:
    demo = ("demo-data", "--workers", "300", "--seed", "7", "--today", "2026-11-22")
    # The showcase renders some thirty documents (permits, letters): a slow machine needs time.
    first = tka(db, *demo, data_dir=data_dir, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "300 new workers" in first.stdout and "admin@demo.tka.local" in first.stdout
    assert "20 new applications, 3 new Second Home cases" in first.stdout
    counts = [await table.count() for table in DEMO_TABLES]
    second = tka(db, *demo, data_dir=data_dir)
    assert second.returncode == 0 and "0 new workers" in second.stdout
    assert "0 new applications, 0 new Second Home cases" in second.stdout
    assert [await table.count() for table in DEMO_TABLES] == counts
    await _the_demo_shows_the_whole_product(date(2026, 11, 22))
    nationalities = await Worker.raw(
        "SELECT nationality, count(*) AS n FROM worker GROUP BY nationality ORDER BY n DESC"
    )
    assert nationalities[0]["nationality"] == "CHN" and nationalities[0]["n"] > 100
    overstays = await Permit.raw(
        "SELECT count(*) AS n FROM permit WHERE is_current AND revoked_on IS NULL AND expires_on < {}",
        date(2026, 11, 22),
    )
    assert overstays[0]["n"] > 0
    heads = await Worker.raw(
        "SELECT count(*) AS n FROM worker w JOIN permit p ON p.id = w.current_permit_id AND p.is_current"
    )
    # Every worker holding a permit (the 300 and the showcase's) has the current-permit copy.
    assert heads[0]["n"] == await Permit.count().where(Permit.is_current.eq(True))
    assert heads[0]["n"] > 300


async def _the_demo_shows_the_whole_product(today: date) -> None:
    """Every application kind in every state, the three Second Home cases, a revoked and a
    renewed permit, the day's reminders, and no permit starting later unless renewed early."""
    states = {}
    for row in await Application.select(Application.kind, Application.status):
        states.setdefault(row["kind"], set()).add(row["status"])
    every_state = {"draft", "submitted", "returned", "approved", "rejected"}
    kinds = {"itas_new", "itas_extension", "change_report", "departure_report"}
    assert states == dict.fromkeys(kinds, every_state)
    undecided = await Application.count().where(Application.status == "submitted")
    assert undecided == 4  # the officer's queue is not empty

    cases = await SecondHomeCase.select().order_by(SecondHomeCase.application_date)
    assert [case["status"] for case in cases] == ["approved", "approved", "submitted"]
    overdue, with_family, pending = cases
    assert overdue["proof_lodged_on"] is None and (today - overdue["decided_on"]).days > 90
    assert with_family["proof_lodged_on"] is not None
    assert (
        await SecondHomeDependant.count().where(
            SecondHomeDependant.second_home_case == with_family["id"]
        )
        == 2
    )
    assert pending["decided_on"] is None

    assert await Permit.count().where(Permit.revoked_on.is_not_null()) >= 2
    renewed = await Application.select(Application.permit_id).where(
        (Application.kind == "itas_extension") & (Application.status == "approved")
    )
    renewal = await Permit.select().where(Permit.id == renewed[0]["permit_id"]).first()
    assert renewal is not None and renewal["supersedes"] is not None
    old = await Permit.select().where(Permit.id == renewal["supersedes"]).first()
    assert old is not None and not old["is_current"] and old["expires_on"] >= today
    # Only that renewal is deliberately "starting soon": it begins the day after the old ends.
    starting_later = await Permit.select(Permit.id).where(Permit.valid_from > today)
    assert [row["id"] for row in starting_later] == [renewal["id"]]
    assert renewal["valid_from"] == old["expires_on"] + timedelta(days=1)

    reminders = await Reminder.select(Reminder.state, Reminder.due_on)
    assert reminders and {(r["state"], r["due_on"]) for r in reminders} == {("pending", today)}
