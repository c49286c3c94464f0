"""Who has taken a submitted case (``application.assigned_to`` and ``assigned_at``): an officer
takes a case ("ambil") and the others see who has it (issue 19). Plain SQL both engines
accept; TIMESTAMPTZ is the declared type Piccolo's SQLite engine reads back as a datetime."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T33:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "application assigned to"


class Application(Table, tablename="application"):
    pass


STATEMENTS = [
    "ALTER TABLE application ADD COLUMN assigned_to VARCHAR(254)",
    "ALTER TABLE application ADD COLUMN assigned_at TIMESTAMPTZ",
]


async def add_assignment() -> None:
    db = Application._meta.db
    for statement in STATEMENTS:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_assignment)
    return manager
