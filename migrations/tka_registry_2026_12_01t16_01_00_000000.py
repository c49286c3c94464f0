"""Stored files in the database (issue 16): one blob per distinct file, named by its SHA-256,
written in the same transaction as the row that points to it; pending import uploads with their
bytes. A second host then needs no shared data directory."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Bytea, Integer, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T16:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "file blobs and pending uploads"


class FileBlob(Table, tablename="file_blob"):
    sha256 = Varchar(length=64, unique=True)
    size_bytes = Integer()
    content = Bytea()
    created_at = Timestamptz()


class PendingUpload(Table, tablename="pending_upload"):
    token = Varchar(length=32, unique=True)
    file_name = Varchar(length=200)
    size_bytes = Integer()
    content = Bytea()
    account_id = Integer(null=True, default=None)
    created_at = Timestamptz()


async def create_schema() -> None:
    for table in (FileBlob, PendingUpload):
        await table.create_table(if_not_exists=True)
    await FileBlob._meta.db.run_ddl(
        "CREATE INDEX pending_upload_created_at ON pending_upload (created_at)"
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
