"""The notification outbox (issue 19): emails written in the transaction of the decision or
submission they tell of, sent afterwards with retries.

A frozen copy of the table at this migration; the lookup index is a plain ``CREATE INDEX``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T19:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "notification outbox"


class Notification(Table, tablename="notification_outbox"):
    kind = Varchar(length=30)
    dedupe_key = Varchar(length=160, unique=True)
    recipient = Varchar(length=254)
    language = Varchar(length=2)
    subject = Text()
    body = Text()
    application_id = Integer(null=True, default=None)
    created_at = Timestamptz()
    next_attempt_at = Timestamptz()
    attempts = Integer(default=0)
    claimed_until = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)


async def create_outbox() -> None:
    await Notification.create_table(if_not_exists=True)
    await Notification._meta.db.run_ddl(
        "CREATE INDEX notification_outbox_due ON notification_outbox (sent_at, next_attempt_at)"
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_outbox)
    return manager
