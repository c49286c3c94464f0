"""Incomplete records (issue 18): the office's own sheets lack some values.

A passport may be recorded without its issue or expiry date, and an employer named in a sheet
without its NIB and NPWP (created as an incomplete employer, to be completed). The gap is the
NULL itself: the worklist "Data belum lengkap" and the rules that need the value read it. Both
unique indexes on NIB and NPWP admit any number of NULLs on SQLite and PostgreSQL alike.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

from tka_registry.db import drop_not_null

ID = "2026-12-01T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "incomplete records"


class Passport(Table, tablename="passport"):
    pass


async def allow_gaps() -> None:
    db = Passport._meta.db
    await drop_not_null(db, "passport", ["issued_on", "expires_on"])
    await drop_not_null(db, "employer", ["nib", "npwp"])


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(allow_gaps)
    return manager
