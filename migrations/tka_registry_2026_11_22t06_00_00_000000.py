"""Initial schema: employers, workers, passports, visa indexes, permits, accounts, audit log.

The table classes below are frozen copies of the schema at this migration, so later changes to
``tables.py`` never change what this migration does. Composite and partial indexes are plain
``CREATE INDEX`` statements, which SQLite and PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

ID = "2026-11-22T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "initial schema"


class Employer(Table, tablename="employer"):
    name = Varchar(length=200)
    nib = Varchar(length=13, unique=True)
    npwp = Varchar(length=16, unique=True)
    address = Text()
    regency = Varchar(length=100, index=True)
    sector = Varchar(length=100)
    email = Varchar(length=254)
    phone = Varchar(length=40)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Worker(Table, tablename="worker"):
    full_name = Varchar(length=200)
    name_folded = Varchar(length=200)
    sex = Varchar(length=1)
    date_of_birth = Date(default=None)
    place_of_birth = Varchar(length=120)
    nationality = Varchar(length=3)
    address = Text()
    regency = Varchar(length=100)
    position = Varchar(length=150)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    current_permit_id = Integer(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Passport(Table, tablename="passport"):
    worker = ForeignKey(Worker, on_delete=OnDelete.restrict)
    number = Varchar(length=20)
    issuing_country = Varchar(length=3)
    issued_on = Date(default=None)
    expires_on = Date(default=None)
    created_at = Timestamptz()


class VisaIndex(Table, tablename="visa_index"):
    code = Varchar(length=10, unique=True)
    name_id = Varchar(length=200)
    name_en = Varchar(length=200)
    category = Varchar(length=20)
    kinds = Varchar(length=30)
    requires_sponsor = Boolean()
    active = Boolean()


class Permit(Table, tablename="permit"):
    worker = ForeignKey(Worker, on_delete=OnDelete.restrict)
    kind = Varchar(length=4)
    visa_index = Varchar(length=10)
    number = Varchar(length=40, unique=True)
    issued_on = Date(default=None)
    expires_on = Date(default=None)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    supersedes = Integer(null=True, default=None)
    is_current = Boolean()
    revoked_on = Date(null=True, default=None)
    revocation_reason = Text(null=True, default=None)
    register_number = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz()


class Account(Table, tablename="account"):
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=200)
    role = Varchar(length=20)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    is_active = Boolean()
    failed_signins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    password_changed_at = Timestamptz()
    created_at = Timestamptz()


class AccessToken(Table, tablename="access_token"):
    token_hash = Varchar(length=64, unique=True)
    account = ForeignKey(Account, on_delete=OnDelete.cascade)
    kind = Varchar(length=10)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class AuditEntry(Table, tablename="audit_entry"):
    at = Timestamptz()
    actor = Varchar(length=254)
    role = Varchar(length=20)
    address = Varchar(length=64)
    action = Varchar(length=60, index=True)
    object_type = Varchar(length=40)
    object_id = Varchar(length=40)
    details = Text()
    previous_hash = Varchar(length=64)
    entry_hash = Varchar(length=64)
    sequence = BigInt(unique=True)


TABLES = [Employer, Worker, Passport, VisaIndex, Permit, Account, AccessToken, AuditEntry]

INDEXES = [
    "CREATE UNIQUE INDEX passport_number_country ON passport (number, issuing_country)",
    "CREATE INDEX passport_worker ON passport (worker)",
    # At most one current permit per worker, also under concurrent requests.
    "CREATE UNIQUE INDEX permit_one_current ON permit (worker) WHERE is_current",
    # A permit is superseded at most once: history never forks.
    "CREATE UNIQUE INDEX permit_supersedes ON permit (supersedes)",
    "CREATE INDEX permit_worker ON permit (worker)",
    "CREATE INDEX permit_current_expiry ON permit (expires_on) WHERE is_current",
    "CREATE INDEX worker_nationality_name ON worker (nationality, name_folded, id)",
    "CREATE INDEX worker_name ON worker (name_folded, id)",
    "CREATE INDEX worker_employer ON worker (employer)",
    "CREATE INDEX worker_regency ON worker (regency)",
    "CREATE INDEX worker_current_permit ON worker (current_permit_id)",
    "CREATE INDEX access_token_account ON access_token (account)",
    "CREATE INDEX audit_entry_object ON audit_entry (object_type, object_id)",
    "CREATE INDEX audit_entry_actor ON audit_entry (actor)",
]

# (code, Indonesian name, English name, category, kinds, requires sponsor, active)
# Permenkumham 22/2023 work family E23 (older index C312); E33 Second Home (SE IMI-0740.GR.01.01/2022).
VISA_INDEXES = [
    ("E23", "Bekerja dengan penjamin", "Work with a sponsor", "work", "ITAS,ITAP", True, True),
    ("E23B", "Bekerja - manajemen", "Work - management", "work", "ITAS,ITAP", True, True),
    ("E23C", "Bekerja - industri", "Work - industry", "work", "ITAS,ITAP", True, True),
    ("E23E", "Bekerja - pertambangan", "Work - mining", "work", "ITAS,ITAP", True, True),
    ("E23F", "Bekerja - perkebunan", "Work - plantation", "work", "ITAS,ITAP", True, True),
    ("E23L", "Bekerja - pendidikan", "Work - education", "work", "ITAS,ITAP", True, True),
    ("E23M", "Bekerja - keteknikan", "Work - engineering", "work", "ITAS,ITAP", True, True),
    ("E23P", "Bekerja - guru", "Work - teacher", "work", "ITAS,ITAP", True, True),
    ("E23Q", "Bekerja - dosen", "Work - lecturer", "work", "ITAS,ITAP", True, True),
    ("C312", "Bekerja (indeks lama)", "Work (former index)", "work", "ITAS", True, False),
    ("E33", "Rumah Kedua", "Second Home", "second_home", "ITAS", False, True),
]


async def create_schema() -> None:
    for table in TABLES:
        await table.create_table(if_not_exists=True)
    db = Employer._meta.db
    for statement in INDEXES:
        await db.run_ddl(statement)
    await VisaIndex.insert(
        *[
            VisaIndex(
                code=code,
                name_id=name_id,
                name_en=name_en,
                category=category,
                kinds=kinds,
                requires_sponsor=requires_sponsor,
                active=active,
            )
            for code, name_id, name_en, category, kinds, requires_sponsor, active in VISA_INDEXES
        ]
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_schema)
    return manager
