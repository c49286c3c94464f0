"""Applications, their history and their attachments (files are kept outside the database)."""

from piccolo.columns import (
    BigInt,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from tka_registry.employers.tables import Employer
from tka_registry.workers.tables import Worker


class Application(Table):
    id: Serial
    kind = Varchar(length=20, null=False)  # itas_new | itas_extension | change_report | departure
    status = Varchar(length=12, null=False)  # draft | submitted | returned | approved | rejected
    employer = ForeignKey(Employer, null=False, on_delete=OnDelete.restrict)
    # None for a new ITAS of a person not yet on record: the worker is created on approval.
    worker = ForeignKey(Worker, null=True, default=None, on_delete=OnDelete.restrict)
    register_number = Varchar(length=30, null=True, default=None)
    # Copied from the details on every save, so the queue filters and /track need no JSON.
    person_name = Varchar(length=200, null=False, default="")
    nationality = Varchar(length=3, null=False, default="")
    passport_number = Varchar(length=20, null=False, default="")
    details = Text(null=False)  # JSON of the kind's fields (schemas.ApplicationDetails)
    decision_reason = Text(null=True, default=None)
    permit_id = Integer(null=True, default=None)
    # The day the worker left Indonesia (approved departure reports); ends overstay counting.
    departed_on = Date(null=True, default=None)
    created_by = Varchar(length=254, null=False)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    submitted_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    # The officer who took the submitted case ("ambil"), and when; None while nobody has.
    assigned_to = Varchar(length=254, null=True, default=None)
    assigned_at = Timestamptz(null=True, default=None)


class ApplicationEvent(Table):
    """One line of a case's history: who did what, when, with the message they wrote."""

    id: Serial
    application = ForeignKey(Application, null=False, on_delete=OnDelete.cascade)
    at = Timestamptz(null=False)
    actor = Varchar(length=254, null=False)
    role = Varchar(length=20, null=False)
    action = Varchar(length=30, null=False)
    message = Text(null=False, default="")


class Attachment(Table):
    """A file of a case, stored under ``data_dir/attachments`` by its SHA-256."""

    id: Serial
    application = ForeignKey(Application, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, null=False)  # passport_page | rptka | dkptka | photo | decision
    file_name = Varchar(length=200, null=False, default="")  # as uploaded ("" before 2026-12)
    content_type = Varchar(length=40, null=False)
    size_bytes = BigInt(null=False)
    sha256 = Varchar(length=64, null=False)
    uploaded_by = Varchar(length=254, null=False)
    created_at = Timestamptz(null=False)
