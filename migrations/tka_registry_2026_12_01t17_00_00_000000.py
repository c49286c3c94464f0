"""Reads waiting to be sealed into the audit chain (issue 17).

A read is recorded by one plain insert into ``audit_pending_read`` before its answer leaves;
``tka_registry.audit.service.seal_reads`` moves the rows into the hash chain in batches (at the
next change, and every second in a running server), so reads take no lock on the chain.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit reads waiting to be sealed"


class AuditPendingRead(Table, tablename="audit_pending_read"):
    at = Timestamptz(null=False)
    actor = Varchar(length=254, null=False)
    role = Varchar(length=20, null=False)
    address = Varchar(length=64, null=False)
    action = Varchar(length=60, null=False)
    object_type = Varchar(length=40, null=False)
    object_id = Varchar(length=40, null=False)
    details = Text(null=False)


async def create_schema() -> None:
    await AuditPendingRead.create_table(if_not_exists=True)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
