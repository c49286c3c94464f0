"""The name a file was uploaded under (``attachment.file_name``), shown to the employer's
clerks in place of its type and hash (issue 19). Plain SQL both engines accept; older rows
keep an empty name and are shown by their kind."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T33:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "attachment file name"


class Attachment(Table, tablename="attachment"):
    pass


async def add_file_name() -> None:
    await Attachment._meta.db.run_ddl(
        "ALTER TABLE attachment ADD COLUMN file_name VARCHAR(200) NOT NULL DEFAULT ''"
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_file_name)
    return manager
