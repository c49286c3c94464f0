"""Permit documents: stored renderings (bytes kept by SHA-256 under the data folder) and the log
of public verifications.

Frozen copies of the tables at this migration; the partial unique indexes keep one current
document per owner and kind on both engines.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

ID = "2026-11-22T07:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "stored documents and verification log"


class Permit(Table, tablename="permit"):
    pass


class StoredDocument(Table, tablename="stored_document"):
    permit = ForeignKey(Permit, null=True, default=None, on_delete=OnDelete.restrict)
    application_id = Integer(null=True, default=None)
    kind = Varchar(length=12)
    language = Varchar(length=2)
    template_version = Varchar(length=40)
    sha256 = Varchar(length=64)
    size_bytes = Integer()
    path = Varchar(length=200)
    is_current = Boolean()
    created_at = Timestamptz()


class Verification(Table, tablename="verification"):
    at = Timestamptz()
    address = Varchar(length=64)
    outcome = Varchar(length=12)
    permit_id = Integer(null=True, default=None)


INDEXES = [
    "CREATE UNIQUE INDEX stored_document_current_permit ON stored_document (permit, kind)"
    " WHERE is_current AND permit IS NOT NULL",
    "CREATE UNIQUE INDEX stored_document_current_application"
    " ON stored_document (application_id, kind) WHERE is_current AND application_id IS NOT NULL",
    "CREATE INDEX stored_document_permit ON stored_document (permit)",
    "CREATE INDEX stored_document_application ON stored_document (application_id)",
    "CREATE INDEX verification_at ON verification (at)",
    "CREATE INDEX verification_permit ON verification (permit_id)",
]


async def create_schema() -> None:
    for table in (StoredDocument, Verification):
        await table.create_table(if_not_exists=True)
    db = StoredDocument._meta.db
    for statement in INDEXES:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
