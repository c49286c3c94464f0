"""The tka-registry command, run as a real process against the test database."""

from __future__ import annotations

import os
import subprocess
from datetime import date

from tests.system.serving import tka as run_command
from tka_registry.accounts.tables import Account
from tka_registry.employers.tables import Employer
from tka_registry.permits.tables import Permit
from tka_registry.workers.tables import Passport, Worker


def tka(database_url: str, *arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {"TKA_DATABASE_URL": database_url, "TKA_SECRET_KEY": "cli-test"}
    return run_command(env, *arguments, stdin=stdin)


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
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
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


async def test_demo_data_is_realistic_and_idempotent(db) -> None:
    first = tka(db, "demo-data", "--workers", "300", "--seed", "7", "--today", "2026-11-22")
    assert first.returncode == 0, first.stderr
    assert "300 new workers" in first.stdout and "admin@demo.tka.local" in first.stdout
    counts = [await table.count() for table in (Employer, Worker, Passport, Permit, Account)]
    second = tka(db, "demo-data", "--workers", "300", "--seed", "7", "--today", "2026-11-22")
    assert second.returncode == 0 and "0 new workers" in second.stdout
    assert [
        await table.count() for table in (Employer, Worker, Passport, Permit, Account)
    ] == counts
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
    assert heads[0]["n"] == 300
