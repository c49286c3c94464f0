"""When a session was last used (``access_token.last_seen_at``), for the idle timeout.

A page session unused for ``TKA_SESSION_IDLE_MINUTES`` ends even before its lifetime (OWASP ASVS
4.0.3 3.3.2). Plain SQL that SQLite and PostgreSQL both accept; TIMESTAMPTZ is the declared type
Piccolo's SQLite engine converts back to a datetime.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "access token last seen"


class AccessToken(Table, tablename="access_token"):
    pass


async def add_last_seen() -> None:
    await AccessToken._meta.db.run_ddl(
        "ALTER TABLE access_token ADD COLUMN last_seen_at TIMESTAMPTZ"
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(add_last_seen)
    return manager
