"""Applications: the case, its history and its attachments (files stay outside the database).

Frozen copies of the tables at this migration; indexes are plain ``CREATE INDEX`` statements,
which SQLite and PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import BigInt, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

ID = "2026-11-22T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "applications, application events, attachments"


class Employer(Table, tablename="employer"):
    pass


class Worker(Table, tablename="worker"):
    pass


class Application(Table, tablename="application"):
    kind = Varchar(length=20)
    status = Varchar(length=12)
    employer = ForeignKey(Employer, on_delete=OnDelete.restrict)
    worker = ForeignKey(Worker, null=True, default=None, on_delete=OnDelete.restrict)
    register_number = Varchar(length=30, null=True, default=None)
    person_name = Varchar(length=200, default="")
    nationality = Varchar(length=3, default="")
    passport_number = Varchar(length=20, default="")
    details = Text()
    decision_reason = Text(null=True, default=None)
    permit_id = Integer(null=True, default=None)
    departed_on = Date(null=True, default=None)
    created_by = Varchar(length=254)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    submitted_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)


class ApplicationEvent(Table, tablename="application_event"):
    application = ForeignKey(Application, on_delete=OnDelete.cascade)
    at = Timestamptz()
    actor = Varchar(length=254)
    role = Varchar(length=20)
    action = Varchar(length=30)
    message = Text(default="")


class Attachment(Table, tablename="attachment"):
    application = ForeignKey(Application, on_delete=OnDelete.cascade)
    kind = Varchar(length=20)
    content_type = Varchar(length=40)
    size_bytes = BigInt()
    sha256 = Varchar(length=64)
    uploaded_by = Varchar(length=254)
    created_at = Timestamptz()


TABLES = [Application, ApplicationEvent, Attachment]

INDEXES = [
    "CREATE UNIQUE INDEX application_register_number ON application (register_number)",
    "CREATE INDEX application_queue ON application (status, submitted_at, id)",
    "CREATE INDEX application_employer ON application (employer, updated_at)",
    "CREATE INDEX application_worker ON application (worker)",
    "CREATE INDEX application_departures ON application (worker, departed_on)"
    " WHERE departed_on IS NOT NULL",
    "CREATE INDEX application_event_application ON application_event (application, at, id)",
    "CREATE INDEX attachment_application ON attachment (application)",
]


async def create_schema() -> None:
    for table in TABLES:
        await table.create_table(if_not_exists=True)
    db = Application._meta.db
    for statement in INDEXES:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
