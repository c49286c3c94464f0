"""The reminder ledger (one row per permit and stage) and the daily run claims of ``serve``."""

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from tka_registry.employers.tables import Employer
from tka_registry.permits.tables import Permit

# Ledger states. A row is claimed (claimed_by set) only while one run is sending it.
PENDING = "pending"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"
STATES = (PENDING, SENT, FAILED, SKIPPED)
# States a run may (re)try: a skipped row is looked at again, in case the address was fixed.
OPEN_STATES = (PENDING, FAILED, SKIPPED)


class Reminder(Table, tablename="alert_reminder"):
    """One reminder of one permit at one stage; UNIQUE (permit, stage) in the migration."""

    id: Serial
    permit = ForeignKey(Permit, null=False, on_delete=OnDelete.restrict)
    stage = Varchar(length=20, null=False)
    # employer (the sponsor's digest) or holder (a Second Home holder's own email).
    audience = Varchar(length=10, null=False)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    worker_id = Integer(null=False)
    due_on = Date(default=None, null=False)
    state = Varchar(length=10, null=False, default=PENDING)
    attempts = Integer(null=False, default=0)
    recipients = Text(null=False, default="")
    last_error = Text(null=True, default=None)
    # Message-ID of the latest attempt: set when claimed, so a crash after the SMTP server
    # accepted the message (before it was marked sent) leaves its Message-ID in the ledger.
    message_id = Varchar(length=255, null=True, default=None)
    # Message-ID of an attempt whose run died after claiming: it may have reached the server.
    abandoned_message_id = Varchar(length=255, null=True, default=None)
    claimed_by = Varchar(length=120, null=True, default=None)
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)


class AlertRun(Table, tablename="alert_run"):
    """The scheduled run of one Jakarta day; UNIQUE (run_on), so one server process sends."""

    id: Serial
    run_on = Date(default=None, null=False, unique=True)
    claimed_by = Varchar(length=120, null=False)
    started_at = Timestamptz(null=False)
    finished_at = Timestamptz(null=True, default=None)
    outcome = Text(null=True, default=None)
