"""Manual codes printed under permit QR codes (issue 20): code -> signed token. Frozen copy of
the table at this migration; both engines accept the plain SQL index."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T20:02:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "manual verification codes"


class ManualCode(Table, tablename="manual_code"):
    code = Varchar(length=9, unique=True)
    permit_id = Integer()
    token = Text()
    created_at = Timestamptz()


async def create_schema() -> None:
    await ManualCode.create_table(if_not_exists=True)
    await ManualCode._meta.db.run_ddl("CREATE INDEX manual_code_permit ON manual_code (permit_id)")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
