"""Letter numbers (issue 20): one counter row per series and year, and the register of every
number given with the officer who signed. Frozen copies of the tables at this migration; the
unique indexes are plain ``CREATE UNIQUE INDEX`` statements, which both engines accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Date, Integer, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T20:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "letter counters and issued letters"


class LetterCounter(Table, tablename="letter_counter"):
    series = Varchar(length=20)
    year = Integer()
    last_sequence = Integer()


class IssuedLetter(Table, tablename="issued_letter"):
    number = Varchar(length=100, unique=True)
    kind = Varchar(length=20)
    year = Integer()
    sequence = Integer()
    owner_type = Varchar(length=30)
    owner_id = Integer()
    account_id = Integer(null=True, default=None)
    officer_name = Varchar(length=200)
    officer_nip = Varchar(length=18)
    officer_position = Varchar(length=200)
    issued_on = Date(default=None)
    created_at = Timestamptz()


INDEXES = [
    # The INSERT ... ON CONFLICT (series, year) of documents/letter_numbers.py needs it.
    "CREATE UNIQUE INDEX letter_counter_series_year ON letter_counter (series, year)",
    "CREATE INDEX issued_letter_owner ON issued_letter (owner_type, owner_id)",
]


async def create_schema() -> None:
    for table in (LetterCounter, IssuedLetter):
        await table.create_table(if_not_exists=True)
    db = LetterCounter._meta.db
    for statement in INDEXES:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
