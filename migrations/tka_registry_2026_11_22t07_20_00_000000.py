"""Alert emails (issue 7): the reminder ledger and the daily run claims.

Frozen copies of the tables at this migration; the unique and lookup indexes are plain
``CREATE INDEX`` statements, which SQLite and PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

ID = "2026-11-22T07:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "alert reminder ledger"


class Employer(Table, tablename="employer"):
    name = Varchar(length=200)


class Permit(Table, tablename="permit"):
    number = Varchar(length=40)


class Reminder(Table, tablename="alert_reminder"):
    permit = ForeignKey(Permit, on_delete=OnDelete.restrict)
    stage = Varchar(length=20)
    audience = Varchar(length=10)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    worker_id = Integer()
    due_on = Date(default=None)
    state = Varchar(length=10, default="pending")
    attempts = Integer(default=0)
    recipients = Text(default="")
    last_error = Text(null=True, default=None)
    message_id = Varchar(length=255, null=True, default=None)
    abandoned_message_id = Varchar(length=255, null=True, default=None)
    claimed_by = Varchar(length=120, null=True, default=None)
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class AlertRun(Table, tablename="alert_run"):
    run_on = Date(default=None, unique=True)
    claimed_by = Varchar(length=120)
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    outcome = Text(null=True, default=None)


INDEXES = [
    # One reminder per permit and stage, also when two runs insert at once.
    "CREATE UNIQUE INDEX alert_reminder_permit_stage ON alert_reminder (permit, stage)",
    "CREATE INDEX alert_reminder_employer ON alert_reminder (employer, created_at)",
    "CREATE INDEX alert_reminder_state ON alert_reminder (state, created_at)",
]


async def create_schema() -> None:
    for table in (Reminder, AlertRun):
        await table.create_table(if_not_exists=True)
    for statement in INDEXES:
        await Reminder._meta.db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
