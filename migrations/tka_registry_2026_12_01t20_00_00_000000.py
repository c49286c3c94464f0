"""Officers' full name, NIP and position (jabatan) on their accounts, printed under the
signature of the letters they decide (issue 20). Plain SQL that SQLite and PostgreSQL accept."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T20:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "account full name, nip, position"


class Account(Table, tablename="account"):
    pass


STATEMENTS = [
    "ALTER TABLE account ADD COLUMN full_name VARCHAR(200) NOT NULL DEFAULT ''",
    "ALTER TABLE account ADD COLUMN nip VARCHAR(18)",
    "ALTER TABLE account ADD COLUMN position VARCHAR(200) NOT NULL DEFAULT ''",
    # One person, one NIP: two accounts may not sign as the same civil servant.
    "CREATE UNIQUE INDEX account_nip ON account (nip)",
]


async def add_officer_identity() -> None:
    db = Account._meta.db
    for statement in STATEMENTS:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_officer_identity)
    return manager
