"""The outbox of notification emails."""

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class Notification(Table, tablename="notification_outbox"):
    id: Serial
    kind = Varchar(length=30, null=False)  # case_decision | case_taken_over | submission
    # Unique: the same decision never queues the same recipient twice.
    dedupe_key = Varchar(length=160, null=False, unique=True)
    recipient = Varchar(length=254, null=False)
    language = Varchar(length=2, null=False)
    subject = Text(null=False)
    body = Text(null=False)
    application_id = Integer(null=True, default=None)
    created_at = Timestamptz(null=False)
    next_attempt_at = Timestamptz(null=False)
    attempts = Integer(null=False, default=0)
    # A sender claims a row until then, so two processes never send the same row.
    claimed_until = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)
