"""Signing keys kept in the database (issue 16), wrapped with a key derived from TKA_SECRET_KEY.

Every process and host signs with the one current key (``retired_on`` empty) and verifies with
every key, so a second host needs only ``TKA_DATABASE_URL`` and ``TKA_SECRET_KEY``. A partial
unique index keeps one current key even when two processes start at once on an empty database.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "signing keys in the database"


class SigningKey(Table, tablename="signing_key"):
    kid = Varchar(length=32, unique=True)
    public_key = Text()
    wrapped_private_key = Text()
    valid_from = Timestamptz()
    retired_on = Timestamptz(null=True, default=None)


INDEXES = [
    "CREATE UNIQUE INDEX signing_key_one_current ON signing_key ((retired_on IS NULL))"
    " WHERE retired_on IS NULL",
]


async def create_schema() -> None:
    await SigningKey.create_table(if_not_exists=True)
    for statement in INDEXES:
        await SigningKey._meta.db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
