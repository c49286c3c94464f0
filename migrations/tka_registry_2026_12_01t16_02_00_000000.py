"""Rate-limit counts every process shares when Redis is not configured (issue 16): one row per
limited key (an address and a limit, or a register number) with the times of its recent hits."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import DoublePrecision, Text, Varchar
from piccolo.table import Table

ID = "2026-12-01T16:02:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "shared rate limit counts"


class RateLimit(Table, tablename="rate_limit"):
    key = Varchar(length=200, unique=True)
    hits = Text()
    last_at = DoublePrecision()


async def create_schema() -> None:
    await RateLimit.create_table(if_not_exists=True)
    await RateLimit._meta.db.run_ddl("CREATE INDEX rate_limit_last_at ON rate_limit (last_at)")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
