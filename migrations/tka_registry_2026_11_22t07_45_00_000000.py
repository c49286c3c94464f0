"""Second Home Visa (E33) cases and their dependants (issue 5).

Frozen copies of the tables at this migration; the unique and lookup indexes are plain
``CREATE INDEX`` statements, which SQLite and PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

ID = "2026-11-22T07:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "second home cases"


class Worker(Table, tablename="worker"):
    full_name = Varchar(length=200)


class SecondHomeCase(Table, tablename="second_home_case"):
    register_number = Varchar(length=40, unique=True)
    principal = ForeignKey(Worker, on_delete=OnDelete.restrict)
    application_date = Date(default=None)
    stay_years = Integer()
    funds_idr = BigInt(null=True, default=None)
    bank = Varchar(length=120, null=True, default=None)
    owns_property = Boolean(default=False)
    property_description = Text(null=True, default=None)
    status = Varchar(length=12)
    decided_on = Date(null=True, default=None)
    decided_by = Varchar(length=254, null=True, default=None)
    decision_reason = Text(null=True, default=None)
    principal_permit_id = Integer(null=True, default=None)
    letter_sha256 = Varchar(length=64, null=True, default=None)
    proof_kind = Varchar(length=30, null=True, default=None)
    proof_lodged_on = Date(null=True, default=None)
    proof_sha256 = Varchar(length=64, null=True, default=None)
    proof_media_type = Varchar(length=40, null=True, default=None)
    revoked_on = Date(null=True, default=None)
    revocation_reason = Text(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SecondHomeDependant(Table, tablename="second_home_dependant"):
    second_home_case = ForeignKey(SecondHomeCase, on_delete=OnDelete.restrict)
    worker = ForeignKey(Worker, on_delete=OnDelete.restrict)
    relation = Varchar(length=40)
    permit_id = Integer(null=True, default=None)
    created_at = Timestamptz()


INDEXES = [
    "CREATE INDEX second_home_case_principal ON second_home_case (principal)",
    "CREATE INDEX second_home_case_status ON second_home_case (status, decided_on)",
    # A person is on a case once.
    "CREATE UNIQUE INDEX second_home_dependant_case_worker"
    " ON second_home_dependant (second_home_case, worker)",
    "CREATE INDEX second_home_dependant_worker ON second_home_dependant (worker)",
]


async def create_schema() -> None:
    for table in (SecondHomeCase, SecondHomeDependant):
        await table.create_table(if_not_exists=True)
    for statement in INDEXES:
        await SecondHomeCase._meta.db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
